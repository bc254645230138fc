using System.CommandLine;
using System.Text.Json;
using Aloe.Cli;

namespace Aloe.Core.Tests.Annotation;

[Collection(ConsoleCollection.Name)]
public sealed class AgreementCommandsTests : IDisposable
{
    readonly string _file = Path.Combine(Path.GetTempPath(), $"aloe-ratings-{Guid.NewGuid():N}.csv");

    public void Dispose() => File.Delete(_file);

    async Task<(int Code, string Out, string Err)> Run(string csv, params string[] args)
    {
        await File.WriteAllTextAsync(_file, csv);
        var root = new RootCommand { AgreementCommands.Create() };
        return await ConsoleCapture.RunAsync(root, ["agreement", "--ratings", _file, .. args]);
    }

    /// <summary>statsmodels' table [[0,4,1],[0,8,0],[0,1,5]] as long-format rows of two raters.</summary>
    static string StatsmodelsTable()
    {
        int[,] table = { { 0, 4, 1 }, { 0, 8, 0 }, { 0, 1, 5 } };
        var lines = new List<string> { "item,rater,rating" };
        var item = 0;
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
                for (var c = 0; c < table[i, j]; c++)
                {
                    item++;
                    lines.Add($"\"case {item}, turn 1\",human,{i + 1}");
                    lines.Add($"\"case {item}, turn 1\",judge,{j + 1}");
                }
        return string.Join('\n', lines);
    }

    [Fact]
    public async Task CohenPrintsValueStandardErrorAndBootstrapInterval()
    {
        var (code, output, _) = await Run(StatsmodelsTable(), "--metric", "cohen", "--json");

        Assert.Equal(0, code);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["metric", "value", "n_items", "se", "ci_low", "ci_high"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("cohen", json.GetProperty("metric").GetString());
        Assert.Equal(0.4842, json.GetProperty("value").GetDouble(), 4);
        Assert.Equal(0.1380, json.GetProperty("se").GetDouble(), 4);
        Assert.Equal(19, json.GetProperty("n_items").GetInt32());
        Assert.True(json.GetProperty("ci_low").GetDouble() < 0.4842 && json.GetProperty("ci_high").GetDouble() > 0.4842);
    }

    [Fact]
    public async Task KrippendorffReadsAMissingRatingAsAnAbsentRow()
    {
        double?[][] coders =
        [
            [null, null, null, null, null, 3, 4, 1, 2, 1, 1, 3, 3, null, 3],
            [1, null, 2, 1, 3, 3, 4, 3, null, null, null, null, null, null, null],
            [null, null, 2, 1, 3, 4, 4, null, 2, 1, 1, 3, 3, null, 4],
        ];
        var csv = "rating,item,rater\n" + string.Join('\n', coders.SelectMany((row, r) => row.Select((v, i) => (v, i)).Where(x => x.v is not null).Select(x => $"{x.v},u{x.i},c{r}")));

        var (code, output, _) = await Run(csv, "--metric", "krippendorff-interval", "--json");

        Assert.Equal(0, code);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(0.810845, json.GetProperty("value").GetDouble(), 6);
        Assert.False(json.TryGetProperty("ci_low", out _));
    }

    [Fact]
    public async Task CohenWithThreeRatersIsAOneLineError()
    {
        var (code, _, error) = await Run("item,rater,rating\na,r1,1\na,r2,2\na,r3,2\n", "--metric", "cohen");

        Assert.Equal(2, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("exactly two raters", error);
    }

    [Fact]
    public async Task BadLinesAreReportedWithTheirNumbers()
    {
        var (code, output, error) = await Run("item,rater,rating\na,r1,1\na,r2,five\nb,r1\na,r1,3\n", "--metric", "fleiss");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("line 3: rating 'five' is not a number", error);
        Assert.Contains("line 4: expected 3 columns, found 2", error);
        Assert.Contains("line 5: rater 'r1' already rated item 'a' on line 2", error);
    }

    [Fact]
    public async Task AMissingColumnIsNamed()
    {
        var (code, _, error) = await Run("item,annotator,rating\na,r1,1\n", "--metric", "percent");

        Assert.Equal(2, code);
        Assert.Contains("line 1: the header must name the columns item,rater,rating; missing rater", error);
    }
}
