using Aloe.Core.Benchmark;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;

namespace Aloe.Core.Tests.Benchmark;

public sealed class BenchmarkRunTests
{
    static readonly string[] Names = ["ann", "bob", "cy"];

    /// <summary>The simulated user says who it is and which turn it is; the model echoes it; the judge gives 4.</summary>
    static void Script(ScriptedLlmGateway llm, Func<LlmRequest, string>? judge = null, Func<LlmRequest, string>? evaluated = null)
    {
        llm.On(LlmRole.RolePlay, r => $"*waves* Hello from {Who(r)}, turn {(r.Messages.Count - 1) / 2 + 1}");
        llm.On(LlmRole.Evaluated, evaluated ?? (r => "Reply to: " + r.Messages[^1].Text));
        llm.On(LlmRole.Judge, judge ?? (_ => "4"));
    }

    static string Who(LlmRequest r) => Names.FirstOrDefault(n => r.Messages[0].Text.Contains(n + "-profile")) ?? "?";

    static async Task<BenchmarkRun> RunAsync(TestHost host, int turns = 3, JudgeMode mode = JudgeMode.Paper, int? cases = null)
    {
        var run = await host.Get<BenchmarkService>().StartRunAsync(new BenchmarkRunRequest { EvaluatedModel = "model-under-test", Turns = turns, JudgeMode = mode, Cases = cases });
        await host.Get<JobRunner>().ExecuteAsync(run.JobRunId!.Value, CancellationToken.None);
        return run;
    }

    [Fact]
    public async Task EveryCaseConversesForKTurnsAndEveryResponseIsScored()
    {
        await using var host = await FixedCaseSource.HostAsync();
        Script(host.Llm);

        var run = await RunAsync(host);

        var detail = (await host.Get<BenchmarkReports>().GetAsync(run.Id))!;
        Assert.Equal(JobStatus.Succeeded, detail.Job!.Status);
        Assert.All(detail.Cases, c => Assert.Equal(BenchmarkCaseStatus.Completed, c.Case.Status));
        Assert.Equal([3, 3, 3], detail.Report.Turns.Select(t => t.N));
        Assert.Equal(4.0, detail.Report.Summary!.Average, 1e-12);
        Assert.Equal(0.0, detail.Report.Summary.ImprovementRate, 1e-12);
        await using var db = host.Db();
        Assert.Equal(9, await db.Set<BenchmarkTurn>().CountAsync());
        Assert.Equal(9, await db.Set<BenchmarkScore>().CountAsync());
        // Stage directions between asterisks are removed from the simulated user's message.
        Assert.All(await db.Set<BenchmarkTurn>().ToListAsync(), t => Assert.StartsWith("Hello from", t.UserMessage));
    }

    [Fact]
    public async Task TheRunRecordsItsModelRoleMapPromptHashesAndCaseSet()
    {
        await using var host = await FixedCaseSource.HostAsync();
        Script(host.Llm);

        var run = await RunAsync(host, cases: 2);

        var detail = (await host.Get<BenchmarkReports>().GetAsync(run.Id))!;
        Assert.Equal("model-under-test", detail.Roles["Evaluated"].Model);
        Assert.Equal("scripted", detail.Roles["Judge"].Model);
        Assert.Equal(host.Get<Aloe.Core.Prompts.PromptLibrary>().Get("judge").Hash, detail.PromptHashes["judge"]);
        Assert.Contains("roleplay", detail.PromptHashes.Keys);
        var json = BenchmarkReportJson.From(detail);
        Assert.Equal((run.Provenance.Seed, Aloe.Core.Jobs.RunProvenance.CurrentAppVersion), (json.Run.Seed, json.Run.AppVersion));
        Assert.Equal(2, detail.Run.CaseCount);
        Assert.Equal("fixed: 3, first 2", detail.Run.CaseSet);
        Assert.All(host.Llm.Requests.Where(r => r.Role == LlmRole.Evaluated), r => Assert.Equal("model-under-test", r.Binding!.Model));
    }

    [Fact]
    public async Task TheEvaluatedModelAnswersTheWholeConversationWithoutASystemPrompt()
    {
        await using var host = await FixedCaseSource.HostAsync(1, "ann");
        Script(host.Llm);

        await RunAsync(host);

        var third = host.Llm.Requests.Where(r => r.Role == LlmRole.Evaluated).Last();
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.User, ChatRole.Assistant, ChatRole.User], third.Messages.Select(m => m.Role));
        Assert.Equal("Hello from ann, turn 1", third.Messages[0].Text);
        Assert.Equal("Reply to: Hello from ann, turn 1", third.Messages[1].Text);
        Assert.Equal("Hello from ann, turn 3", third.Messages[4].Text);
    }

    [Fact]
    public async Task ThePaperJudgeSeesThePersonaTheMessageAndTheResponseButNotTheEarlierTurns()
    {
        await using var host = await FixedCaseSource.HostAsync(1, "ann");
        Script(host.Llm);

        await RunAsync(host);

        var last = host.Llm.Requests.Last(r => r.Role == LlmRole.Judge).Messages.Single().Text;
        Assert.Contains("Here is the user's profile: ann is a 30-year-old ann-profile.", last);
        Assert.Contains("Here is the user's personalities: ann is ann-personality.", last);
        Assert.Contains("Here is the user's message: Hello from ann, turn 3", last);
        Assert.Contains("Here is the model's response: Reply to: Hello from ann, turn 3", last);
        Assert.DoesNotContain("turn 2", last);
    }

    [Fact]
    public async Task TheHistoryJudgeAlsoSeesTheConversationSoFar()
    {
        await using var host = await FixedCaseSource.HostAsync(1, "ann");
        Script(host.Llm);

        var run = await RunAsync(host, mode: JudgeMode.History);

        var judged = host.Llm.Requests.Where(r => r.Role == LlmRole.Judge).Select(r => r.Messages.Single().Text).ToList();
        Assert.Contains("(nothing yet: this is the user's first message)", judged[0]);
        Assert.Contains("A: Hello from ann, turn 1\nB: Reply to: Hello from ann, turn 1\nA: Hello from ann, turn 2\nB: Reply to: Hello from ann, turn 2", judged[2]);
        Assert.Equal(JudgeMode.History, (await host.Get<BenchmarkReports>().GetAsync(run.Id))!.Run.JudgeMode);
    }

    [Fact]
    public async Task TheJudgeOfATurnRunsWhileTheNextTurnIsGenerated()
    {
        await using var host = await FixedCaseSource.HostAsync(1, "ann");
        var userSpoke = Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        Script(host.Llm);
        host.Llm.On(LlmRole.RolePlay, r =>
        {
            var turn = (r.Messages.Count - 1) / 2 + 1;
            userSpoke[turn].TrySetResult();
            return $"Hello from ann, turn {turn}";
        });
        // The judge of turns 1 and 2 answers only once the simulated user has written the next
        // message: run one after the other, every judge call would time out and score nothing.
        host.Llm.OnAsync(LlmRole.Judge, async r =>
        {
            var turn = int.Parse(System.Text.RegularExpressions.Regex.Match(r.Messages[0].Text, @"Hello from ann, turn (\d)").Groups[1].Value);
            if (turn < 3)
                await userSpoke[turn + 1].Task.WaitAsync(TimeSpan.FromSeconds(20));
            return "4";
        });

        var run = await RunAsync(host);

        await using var db = host.Db();
        var scores = await db.Set<BenchmarkScore>().Include(s => s.Turn).OrderBy(s => s.Turn!.Turn).ToListAsync();
        Assert.Equal([(1, 4, 1), (2, 4, 1), (3, 4, 1)], scores.Select(s => (s.Turn!.Turn, s.Score!.Value, s.Attempts)));
    }

    [Fact]
    public async Task AnUnparsableJudgeAnswerIsAskedAgainAsANewSample()
    {
        await using var host = await FixedCaseSource.HostAsync(1, "ann");
        Script(host.Llm, judge: r => r.SampleIndex == 0 ? "This response is nicely tailored." : "5");

        var run = await RunAsync(host);

        await using var db = host.Db();
        var scores = await db.Set<BenchmarkScore>().ToListAsync();
        Assert.All(scores, s => Assert.Equal((5, 2, BenchmarkScoreStatus.Scored), (s.Score!.Value, s.Attempts, s.Status)));
    }

    [Fact]
    public async Task AJudgeThatNeverGivesAScoreMarksTheTurnFailedWithItsRawOutputAndTheRunGoesOn()
    {
        await using var host = await FixedCaseSource.HostAsync();
        Script(host.Llm, judge: r => r.Messages[0].Text.Contains("ann-profile") ? "Somewhere between 3 and 4." : "3");

        var run = await RunAsync(host);

        var detail = (await host.Get<BenchmarkReports>().GetAsync(run.Id))!;
        Assert.Equal(JobStatus.Succeeded, detail.Job!.Status);
        Assert.Equal(3, detail.FailedScores);
        Assert.Equal([2, 2, 2], detail.Report.Turns.Select(t => t.N));
        await using var db = host.Db();
        var failed = await db.Set<BenchmarkScore>().Where(s => s.Status == BenchmarkScoreStatus.Failed).ToListAsync();
        Assert.All(failed, s => Assert.Equal(("Somewhere between 3 and 4.", 3, (int?)null), (s.RawOutput, s.Attempts, s.Score)));
        Assert.All(failed, s => Assert.StartsWith("No score after 3 tries", s.Error));
    }

    [Fact]
    public async Task AModelThatKeepsFailingStopsOnlyItsCaseAndNPerTurnShowsIt()
    {
        await using var host = await FixedCaseSource.HostAsync();
        Script(host.Llm, evaluated: r => r.Messages[^1].Text.Contains("bob, turn 2") ? throw new HttpRequestException("503 from the endpoint") : "fine");

        var run = await RunAsync(host);

        var detail = (await host.Get<BenchmarkReports>().GetAsync(run.Id))!;
        Assert.Equal(JobStatus.Failed, detail.Job!.Status);
        Assert.StartsWith("Completed with 1 failure: 1 of 3 cases failed.", detail.Job.Error);
        var bob = detail.Cases.Single(c => c.Case.CaseKey == "case-bob");
        Assert.Equal(BenchmarkCaseStatus.Failed, bob.Case.Status);
        Assert.Contains("Stopped at turn 2: The evaluated model failed 3 times: 503 from the endpoint", bob.Case.Error);
        Assert.Equal([3, 2, 2], detail.Report.Turns.Select(t => t.N));
        Assert.Equal(2, detail.Report.CompleteCases);
        Assert.True(detail.Report.NVariesByTurn);
        Assert.Equal(3, host.Llm.Requests.Count(r => r.Role == LlmRole.Evaluated && r.Messages[^1].Text.Contains("bob, turn 2")));
    }

    [Fact]
    public async Task ARunWhoseEveryCaseFailedEndsFailedAndRetryRerunsExactlyTheFailedCases()
    {
        await using var host = await FixedCaseSource.HostAsync();
        var outage = true;
        Script(host.Llm, evaluated: r => outage || r.Messages[^1].Text.Contains("ann") ? throw new HttpRequestException("503 from the endpoint") : "fine");
        var run = await RunAsync(host);
        var jobs = host.Get<JobService>();
        var job = (await jobs.GetAsync(run.JobRunId!.Value))!;
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.StartsWith("Completed with 3 failures: 3 of 3 cases failed.", job.Error);

        // The endpoint is back except for ann: a retry re-runs the three failed cases, and only ann fails again.
        outage = false;
        var before = host.Llm.Requests.Count(r => r.Role == LlmRole.Evaluated);
        Assert.True(await jobs.RetryAsync(job.Id));
        await host.Get<JobRunner>().ExecuteAsync(job.Id, CancellationToken.None);
        job = (await jobs.GetAsync(job.Id))!;
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.StartsWith("Completed with 1 failure: 1 of 3 cases failed.", job.Error);
        var detail = (await host.Get<BenchmarkReports>().GetAsync(run.Id))!;
        Assert.Equal(["case-ann"], detail.Cases.Where(c => c.Case.Status == BenchmarkCaseStatus.Failed).Select(c => c.Case.CaseKey));
        Assert.Equal(3 + 2 * 3, host.Llm.Requests.Count(r => r.Role == LlmRole.Evaluated) - before);

        // Once ann's answers come too, the next retry takes up ann alone and the run succeeds.
        Script(host.Llm);
        var evaluatedBefore = host.Llm.Requests.Count(r => r.Role == LlmRole.Evaluated);
        Assert.True(await jobs.RetryAsync(job.Id));
        await host.Get<JobRunner>().ExecuteAsync(job.Id, CancellationToken.None);
        Assert.Equal(JobStatus.Succeeded, (await jobs.GetAsync(job.Id))!.Status);
        Assert.All(host.Llm.Requests.Where(r => r.Role == LlmRole.Evaluated).Skip(evaluatedBefore), r => Assert.Contains("ann", r.Messages[0].Text));
    }

    [Fact]
    public async Task AnInterruptedRunResumesWhereItStoppedWithoutDuplicates()
    {
        await using var host = await FixedCaseSource.HostAsync(1);
        using var crash = new CancellationTokenSource();
        var calls = 0;
        Script(host.Llm, evaluated: r =>
        {
            // The host stops during the fifth response (after four turns were saved).
            if (Interlocked.Increment(ref calls) == 5)
                crash.Cancel();
            return "Reply to: " + r.Messages[^1].Text;
        });
        var run = await host.Get<BenchmarkService>().StartRunAsync(new BenchmarkRunRequest { EvaluatedModel = "m", Turns = 3 });
        var runner = host.Get<JobRunner>();

        await runner.ExecuteAsync(run.JobRunId!.Value, crash.Token);
        await using (var db = host.Db())
        {
            Assert.Equal(JobStatus.Running, (await db.Set<JobRun>().SingleAsync(j => j.Id == run.JobRunId)).Status);
            Assert.Equal(4, await db.Set<BenchmarkTurn>().CountAsync());
        }
        await host.Get<JobService>().ResumeInterruptedAsync();
        await runner.ExecuteAsync(run.JobRunId!.Value, CancellationToken.None);

        await using var after = host.Db();
        var turns = await after.Set<BenchmarkTurn>().ToListAsync();
        Assert.Equal(9, turns.Count);
        Assert.Equal(9, turns.Select(t => (t.CaseId, t.Turn)).Distinct().Count());
        Assert.Equal(9, await after.Set<BenchmarkScore>().CountAsync());
        Assert.Equal(JobStatus.Succeeded, (await after.Set<JobRun>().SingleAsync(j => j.Id == run.JobRunId)).Status);
        // The resumed case continued from its stored turns: they were not asked for again.
        Assert.Equal(1, host.Llm.Requests.Count(r => r.Role == LlmRole.RolePlay && r.Messages[0].Text.Contains("ann-profile") && r.Messages.Count == 1));
    }

    [Fact]
    public async Task RejudgingScoresTheSameTranscriptsAgainWithoutRegeneratingThem()
    {
        await using var host = await FixedCaseSource.HostAsync();
        Script(host.Llm);
        var run = await RunAsync(host);
        var generated = host.Llm.Requests.Count(r => r.Role is LlmRole.RolePlay or LlmRole.Evaluated);
        host.Llm.On(LlmRole.Judge, _ => "2");

        var scoring = await host.Get<BenchmarkService>().RejudgeAsync(run.Id, JudgeMode.History, judgeModel: "second-judge");
        await host.Get<JobRunner>().ExecuteAsync(scoring.JobRunId!.Value, CancellationToken.None);

        Assert.Equal(generated, host.Llm.Requests.Count(r => r.Role is LlmRole.RolePlay or LlmRole.Evaluated));
        Assert.All(host.Llm.Requests.Where(r => r.Role == LlmRole.Judge).Skip(9), r => Assert.Equal("second-judge", r.Binding!.Model));
        var reports = host.Get<BenchmarkReports>();
        var first = (await reports.GetAsync(run.Id))!;
        var second = (await reports.GetAsync(run.Id, scoring.Id))!;
        Assert.Equal(2, second.Scorings.Count);
        Assert.Equal(4.0, first.Report.Summary!.Average, 1e-12);
        Assert.Equal(2.0, second.Report.Summary!.Average, 1e-12);
        Assert.Equal(JudgeMode.History, second.Scoring.JudgeMode);
        await using var db = host.Db();
        Assert.Equal(9, await db.Set<BenchmarkTurn>().CountAsync());
        Assert.Equal(18, await db.Set<BenchmarkScore>().CountAsync());
    }

    [Fact]
    public async Task ExportsPerTurnScoresAndTable1MetricsAsCsv()
    {
        await using var host = await FixedCaseSource.HostAsync();
        Script(host.Llm, judge: r => r.Messages[0].Text.Contains("turn 1") && !r.Messages[0].Text.Contains("turn 2") ? "2" : "4");
        var run = await RunAsync(host, turns: 2);

        var detail = (await host.Get<BenchmarkReports>().GetAsync(run.Id))!;
        var scores = BenchmarkReports.ScoresCsv(detail).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var metrics = BenchmarkReports.MetricsCsv([detail]).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("run,scoring,case,turn,score,status", scores[0]);
        Assert.Equal(7, scores.Length);
        Assert.Contains($"{run.Id},{detail.Scoring.Id},case-ann,1,2,scored", scores);
        Assert.StartsWith("run,model,judge_mode,scoring,al_k1,al_k2,n_k1,n_k2,average,", metrics[0]);
        Assert.StartsWith($"{run.Id},model-under-test,Paper,{detail.Scoring.Id},2,4,3,3,3,", metrics[1]);
    }

    [Fact]
    public async Task TheAppsOwnScoresCsvReadsBackIntoTheSameAlignmentLevels()
    {
        // Case keys with a comma and a quote are quoted in the CSV; the judge fails on bob's turn 2.
        await using var host = await FixedCaseSource.HostAsync(4, "ann, the \"first\"", "bob", "cy");
        Script(host.Llm, judge: r => r.Messages[0].Text.Contains("bob") && r.Messages[0].Text.Contains("turn 2") ? "no score here" : "4");
        var run = await RunAsync(host, turns: 3);
        var detail = (await host.Get<BenchmarkReports>().GetAsync(run.Id))!;
        var csv = BenchmarkReports.ScoresCsv(detail);
        Assert.Contains(",failed", csv);

        var rows = ScoreCsv.Parse(new StringReader(csv));
        Assert.Contains(rows, r => r.CaseKey == "case-ann, the \"first\"");
        var report = AlignmentStatistics.Analyze(AlignmentStatistics.FromRows(rows), rows.Max(r => r.Turn));
        Assert.Equal(detail.Report.Turns.Select(t => (t.AlignmentLevel, t.N)), report.Turns.Select(t => (t.AlignmentLevel, t.N)));
    }

    [Fact]
    public async Task ComparingTwoRunsPairsTheirCases()
    {
        await using var host = await FixedCaseSource.HostAsync();
        Script(host.Llm);
        var baseline = await RunAsync(host);
        Script(host.Llm, judge: _ => "5");
        var better = await RunAsync(host);

        var comparison = await host.Get<BenchmarkReports>().CompareAsync([baseline.Id, better.Id]);

        Assert.Equal(2, comparison.Runs.Count);
        Assert.Null(comparison.VersusFirst[0]);
        Assert.Equal(3, comparison.VersusFirst[1]!.SharedCases);
        Assert.Equal(1.0, comparison.VersusFirst[1]!.AverageDifference!.Value, 1e-12);
    }

    [Fact]
    public async Task RefusesARunWithFewerThanTwoTurns()
    {
        await using var host = await FixedCaseSource.HostAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => host.Get<BenchmarkService>().StartRunAsync(new BenchmarkRunRequest { EvaluatedModel = "m", Turns = 1 }));
    }
}
