using System.CommandLine;
using System.Text.Json;
using Aloe.Cli;
using Aloe.Core.Llm;

namespace Aloe.Core.Tests.Benchmark;

[Collection(ConsoleCollection.Name)]
public sealed class BenchCommandsTests
{
    static async Task<(int Code, string Out, string Err)> Run(IServiceProvider? services, params string[] args)
    {
        var root = new RootCommand { BenchCommands.CreateMetrics() };
        if (services is not null)
            root.Add(BenchCommands.Create(services));
        return await ConsoleCapture.RunAsync(root, args);
    }

    [Fact]
    public async Task MetricsAlignmentPrintsTable1ColumnsForAPrintedCurve()
    {
        var (code, output, _) = await Run(null, "metrics", "alignment", "--al", "2.87,2.94,2.88,3.10,3.65,4.13,4.50,4.65,4.63,4.70", "--json");

        Assert.Equal(0, code);
        var json = JsonDocument.Parse(ConsoleCapture.Json(output)).RootElement;
        Assert.Equal(["average", "ir", "n_ir", "r2", "n_r2"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.254, json.GetProperty("ir").GetDouble(), 0.002);
        Assert.Equal(0.138, json.GetProperty("n_ir").GetDouble(), 0.002);
    }

    [Fact]
    public async Task MetricsAlignmentNamesTheValueThatIsNotANumber()
    {
        var (code, _, error) = await Run(null, "metrics", "alignment", "--al", "2.8,three,3.1");

        Assert.Equal(2, code);
        Assert.Contains("--al value 2 ('three') is not a number", error);
    }

    [Fact]
    public async Task MetricsAlignmentFromAScoreFileAddsNPerTurnAndIntervals()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "case,turn,score\na,1,2\na,2,4\nb,1,3\nb,2,5\nc,1,2\n");

        var (code, output, _) = await Run(null, "metrics", "alignment", "--scores", file, "--json");

        Assert.Equal(0, code);
        var json = JsonDocument.Parse(ConsoleCapture.Json(output)).RootElement;
        Assert.Equal([3, 2], json.GetProperty("turns").EnumerateArray().Select(t => t.GetProperty("n").GetInt32()));
        Assert.Equal(2, json.GetProperty("average_ci").GetArrayLength());
        Assert.Equal(2, json.GetProperty("complete_cases").GetInt32());
    }

    [Fact]
    public async Task AMalformedScoreFileIsRefusedWithItsLineNumbers()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "a,1,2\na,2\nb,one,3\n");

        var (code, output, error) = await Run(null, "metrics", "alignment", "--scores", file);

        Assert.Equal(2, code);
        Assert.DoesNotContain("average", output);
        Assert.Contains("line 2", error);
        Assert.Contains("line 3", error);
    }

    [Fact]
    public async Task BenchRunReportAndCompareWorkFromTheCommandLine()
    {
        await using var host = await FixedCaseSource.HostAsync();
        host.Llm.On(LlmRole.RolePlay, _ => "Hi!").On(LlmRole.Evaluated, r => $"from {r.Binding?.Model}").On(LlmRole.Judge, r => r.Messages[0].Text.Contains("from good") ? "5" : "3");

        var first = await Run(host.Services, "bench", "run", "--evaluated", "plain", "--turns", "3", "--json");
        var second = await Run(host.Services, "bench", "run", "--evaluated", "good", "--turns", "3", "--judge-mode", "history", "--json");
        var report = await Run(host.Services, "bench", "report", "2");
        var compare = await Run(host.Services, "bench", "compare", "1", "2", "--json");

        Assert.Equal(0, first.Code);
        var run = JsonDocument.Parse(ConsoleCapture.Json(first.Out)).RootElement;
        Assert.Equal(3.0, run.GetProperty("metrics").GetProperty("average").GetDouble());
        Assert.Equal("paper", run.GetProperty("run").GetProperty("judge_mode").GetString());
        Assert.Equal("history", JsonDocument.Parse(ConsoleCapture.Json(second.Out)).RootElement.GetProperty("run").GetProperty("judge_mode").GetString());
        Assert.Contains("average 5.000", report.Out);
        var paired = JsonDocument.Parse(ConsoleCapture.Json(compare.Out)).RootElement.GetProperty("paired")[0];
        Assert.Equal(2.0, paired.GetProperty("average_difference").GetDouble());
        Assert.Equal(3, paired.GetProperty("shared_cases").GetInt32());
    }

    [Fact]
    public async Task BenchReportOfAnUnknownRunSaysSo()
    {
        await using var host = await FixedCaseSource.HostAsync();

        var (code, _, error) = await Run(host.Services, "bench", "report", "42");

        Assert.Equal(1, code);
        Assert.Contains("No benchmark run 42", error);
    }
}
