using System.CommandLine;
using System.Text.Json;
using Aloe.Cli;
using Aloe.Core.Annotation;
using Aloe.Testing;
using Aloe.Testing.Annotation;

namespace Aloe.Core.Tests.Annotation;

[Collection(ConsoleCollection.Name)]
public sealed class AnnotationCommandsTests
{
    static async Task<(int Code, string Out, string Err)> Run(IServiceProvider services, params string[] args)
    {
        var root = new RootCommand { AnnotationCommands.Create(services), AgreementCommands.Create() };
        return await ConsoleCapture.RunAsync(root, args);
    }

    [Fact]
    public async Task CreateExportImportAndReportFromTheCommandLine()
    {
        await using var host = await TestHost.StartAsync(b => b.AddAnnotation());
        long runId;
        await using (var db = host.Db())
            runId = await AnnotationTestData.SeedBenchmarkRunAsync(db);
        var folder = Directory.CreateTempSubdirectory("aloe-annotation-cli").FullName;
        try
        {
            var (code, output, _) = await Run(host.Services, "annotation", "create", "--benchmark-run", runId.ToString(), "--per-turn", "2", "--seed", "9", "--json");
            Assert.Equal(0, code);
            var created = JsonDocument.Parse(output).RootElement;
            Assert.Equal(20, created.GetProperty("items").GetInt32());
            var id = created.GetProperty("campaign").GetProperty("id").GetInt64().ToString();

            var exported = Path.Combine(folder, "ratings.csv");
            Assert.Equal(0, (await Run(host.Services, "annotation", "export", "--campaign", id, "--out", exported)).Code);
            var lines = await File.ReadAllLinesAsync(exported);
            Assert.Equal("item,rater,rating", lines[0]);
            Assert.Equal(20, lines.Count(l => l.Contains(",judge,")));

            // Two offline annotators: one copies the judge, one is off by one on the first ten items.
            var offline = Path.Combine(folder, "offline.csv");
            await File.WriteAllLinesAsync(offline, [lines[0],
                .. lines.Skip(1).Select(l => l.Replace(",judge,", ",ada,")),
                .. lines.Skip(1).Select((l, i) => { var f = l.Split(','); return $"{f[0]},ben,{(i < 10 ? int.Parse(f[2]) % 5 + 1 : int.Parse(f[2]))}"; })]);
            (code, output, _) = await Run(host.Services, "annotation", "import", "--campaign", id, offline, "--json");
            Assert.Equal(0, code);
            Assert.Equal(40, JsonDocument.Parse(output).RootElement.GetProperty("ratings").GetInt32());

            (code, output, _) = await Run(host.Services, "annotation", "report", "--campaign", id, "--resamples", "200", "--json");
            Assert.Equal(0, code);
            var report = JsonDocument.Parse(output).RootElement;
            var kappas = report.GetProperty("versusJudge").EnumerateArray().Select(r => r.GetProperty("unweighted").GetProperty("value").GetDouble()).ToList();
            Assert.Equal(1.0, kappas[0], 12);
            Assert.True(kappas[1] < 1.0);
            Assert.Equal((kappas[0] + kappas[1]) / 2, report.GetProperty("mean").GetProperty("unweighted").GetDouble(), 12);

            // The export of the imported ratings feeds `aloe agreement` directly.
            var again = Path.Combine(folder, "again.csv");
            await Run(host.Services, "annotation", "export", "--campaign", id, "--out", again);
            (code, output, var error) = await Run(host.Services, "agreement", "--ratings", again, "--metric", "krippendorff-ordinal", "--json");
            Assert.True(code == 0, error);
            Assert.Equal(20, JsonDocument.Parse(output).RootElement.GetProperty("n_items").GetInt32());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ABadImportPrintsNumberedLinesAndImportsNothing()
    {
        await using var host = await TestHost.StartAsync(b => b.AddAnnotation());
        long runId;
        await using (var db = host.Db())
            runId = await AnnotationTestData.SeedBenchmarkRunAsync(db, cases: 3, turns: 2);
        var campaign = await host.Get<AnnotationService>().CreateFromBenchmarkAsync(new BenchmarkCampaignRequest { BenchmarkRunId = runId, PerTurn = 1 });
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "item,rater\nx,ada\n");
            var (code, _, error) = await Run(host.Services, "annotation", "import", "--campaign", campaign.Id.ToString(), file);

            Assert.Equal(1, code);
            Assert.Contains("line 1: the header must name the columns item,rater,rating; missing rating", error);
            Assert.Empty(await host.Get<AnnotationService>().AnnotatorsAsync(campaign.Id));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task CreateNeedsExactlyOneSource()
    {
        await using var host = await TestHost.StartAsync(b => b.AddAnnotation());

        var (code, _, error) = await Run(host.Services, "annotation", "create", "--json");

        Assert.Equal(1, code);
        Assert.Contains("exactly one of --benchmark-run, --dialogue-run or --items-csv", error);
    }
}
