using System.Text.Json;
using Aloe.Core.Annotation;
using Aloe.Testing;
using Aloe.Testing.Annotation;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Tests.Annotation;

public sealed class AnnotationCampaignTests
{
    static Task<TestHost> HostAsync() => TestHost.StartAsync(b => b.AddAnnotation());

    static async Task<(TestHost Host, AnnotationService Service, long RunId)> WithRunAsync()
    {
        var host = await HostAsync();
        await using var db = host.Db();
        return (host, host.Get<AnnotationService>(), await AnnotationTestData.SeedBenchmarkRunAsync(db));
    }

    static async Task<List<long>> OrderAsync(TestHost host, long annotatorId)
    {
        await using var db = host.Db();
        return await db.Set<AnnotationAssignment>().Where(a => a.AnnotatorId == annotatorId).OrderBy(a => a.Position).Select(a => a.ItemId).ToListAsync();
    }

    [Fact]
    public async Task ThePapersDesignIsFivePerTurnFiftyItemsTheSameForEveryAnnotator()
    {
        var (host, service, runId) = await WithRunAsync();
        await using var _ = host;

        var campaign = await service.CreateFromBenchmarkAsync(new BenchmarkCampaignRequest { BenchmarkRunId = runId });
        var annotators = new List<AnnotationAnnotator>();
        foreach (var name in new[] { "ada", "ben", "cleo" })
            annotators.Add(await service.AddAnnotatorAsync(campaign.Id, name));

        await using var db = host.Db();
        var items = await db.Set<AnnotationItem>().Where(i => i.CampaignId == campaign.Id).ToListAsync();
        Assert.Equal(50, items.Count);
        Assert.All(items.GroupBy(i => i.Turn), g => Assert.Equal(5, g.Count()));
        Assert.All(items, i => Assert.Equal(AnnotationTestData.JudgeScore(int.Parse(i.CaseKey![4..]), i.Turn!.Value), i.JudgeRating));
        var orders = new List<List<long>>();
        foreach (var a in annotators)
            orders.Add(await OrderAsync(host, a.Id));
        Assert.All(orders, o => Assert.Equal(items.Select(i => i.Id).Order(), o.Order()));
        Assert.NotEqual(orders[0], orders[1]);
        Assert.NotEqual(orders[1], orders[2]);
    }

    [Fact]
    public async Task TheSameSeedSamplesTheSameItemsInTheSameOrders()
    {
        var (host, service, runId) = await WithRunAsync();
        await using var _ = host;

        var first = await service.CreateFromBenchmarkAsync(new BenchmarkCampaignRequest { BenchmarkRunId = runId, Seed = 11 });
        var second = await service.CreateFromBenchmarkAsync(new BenchmarkCampaignRequest { BenchmarkRunId = runId, Seed = 11 });
        var other = await service.CreateFromBenchmarkAsync(new BenchmarkCampaignRequest { BenchmarkRunId = runId, Seed = 12 });

        await using var db = host.Db();
        async Task<List<string>> Keys(long id) => await db.Set<AnnotationItem>().Where(i => i.CampaignId == id).OrderBy(i => i.Index).Select(i => i.Key).ToListAsync();
        async Task<List<string>> FirstOrder(long id)
        {
            var annotator = await service.AddAnnotatorAsync(id, "ada");
            var order = await OrderAsync(host, annotator.Id);
            var keys = await db.Set<AnnotationItem>().Where(i => i.CampaignId == id).ToDictionaryAsync(i => i.Id, i => i.Key);
            return order.Select(o => keys[o]).ToList();
        }
        Assert.Equal(await Keys(first.Id), await Keys(second.Id));
        Assert.NotEqual(await Keys(first.Id), await Keys(other.Id));
        Assert.Equal(await FirstOrder(first.Id), await FirstOrder(second.Id));
    }

    [Fact]
    public async Task PartialOverlapGivesEachItemExactlyThatManyAnnotators()
    {
        var (host, service, runId) = await WithRunAsync();
        await using var _ = host;

        var campaign = await service.CreateFromBenchmarkAsync(new BenchmarkCampaignRequest { BenchmarkRunId = runId, Annotators = 3, AnnotatorsPerItem = 2, AttentionChecks = 2 });
        foreach (var name in new[] { "ada", "ben", "cleo" })
            await service.AddAnnotatorAsync(campaign.Id, name);

        await using var db = host.Db();
        var perItem = await (from s in db.Set<AnnotationAssignment>() join i in db.Set<AnnotationItem>() on s.ItemId equals i.Id
                             where i.CampaignId == campaign.Id group s by new { i.Id, Check = i.ExpectedRating != null } into g select new { g.Key.Check, Count = g.Count() }).ToListAsync();
        Assert.Equal(52, perItem.Count);
        Assert.All(perItem.Where(p => !p.Check), p => Assert.Equal(2, p.Count));
        Assert.All(perItem.Where(p => p.Check), p => Assert.Equal(3, p.Count));
    }

    [Fact]
    public async Task RatingsSaveOneAtATimeAndTheAnnotatorResumesWhereTheyWere()
    {
        var (host, service, runId) = await WithRunAsync();
        await using var _ = host;
        var campaign = await service.CreateFromBenchmarkAsync(new BenchmarkCampaignRequest { BenchmarkRunId = runId, PerTurn = 1 });
        var ada = await service.AddAnnotatorAsync(campaign.Id, "ada");

        var start = await service.ScreenAsync(ada.Id);
        var afterRate = await service.RateAsync(ada.Id, 0, 4, 1500);
        var afterSkip = await service.SkipAsync(ada.Id, 1, "text is cut off", 800);
        await service.FlagAsync(ada.Id, 2, true);
        await service.CommentAsync(ada.Id, 2, "persona contradicts itself");
        var resumed = await service.ScreenAsync(ada.Id);
        var undone = await service.UndoAsync(ada.Id);
        var back = await service.MoveAsync(ada.Id, 0);

        Assert.Equal((0, 10, 0), (start.Position, start.Total, start.Done));
        Assert.Equal((1, 1), (afterRate.Position, afterRate.Done));
        Assert.Equal((2, 2), (afterSkip.Position, afterSkip.Done));
        Assert.Equal(2, resumed.Position);
        Assert.True(resumed.Item!.Flagged);
        Assert.Equal("persona contradicts itself", resumed.Item.Comment);
        Assert.Equal((1, 1), (undone.Position, undone.Done));
        Assert.Null(undone.Item!.SkipReason);
        Assert.Equal(4, back.Item!.Rating);
        await using var db = host.Db();
        Assert.Equal(1500, await db.Set<AnnotationRating>().Where(r => r.Rating == 4).Select(r => r.Milliseconds).SingleAsync());
    }

    [Fact]
    public async Task TheAnnotatorsScreenIsBlind()
    {
        var (host, service, runId) = await WithRunAsync();
        await using var _ = host;
        var campaign = await service.CreateFromBenchmarkAsync(new BenchmarkCampaignRequest { BenchmarkRunId = runId });
        var ada = await service.AddAnnotatorAsync(campaign.Id, "ada");
        var ben = await service.AddAnnotatorAsync(campaign.Id, "ben");
        await service.RateAsync(ben.Id, 0, 5, 100);

        var screen = await service.ScreenAsync(ada.Id);
        var json = JsonSerializer.Serialize(screen.Item);

        Assert.DoesNotContain("judge", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("sim-adaptive", JsonSerializer.Serialize(screen));
        Assert.Null(screen.Item!.Rating);
        Assert.NotEmpty(screen.Guidelines);
    }

    [Fact]
    public async Task TheConversationSoFarComesWithALaterTurn()
    {
        var (host, service, runId) = await WithRunAsync();
        await using var _ = host;
        var campaign = await service.CreateFromBenchmarkAsync(new BenchmarkCampaignRequest { BenchmarkRunId = runId, Shuffle = false });
        var ada = await service.AddAnnotatorAsync(campaign.Id, "ada");

        var last = await service.MoveAsync(ada.Id, 49);

        Assert.Equal(9, last.Item!.Context.Count);
        Assert.StartsWith("Answer 1 for case", last.Item.Context[0].Assistant);
        Assert.StartsWith("Answer 10 for case", last.Item.Response);
    }

    [Fact]
    public async Task BadImportLinesAreNumberedAndNothingIsImported()
    {
        var (host, service, runId) = await WithRunAsync();
        await using var _ = host;
        var campaign = await service.CreateFromBenchmarkAsync(new BenchmarkCampaignRequest { BenchmarkRunId = runId });
        var export = new StringWriter();
        await service.ExportAsync(campaign.Id, export);
        var key = export.ToString().Split('\n')[1].Split(',')[0];

        var error = await Assert.ThrowsAsync<FormatException>(() => service.ImportAsync(campaign.Id, new StringReader(
            $"item,rater,rating\n{key},ada,3\n{key},ben,7\nno-such-item,ada,2\n{key},ada,4\n{key},cleo,2.5\n")));

        Assert.Contains("line 3: rating 7 is outside the scale 1-5", error.Message);
        Assert.Contains("line 4: no item 'no-such-item' in campaign", error.Message);
        Assert.Contains("line 5: rater 'ada' already rated item", error.Message);
        Assert.Contains("line 6: rating 2.5 is outside the scale", error.Message);
        Assert.Empty(await service.AnnotatorsAsync(campaign.Id));
    }

    [Fact]
    public async Task ExportedJudgeRatingsImportedAsAHumanAgreePerfectly()
    {
        var (host, service, runId) = await WithRunAsync();
        await using var _ = host;
        var campaign = await service.CreateFromBenchmarkAsync(new BenchmarkCampaignRequest { BenchmarkRunId = runId });
        var export = new StringWriter();
        await service.ExportAsync(campaign.Id, export);
        var asHuman = export.ToString().Replace(",judge,", ",ada,");

        var imported = await service.ImportAsync(campaign.Id, new StringReader(asHuman));
        var report = await host.Get<AnnotationReports>().ReportAsync(campaign.Id, resamples: 200);

        Assert.Equal(50, imported.Ratings);
        Assert.Equal(["ada"], imported.NewAnnotators);
        var row = Assert.Single(report.VersusJudge);
        Assert.Equal(50, row.Items);
        Assert.Equal(1.0, row.Unweighted.Value!.Value, 12);
        Assert.Equal(1.0, report.Mean.Quadratic!.Value, 12);
        Assert.Empty(report.Disagreements);
    }

    [Fact]
    public async Task TheReportPutsHumanCurvesBesideTheJudgesOnTheSameItems()
    {
        var (host, service, runId) = await WithRunAsync();
        await using var _ = host;
        var campaign = await service.CreateFromBenchmarkAsync(new BenchmarkCampaignRequest { BenchmarkRunId = runId, AttentionChecks = 1 });
        var reports = host.Get<AnnotationReports>();
        // ada rates like the judge; ben one point lower (floor 1) and fails the attention check.
        await using (var db = host.Db())
        {
            var items = await db.Set<AnnotationItem>().Where(i => i.CampaignId == campaign.Id).ToDictionaryAsync(i => i.Id);
            foreach (var (name, shift) in new[] { ("ada", 0), ("ben", -1) })
            {
                var annotator = await service.AddAnnotatorAsync(campaign.Id, name);
                var order = await OrderAsync(host, annotator.Id);
                for (var p = 0; p < order.Count; p++)
                {
                    var item = items[order[p]];
                    var rating = item.ExpectedRating is { } expected ? (shift == 0 ? expected : expected % 5 + 1) : Math.Max(1, item.JudgeRating!.Value + shift);
                    await service.RateAsync(annotator.Id, p, rating, 1000);
                }
            }
        }

        var report = await reports.ReportAsync(campaign.Id, resamples: 500);

        Assert.Equal(50, report.Items);
        Assert.Equal([(51, 51, 1, 1), (51, 51, 0, 1)], report.Progress.Select(p => (p.Assigned, p.Rated, p.AttentionPassed, p.AttentionAnswered)));
        Assert.Equal(1.0, report.VersusJudge[0].Quadratic.Value!.Value, 12);
        Assert.True(report.VersusJudge[1].Unweighted.Value < 0.5);
        Assert.InRange(report.VersusJudge[1].Unweighted.Value!.Value, report.VersusJudge[1].Unweighted.Interval!.Low, report.VersusJudge[1].Unweighted.Interval!.High);
        Assert.Equal((report.VersusJudge[0].Unweighted.Value + report.VersusJudge[1].Unweighted.Value) / 2, report.Mean.Unweighted);
        Assert.Equal(100, report.Confusion.Counts.Sum(r => r.Sum()));
        Assert.Equal(["Judge", "Humans (mean)", "ada", "ben"], report.Curves.Select(c => c.Name));
        Assert.Equal(report.Curves[0].AlignmentLevels, report.Curves[2].AlignmentLevels);
        Assert.True(report.Curves[0].Summary!.ImprovementRate > 0);
        Assert.Equal(10, report.PerTurn.Count);
        Assert.All(report.PerTurn, t => Assert.Equal(10, t.Pairs));
        Assert.Contains(report.BetweenAnnotators, c => c.Metric == "krippendorff-ordinal" && c.Items == 50);
        var worst = report.Disagreements[0];
        Assert.Equal(0.5, worst.Gap);
        Assert.StartsWith($"/benchmark/runs/{runId}/cases/", worst.Link);
    }

    [Fact]
    public async Task PairwiseItemsFromDialoguesRandomiseWhichAnswerIsA()
    {
        await using var host = await HostAsync();
        long runId;
        await using (var db = host.Db())
            runId = await AnnotationTestData.SeedDialogueRunAsync(db, dialogues: 5, turns: 4);
        var service = host.Get<AnnotationService>();

        var campaign = await service.CreateFromDialoguesAsync(new DialogueCampaignRequest { DialogueRunId = runId, Items = 20 });

        await using var check = host.Db();
        var items = await check.Set<AnnotationItem>().Where(i => i.CampaignId == campaign.Id).ToListAsync();
        Assert.Equal((AnnotationTask.Pairwise, 1, 2), (campaign.Task, campaign.ScaleMin, campaign.ScaleMax));
        Assert.Equal(20, items.Count);
        Assert.All(items, i => Assert.StartsWith("PREFERRED", i.JudgeRating == 1 ? i.Response : i.ResponseB));
        Assert.Contains(items, i => i.JudgeRating == 1);
        Assert.Contains(items, i => i.JudgeRating == 2);
        var fourth = items.First(i => i.Turn == 4);
        Assert.Equal(3, JsonSerializer.Deserialize<List<JsonElement>>(fourth.ContextJson)!.Count);
    }

    [Fact]
    public async Task ACampaignCanComeFromACsvOfItems()
    {
        await using var host = await HostAsync();
        var service = host.Get<AnnotationService>();

        var campaign = await service.CreateFromCsvAsync(new CsvCampaignRequest { Name = "From elsewhere" }, new StringReader(
            "item,profile,personality,message,response,judge,turn\nx1,A nurse,Warm,\"Hi, how are you?\",\"Fine.\nThanks!\",4,1\nx2,A pilot,Terse,Hello,Hi,2,2\n"));
        var error = await Assert.ThrowsAsync<FormatException>(() => service.CreateFromCsvAsync(new CsvCampaignRequest { Name = "bad" }, new StringReader(
            "item,profile,personality,message,response,judge\nx1,A nurse,Warm,Hi,Fine,9\nx1,A,B,C,D,1\nx3,,B,C,D,1\n")));

        var ada = await service.AddAnnotatorAsync(campaign.Id, "ada");
        var screen = await service.MoveAsync(ada.Id, 0);
        Assert.Equal(2, screen.Total);
        Assert.Contains(screen.Item!.Response, new[] { "Fine.\nThanks!", "Hi" });
        Assert.Contains("line 2: judge '9' is not a whole number from 1 to 5", error.Message);
        Assert.Contains("line 3: item 'x1' already appears on line 2", error.Message);
        Assert.Contains("line 4: profile is empty", error.Message);
        Assert.Single((await service.ListAsync()));
    }
}
