using System.CommandLine;
using System.Text.Json;
using Aloe.Cli;
using Aloe.Testing;

namespace Aloe.Core.Tests.Analysis;

[Collection(ConsoleCollection.Name)]
public sealed class ModelCommandsTests
{
    static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var root = new RootCommand { new Command("analysis") { ModelCommands.Fit() } };
        return await ConsoleCapture.RunAsync(root, args);
    }

    [SkippableFact]
    public async Task FitPrintsTheIssuesJsonShape()
    {
        var csv = Path.Combine(TestHost.RequireSharedFolder(), "testdata", "lme4", "sleepstudy.csv");
        var (code, output, error) = await Run("analysis", "fit", "--data", csv, "--formula", "Reaction ~ Days + (1|Subject)",
            "--family", "gaussian", "--warmup", "300", "--draws", "300", "--seed", "3", "--json");

        Assert.True(code == 0, error);
        var json = JsonDocument.Parse(ConsoleCapture.Json(output)).RootElement;
        Assert.Equal(["fixed", "random", "rhat_max", "ess_bulk_min", "seconds"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["(Intercept)", "Days"], json.GetProperty("fixed").EnumerateObject().Select(p => p.Name));
        var days = json.GetProperty("fixed").GetProperty("Days");
        Assert.Equal(["mean", "sd", "q05", "q95", "evidence_ratio"], days.EnumerateObject().Select(p => p.Name));
        Assert.InRange(days.GetProperty("mean").GetDouble(), 9, 12);
        Assert.Equal(["sd_mean"], json.GetProperty("random").GetProperty("Subject").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task MissingColumnIsAOneLineError()
    {
        var csv = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(csv, "y,x,g\n1,0.5,a\n0,0.2,b\n1,0.9,a\n");
            var (code, _, error) = await Run("analysis", "fit", "--data", csv, "--formula", "y ~ x + z + (1|g)", "--family", "bernoulli");
            Assert.Equal(2, code);
            Assert.StartsWith("error: The formula names column 'z'", error);
            Assert.Single(error.Trim().Split('\n'));
        }
        finally
        {
            File.Delete(csv);
        }
    }
}
