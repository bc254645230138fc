using System.CommandLine;
using System.Text.Json;
using Aloe.Cli;
using Aloe.Core.Analysis;
using Aloe.Core.Analysis.Scoring;
using Aloe.Testing;

namespace Aloe.Core.Tests.Analysis;

[Collection(ConsoleCollection.Name)]
public sealed class AnalysisReportCommandTests
{
    static async Task<(int Code, string Out, string Err)> Run(IServiceProvider services, params string[] args) =>
        await ConsoleCapture.RunAsync(new RootCommand { ScoresCommands.Create(services) }, args);

    static Task<TestHost> HostAsync() => TestHost.StartAsync(b =>
    {
        b.AddAnalysisScoring();
        b.AddAnalysis();
    });

    [Fact]
    public async Task ReportRunsTheAnalysesWithSourceThenReadsTheStoredRunBackWithout()
    {
        await using var host = await HostAsync();

        var none = await Run(host.Services, "analysis", "report", "--json");
        var ran = await Run(host.Services, "analysis", "report", "--source", "demo", "--chains", "2", "--warmup", "20", "--draws", "20", "--seed", "3", "--json");
        var stored = await Run(host.Services, "analysis", "report", "--json");

        Assert.Equal((1, 0, 0), (none.Code, ran.Code, stored.Code));
        Assert.Contains("No finished analysis run is stored", none.Err);
        var first = JsonDocument.Parse(ConsoleCapture.Json(ran.Out)).RootElement;
        var again = JsonDocument.Parse(ConsoleCapture.Json(stored.Out)).RootElement;
        Assert.Equal(("ran", "stored"), (first.GetProperty("origin").GetString(), again.GetProperty("origin").GetString()));
        Assert.Equal(first.GetProperty("run_id").GetInt64(), again.GetProperty("run_id").GetInt64());
        Assert.Equal((3ul, true, "demo"), (again.GetProperty("seed").GetUInt64(), again.GetProperty("simulated").GetBoolean(), again.GetProperty("source").GetString()));
        var preference = again.GetProperty("models")[0];
        Assert.Equal("1a preference (chosen, logistic)", preference.GetProperty("analysis").GetString());
        Assert.True(preference.GetProperty("fit").GetProperty("fixed").TryGetProperty("reasoning_nuance", out var coefficient));
        Assert.True(coefficient.TryGetProperty("evidence_ratio", out _));
        Assert.Equal(first.GetProperty("models").GetArrayLength(), again.GetProperty("models").GetArrayLength());
    }

    [Fact]
    public async Task ReportOnASourceWithoutScoresIsAOneLineError()
    {
        await using var host = await HostAsync();

        var (code, _, error) = await Run(host.Services, "analysis", "report", "--source", "dialogues", "--scorer", "simulated");

        Assert.Equal(1, code);
        Assert.Equal("error: No scores by 'simulated' yet: score the dialogues first.", error.Trim());
    }
}
