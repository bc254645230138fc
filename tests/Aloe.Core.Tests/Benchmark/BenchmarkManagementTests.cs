using Aloe.Core.Benchmark;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Testing;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Tests.Benchmark;

/// <summary>Sorting the runs grid, case neighbours, retrying failed scores and deleting runs.</summary>
public sealed class BenchmarkManagementTests
{
    static void Script(ScriptedLlmGateway llm, Func<LlmRequest, string> judge)
    {
        llm.On(LlmRole.RolePlay, r => "Hello, turn " + ((r.Messages.Count - 1) / 2 + 1));
        llm.On(LlmRole.Evaluated, r => "Reply to: " + r.Messages[^1].Text);
        llm.On(LlmRole.Judge, judge);
    }

    static async Task<BenchmarkRun> RunAsync(TestHost host, string model, int turns = 2)
    {
        var run = await host.Get<BenchmarkService>().StartRunAsync(new BenchmarkRunRequest { EvaluatedModel = model, Turns = turns });
        await host.Get<JobRunner>().ExecuteAsync(run.JobRunId!.Value, CancellationToken.None);
        return run;
    }

    [Fact]
    public async Task TheRunsGridSortsByAverageAlignmentLevel()
    {
        await using var host = await FixedCaseSource.HostAsync();
        Script(host.Llm, r => r.Messages[0].Text.Contains("from high") ? "5" : "2");
        host.Llm.On(LlmRole.Evaluated, r => "Reply from " + r.Binding?.Model);
        var low = await RunAsync(host, "low");
        var high = await RunAsync(host, "high");

        var descending = await host.Get<BenchmarkReports>().ListAsync(sort: BenchmarkRunSort.Average, descending: true);
        var ascending = await host.Get<BenchmarkReports>().ListAsync(sort: BenchmarkRunSort.Average, descending: false);

        Assert.Equal([high.Id, low.Id], descending.Rows.Select(r => r.Run.Id));
        Assert.Equal([low.Id, high.Id], ascending.Rows.Select(r => r.Run.Id));
        Assert.Equal("scripted", descending.Rows[0].JudgeModel);
        Assert.Equal(2, descending.Total);
    }

    [Fact]
    public async Task CaseNeighboursFollowTheCaseOrderOfTheRun()
    {
        await using var host = await FixedCaseSource.HostAsync();
        Script(host.Llm, _ => "3");
        var run = await RunAsync(host, "m");
        var cases = (await host.Get<BenchmarkReports>().GetAsync(run.Id))!.Cases.Select(c => c.Case.Id).ToList();

        Assert.Equal(new BenchmarkCaseNeighbours(null, cases[1]), await host.Get<BenchmarkReports>().CaseNeighboursAsync(run.Id, cases[0]));
        Assert.Equal(new BenchmarkCaseNeighbours(cases[0], cases[2]), await host.Get<BenchmarkReports>().CaseNeighboursAsync(run.Id, cases[1]));
        Assert.Equal(new BenchmarkCaseNeighbours(null, null), await host.Get<BenchmarkReports>().CaseNeighboursAsync(run.Id + 1, cases[1]));
    }

    [Fact]
    public async Task RetryingFailedScoresJudgesOnlyThoseResponsesAgain()
    {
        await using var host = await FixedCaseSource.HostAsync();
        var judgeWorks = false;
        Script(host.Llm, r => judgeWorks || !r.Messages[0].Text.Contains("ann-profile") ? "4" : "no idea");
        var run = await RunAsync(host, "m");
        Assert.Equal(2, (await host.Get<BenchmarkReports>().GetAsync(run.Id))!.FailedScores);
        var judgeCalls = host.Llm.Requests.Count(r => r.Role == LlmRole.Judge);
        judgeWorks = true;

        var job = await host.Get<BenchmarkService>().RetryFailedScoresAsync(run.Id);
        await host.Get<JobRunner>().ExecuteAsync(job.Id, CancellationToken.None);

        var detail = (await host.Get<BenchmarkReports>().GetAsync(run.Id))!;
        Assert.Equal(0, detail.FailedScores);
        Assert.All(detail.Cases, c => Assert.Equal(BenchmarkCaseStatus.Completed, c.Case.Status));
        Assert.Equal(4.0, detail.Report.Summary!.Average, 1e-12);
        Assert.Equal(2, host.Llm.Requests.Count(r => r.Role == LlmRole.Judge) - judgeCalls);
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Get<BenchmarkService>().RetryFailedScoresAsync(run.Id));
    }

    [Fact]
    public async Task DeletingARunRemovesItsCasesTranscriptsAndScoringsAndKeepsOtherRuns()
    {
        await using var host = await FixedCaseSource.HostAsync();
        Script(host.Llm, _ => "3");
        var run = await RunAsync(host, "gone");
        var kept = await RunAsync(host, "kept");
        var removal = host.Get<BenchmarkRemoval>();

        var preview = (await removal.PreviewAsync(run.Id))!;
        Assert.Equal(["3 cases", "6 transcript turns", "1 scoring with 6 judge scores"], preview.GoesWith);
        Assert.True(preview.CanDelete);
        Assert.True(await removal.DeleteAsync(run.Id));

        await using var db = host.Db();
        Assert.Equal([kept.Id], await db.Set<BenchmarkRun>().Select(r => r.Id).ToListAsync());
        Assert.Equal(3, await db.Set<BenchmarkCase>().CountAsync());
        Assert.Equal(6, await db.Set<BenchmarkTurn>().CountAsync());
        Assert.Equal(6, await db.Set<BenchmarkScore>().CountAsync());
        Assert.NotNull(await host.Get<JobService>().GetAsync(run.JobRunId!.Value));
    }

    [Fact]
    public async Task ARunStillQueuedCannotBeDeleted()
    {
        await using var host = await FixedCaseSource.HostAsync();
        var run = await host.Get<BenchmarkService>().StartRunAsync(new BenchmarkRunRequest { EvaluatedModel = "m", Turns = 2 });

        var preview = (await host.Get<BenchmarkRemoval>().PreviewAsync(run.Id))!;

        Assert.False(preview.CanDelete);
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Get<BenchmarkRemoval>().DeleteAsync(run.Id));
    }

    [Fact]
    public async Task MoreCasesThanTheEvaluationSetHoldsAreRefused()
    {
        await using var host = await FixedCaseSource.HostAsync();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => host.Get<BenchmarkService>().StartRunAsync(new BenchmarkRunRequest { EvaluatedModel = "m", Cases = 4 }));

        Assert.Contains("between 1 and 3", refused.Message);
        await using var db = host.Db();
        Assert.False(await db.Set<BenchmarkRun>().AnyAsync());
    }
}
