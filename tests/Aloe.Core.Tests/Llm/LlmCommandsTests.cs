using System.CommandLine;
using System.Text.Json;
using Aloe.Cli;
using Aloe.Core.Llm;
using Aloe.Testing;

namespace Aloe.Core.Tests.Llm;

public sealed class LlmCommandsTests
{
    static async Task<(int Code, string Output)> RunAsync(TestHost host, params string[] args)
    {
        var output = new StringWriter();
        var code = await LlmCommands.Create(host.Services).Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        return (code, output.ToString());
    }

    [Fact]
    public async Task RolesListsAllNineRolesWithTheirModels()
    {
        await using var host = await TestHost.StartAsync(b => b.AddLlm());
        var (code, output) = await RunAsync(host, "roles", "--json");

        Assert.Equal(0, code);
        var roles = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal(9, roles.Count);
        var evaluated = roles.Single(r => r.GetProperty("role").GetString() == "Evaluated");
        Assert.Equal("sim-adaptive", evaluated.GetProperty("model").GetString());
        Assert.True(evaluated.GetProperty("simulated").GetBoolean());
    }

    [Fact]
    public async Task PingPrintsTheReplyAndSaysWhetherItWasCached()
    {
        await using var host = await TestHost.StartAsync(b => b.AddLlm());
        var first = await RunAsync(host, "ping", "--role", "Evaluated", "Hello there", "--json");
        var second = await RunAsync(host, "ping", "--role", "Evaluated", "Hello there", "--json");

        var a = JsonDocument.Parse(first.Output).RootElement;
        var b = JsonDocument.Parse(second.Output).RootElement;
        Assert.False(a.GetProperty("cached").GetBoolean());
        Assert.True(b.GetProperty("cached").GetBoolean());
        Assert.Equal(a.GetProperty("text").GetString(), b.GetProperty("text").GetString());
        Assert.Equal("sim-adaptive", a.GetProperty("model").GetString());

        var human = await RunAsync(host, "ping", "Hello there");
        Assert.Contains("model sim-persona", human.Output);
        Assert.Contains("not cached", human.Output);
    }

    [Fact]
    public async Task StatsReportsTheLoggedCallsPerRoleAsJson()
    {
        await using var host = await TestHost.StartAsync(b => b.AddLlm());
        await RunAsync(host, "ping", "--role", "Judge", "One");
        await RunAsync(host, "ping", "--role", "Judge", "One");

        var (code, output) = await RunAsync(host, "stats", "--json");

        Assert.Equal(0, code);
        var judge = JsonDocument.Parse(output).RootElement.EnumerateArray().Single();
        Assert.Equal("Judge", judge.GetProperty("role").GetString());
        Assert.Equal(2, judge.GetProperty("calls").GetInt32());
        Assert.Equal(1, judge.GetProperty("cacheHits").GetInt32());
    }

    [Fact]
    public async Task BudgetSetsRaisesAndShowsARunsCapAndRefusesANegativeOne()
    {
        await using var host = await TestHost.StartAsync(b => b.AddLlm());

        Assert.Contains("no cap", (await RunAsync(host, "budget", "41")).Output);
        Assert.Contains("of a $2.5 cap", (await RunAsync(host, "budget", "41", "2.5")).Output);
        var (code, output) = await RunAsync(host, "budget", "41", "--json");
        Assert.Equal(0, code);
        Assert.Equal(2.5, JsonDocument.Parse(output).RootElement.GetProperty("capUsd").GetDouble());
        Assert.Equal(1, (await RunAsync(host, "budget", "41", "-1")).Code);
        Assert.Contains("no cap", (await RunAsync(host, "budget", "41", "--clear")).Output);
    }
}
