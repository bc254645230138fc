using System.CommandLine;
using System.Text.Json;
using Aloe.Cli;
using Aloe.Core.Analysis.Scoring;
using Aloe.Core.Tests.Analysis.Prism;
using Aloe.Testing;

namespace Aloe.Core.Tests.Analysis.Scoring;

[Collection(ConsoleCollection.Name)]
public sealed class ScoresCommandsTests
{
    static async Task<(int Code, string Out, string Err)> Run(IServiceProvider services, params string[] args)
    {
        var root = new RootCommand { ScoresCommands.Create(services) };
        return await ConsoleCapture.RunAsync(root, args);
    }

    [Fact]
    public async Task ImportPrismScoreAndPrintTheTable()
    {
        await using var host = await TestHost.StartAsync(b => b.AddAnalysisScoring());

        var import = await Run(host.Services, "analysis", "import-prism", PrismFixtures.Valid, "--json");
        var score = await Run(host.Services, "analysis", "score", "--source", "prism", "--scorer", "simulated", "--json");
        var table = await Run(host.Services, "analysis", "table", "--source", "prism", "--scorer", "simulated");

        Assert.Equal((0, 0, 0), (import.Code, score.Code, table.Code));
        Assert.Equal(7, JsonDocument.Parse(ConsoleCapture.Json(import.Out)).RootElement.GetProperty("utterances").GetInt32());
        var progress = JsonDocument.Parse(ConsoleCapture.Json(score.Out)).RootElement;
        Assert.Equal(("Succeeded", 8, 8), (progress.GetProperty("status").GetString(), progress.GetProperty("done").GetInt32(), progress.GetProperty("total").GetInt32()));
        Assert.StartsWith("text_id,chosen,score,log_score,user,conversation,model,category,affinity", table.Out);
        // Of 7 responses, three have an "EMPTY STRING" text or prompt and are left out (--all keeps them).
        Assert.Equal(5, table.Out.TrimEnd().Split('\n').Length);
        Assert.Contains("Left out 3 of 7 responses", table.Err);
        var lines = table.Out.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r').Split(',')).ToList();
        var attributeColumns = Enumerable.Range(0, lines[0].Length).Where(i => lines[0][i] is "toxicity" or "prompt_reasoning_nuance").ToList();
        Assert.All(lines.Skip(1), cells => Assert.All(attributeColumns, i => Assert.NotEmpty(cells[i])));
    }

    [Fact]
    public async Task AMalformedPrismFolderIsAOneLineErrorPerProblem()
    {
        await using var host = await TestHost.StartAsync(b => b.AddAnalysisScoring());
        var broken = PrismFixtures.CopyWith("survey.jsonl", lines => [lines[0], "{\"user_id\": 5"]);

        var (code, _, error) = await Run(host.Services, "analysis", "import-prism", broken);

        Assert.Equal(1, code);
        Assert.Contains("survey.jsonl:2:", error);
        Assert.Contains("nothing was stored", error);
    }

    [Fact]
    public async Task CsvScorerNeedsAFile()
    {
        await using var host = await TestHost.StartAsync(b => b.AddAnalysisScoring());

        var (code, _, error) = await Run(host.Services, "analysis", "score", "--source", "prism", "--scorer", "csv");

        Assert.Equal(1, code);
        Assert.Equal("--scorer csv needs --file FILE.csv.", error.Trim());
    }
}
