using System.Net.Http.Json;
using System.Text.Json;
using Aloe.Web.Tests.Support;

namespace Aloe.Web.Tests.Benchmark;

/// <summary>The web app as a fresh install runs it: the Simulated provider and the project's seed pools, nothing from ../shared.</summary>
public sealed class SimulatedBenchmarkTests : IDisposable
{
    readonly AloeWebFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task AFreshInstallRunsTheBenchmarkOnItsSeedEvaluationSetAndShowsTheRunsCallsByRole()
    {
        var client = factory.CreateClient();

        var started = await client.PostAsJsonAsync("/api/benchmark/runs", new { evaluatedModel = "sim-adaptive", cases = 3, turns = 2 });
        started.EnsureSuccessStatusCode();
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var report = await client.PollAsync($"/api/benchmark/runs/{id}", BenchmarkWebFactory.IsFinished, 60);

        Assert.Equal("Succeeded", report.GetProperty("run").GetProperty("status").GetString());
        var html = await client.GetStringAsync($"/benchmark/runs/{id}");
        Assert.Contains("seed-eval: 20 evaluation profiles x 5 personalities (the project&#x27;s seeds), first 3", html);
        // Labelled per role: here every role the run used was simulated.
        Assert.Contains("Simulated: RolePlay, Judge, Evaluated", html);
        Assert.Contains("Played by the Simulated provider (deterministic stand-ins, not a language model): RolePlay, Judge, Evaluated.", html);
        // Three cases x two turns: one role-play, evaluated and judge call per turn, all logged under the run.
        foreach (var role in new[] { "RolePlay", "Evaluated", "Judge" })
            Assert.Matches($@"<tr data-role=""{role}""><td><strong>{role}</strong></td>\s*<td class=""text-end"">6</td>", html);
    }
}
