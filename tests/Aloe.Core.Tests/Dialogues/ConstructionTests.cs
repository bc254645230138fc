using Aloe.Core.Dialogues;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Testing.Dialogues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;

namespace Aloe.Core.Tests.Dialogues;

public sealed class ConstructionTests
{
    [Fact]
    public async Task BuildsEveryTurnOfEveryPersonaAndRecordsTheRun()
    {
        await using var host = await DialogueTestSupport.StartAsync();
        host.Llm.ScriptTurns();
        var (run, job) = await host.BuildAsync(turns: 4);

        var nurse = await host.TreeAsync("nurse");
        Assert.Equal(DialogueStatus.Completed, nurse.Dialogue.Status);
        Assert.Equal(4, nurse.Dialogue.Turns);
        Assert.Equal(["nurse message 1", "nurse message 2", "nurse message 3", "nurse message 4"], nurse.MainPath().Select(t => t.UserMessage));
        Assert.Equal(DialogueStatus.Completed, (await host.TreeAsync("trader")).Dialogue.Status);

        var summary = (await host.Get<DialogueQueries>().RunAsync(run.Id))!;
        Assert.Equal(JobStatus.Succeeded, summary.Job!.Status);
        Assert.Equal(8, summary.TurnsDone);
        Assert.Equal(8, summary.Job.Done);
        Assert.Contains("Induction", summary.Run.Provenance.Roles.Keys);
        Assert.Contains("induction-examples", summary.Run.Provenance.PromptHashes.Keys);
        Assert.Equal(7, summary.Run.Provenance.Seed);
        Assert.Equal(RunProvenance.CurrentAppVersion, summary.Run.Provenance.AppVersion);
    }

    [Fact]
    public async Task TheRunsTokensAndCostComeFromTheCallLogWithRolePlayAndResumesIncluded()
    {
        await using var harness = await Llm.GatewayHarness.StartAsync(maxRetries: 0, configure: b =>
        {
            foreach (var role in new[] { "RolePlay", "Induction", "Preferred", "Rejected", "Verifier" })
            {
                b.Configuration[$"Llm:Roles:{role}:Endpoint"] = "fake";
                b.Configuration[$"Llm:Roles:{role}:Model"] = "gpt-test";
            }
            b.AddDialogues();
            b.Services.AddSingleton<IDialoguePersonaSource>(new FixedPersonaSource(DialogueTestSupport.Nurse, DialogueTestSupport.Trader));
        });
        harness.Server.ServeTurns();
        // The trader's induction calls 2 to 4 (turn 2's three tries) fail: his dialogue stops at turn 2 until the run is resumed.
        var traderInductions = 0;
        harness.Server.FaultWhen = (_, r) => r.Messages[^1].Content.Contains("Analyze a conversation") && r.Messages[^1].Content.Contains("He builds trading systems")
            && Interlocked.Increment(ref traderInductions) is >= 2 and <= 4 ? new FakeOpenAI.FakeFault.ServerError(400) : null;
        var host = harness.Host;
        var (run, job) = await host.BuildAsync(turns: 3);
        Assert.Equal(DialogueStatus.Failed, (await host.TreeAsync("trader")).Dialogue.Status);

        var resumed = await host.Get<DialogueConstruction>().StartResumeAsync(run.Id);
        await host.Get<JobRunner>().ExecuteAsync(resumed.Id, CancellationToken.None);

        Assert.Equal(job.Id, resumed.Id);
        var summary = (await host.Get<DialogueQueries>().RunAsync(run.Id))!;
        Assert.Equal(6, summary.TurnsDone);
        // Two dialogues x 3 turns, one call per role and turn, plus what the failure cost: the trader's
        // turn-2 role-play asked again on resume (a cache hit) and three failed inductions.
        var byRole = summary.Calls.ToDictionary(c => c.Role);
        Assert.Equal((7, 1, 0), (byRole[LlmRole.RolePlay].Calls, byRole[LlmRole.RolePlay].CacheHits, byRole[LlmRole.RolePlay].Errors));
        Assert.Equal((9, 3), (byRole[LlmRole.Induction].Calls, byRole[LlmRole.Induction].Errors));
        Assert.Equal(6, byRole[LlmRole.Verifier].Calls);
        await using var db = host.Db();
        var logged = await db.Set<LlmCall>().Where(c => c.RunId == job.Id).ToListAsync();
        Assert.Equal(logged.Sum(c => (long)c.InputTokens), summary.InputTokens);
        Assert.Equal(logged.Sum(c => (long)c.OutputTokens), summary.OutputTokens);
        Assert.True(summary.Calls.Single(c => c.Role == LlmRole.RolePlay).InputTokens > 0);
        // Priced at 2 and 8 dollars per million tokens; cache hits cost nothing.
        Assert.Equal(logged.Where(c => !c.CacheHit).Sum(c => c.InputTokens * 2.0 + c.OutputTokens * 8.0) / 1e6, summary.Cost, 1e-12);
    }



    [Fact]
    public async Task RolePlayTextBetweenAsterisksIsRemoved()
    {
        await using var host = await DialogueTestSupport.StartAsync(DialogueTestSupport.Nurse);
        host.Llm.ScriptTurns();
        await host.BuildAsync(turns: 1);
        Assert.DoesNotContain("smiles", (await host.TreeAsync("nurse")).MainPath()[0].UserMessage);
    }

    [Fact]
    public async Task InductionSeesTwoWorkedExamplesThenTheConversationSoFar()
    {
        await using var host = await DialogueTestSupport.StartAsync(DialogueTestSupport.Nurse);
        host.Llm.ScriptTurns();
        await host.BuildAsync(turns: 2);

        var second = host.Llm.Requests.Where(r => r.Role == LlmRole.Induction).ElementAt(1);
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.User, ChatRole.Assistant, ChatRole.User], second.Messages.Select(m => m.Role));
        var last = second.Messages[^1].Text;
        Assert.Contains("A: nurse message 1\nB: ", last);
        Assert.EndsWith("A: nurse message 2", last.Split("\nReview the user's profile")[0]);
        Assert.Contains("She is an ER nurse in Chicago", last);
    }

    [Fact]
    public async Task PreferredGetsTheInferredPersonaAsAHintAndRejectedGetsOnlyTheMessage()
    {
        await using var host = await DialogueTestSupport.StartAsync(DialogueTestSupport.Nurse);
        host.Llm.ScriptTurns();
        await host.BuildAsync(turns: 2);

        var preferred = host.Llm.Requests.Where(r => r.Role == LlmRole.Preferred).ToList();
        var rejected = host.Llm.Requests.Where(r => r.Role == LlmRole.Rejected).ToList();
        Assert.Contains("Hint: Below is the known user profile and personalities based on the conversation history: Profile: ER nurse Personalities: None.", DialogueTestSupport.LastUser(preferred[1]));
        Assert.Equal("nurse message 2", DialogueTestSupport.LastUser(rejected[1]).Split('\n')[0]);

        // Both answer with the conversation so far, whose assistant turn is the answer that continued.
        var tree = await host.TreeAsync("nurse");
        var first = tree.MainPath()[0];
        foreach (var request in new[] { preferred[1], rejected[1] })
        {
            Assert.Equal("nurse message 1", request.Messages[0].Text);
            Assert.Equal(first.Answer(first.Chosen), request.Messages[1].Text);
        }
    }

    [Fact]
    public async Task TheVerifierPickingTheRejectedAnswerSwapsThePairAndRecordsIt()
    {
        await using var host = await DialogueTestSupport.StartAsync(DialogueTestSupport.Nurse);
        // The verifier prefers whichever answer was written without the hint, wherever it is shown.
        host.Llm.ScriptTurns().On(LlmRole.Verifier, r =>
        {
            var text = r.Messages[0].Text;
            return text.IndexOf("Response A: Rejected", StringComparison.Ordinal) >= 0 ? "A" : "B";
        });
        await host.BuildAsync(turns: 3);

        var turns = (await host.TreeAsync("nurse")).MainPath();
        Assert.All(turns, t =>
        {
            Assert.True(t.Verified);
            Assert.True(t.Swapped);
            Assert.StartsWith("Rejected answer to", t.Preferred);
            Assert.StartsWith("Preferred answer to", t.Rejected);
        });
    }

    [Fact]
    public async Task TheVerifierAgreeingLeavesThePairAsWritten()
    {
        await using var host = await DialogueTestSupport.StartAsync(DialogueTestSupport.Nurse);
        host.Llm.ScriptTurns().On(LlmRole.Verifier, r => r.Messages[0].Text.Contains("Response A: Preferred") ? "A" : "B");
        await host.BuildAsync(turns: 3);
        Assert.All((await host.TreeAsync("nurse")).MainPath(), t => Assert.False(t.Swapped));
    }

    [Fact]
    public async Task WithoutVerificationNoVerifierIsCalled()
    {
        await using var host = await DialogueTestSupport.StartAsync(DialogueTestSupport.Nurse);
        host.Llm.ScriptTurns();
        await host.BuildAsync(turns: 2, verify: false);
        Assert.DoesNotContain(host.Llm.Requests, r => r.Role == LlmRole.Verifier);
        Assert.All((await host.TreeAsync("nurse")).MainPath(), t => Assert.False(t.Verified));
    }

    [Fact]
    public async Task TheVerifierSeesBothOrdersAndTheContinuingAnswerIsBothOverManyTurns()
    {
        await using var host = await DialogueTestSupport.StartAsync(DialogueTestSupport.Nurse);
        host.Llm.ScriptTurns().On(LlmRole.Verifier, r => r.Messages[0].Text.Contains("Response A: Preferred") ? "A" : "B");
        await host.BuildAsync(turns: 12);
        var shownFirst = host.Llm.Requests.Where(r => r.Role == LlmRole.Verifier).Select(r => r.Messages[0].Text.Contains("Response A: Preferred")).ToList();
        Assert.Contains(true, shownFirst);
        Assert.Contains(false, shownFirst);
        var chosen = (await host.TreeAsync("nurse")).MainPath().Select(t => t.Chosen).ToList();
        Assert.Contains(Branch.Preferred, chosen);
        Assert.Contains(Branch.Rejected, chosen);
    }

    [Fact]
    public async Task TheSameSeedChoosesTheSameAnswers()
    {
        async Task<List<Branch>> ChosenAsync(int seed)
        {
            await using var host = await DialogueTestSupport.StartAsync(DialogueTestSupport.Nurse);
            host.Llm.ScriptTurns();
            await host.BuildAsync(turns: 10, seed: seed);
            return (await host.TreeAsync("nurse")).MainPath().Select(t => t.Chosen).ToList();
        }
        Assert.Equal(await ChosenAsync(3), await ChosenAsync(3));
    }

    [Fact]
    public async Task AGarbledAnswerIsRetriedWithAnotherSampleIndex()
    {
        await using var host = await DialogueTestSupport.StartAsync(DialogueTestSupport.Nurse);
        host.Llm.ScriptTurns().On(LlmRole.Induction, r => r.SampleIndex < 2 ? "I cannot say." : "Profile: ER nurse\nPersonalities: None");
        await host.BuildAsync(turns: 1);

        Assert.Equal(DialogueStatus.Completed, (await host.TreeAsync("nurse")).Dialogue.Status);
        Assert.Equal([0, 1, 2], host.Llm.Requests.Where(r => r.Role == LlmRole.Induction).Select(r => r.SampleIndex));
    }

    [Fact]
    public async Task AStepFailingThreeTimesFailsItsDialogueWithTheReasonWhileOthersFinish()
    {
        await using var host = await DialogueTestSupport.StartAsync();
        host.Llm.ScriptTurns().On(LlmRole.Verifier, r => r.Messages[0].Text.Contains("ER nurse in Chicago") && r.Messages[0].Text.Contains("message 2") ? "Both are fine." : "A");
        var (run, _) = await host.BuildAsync(turns: 3);

        var nurse = await host.TreeAsync("nurse");
        Assert.Equal(DialogueStatus.Failed, nurse.Dialogue.Status);
        Assert.Equal(1, nurse.Dialogue.Turns);
        Assert.Contains("Turn 2, Verifier", nurse.Dialogue.Error);
        Assert.Contains("neither A nor B", nurse.Dialogue.Error);
        Assert.Contains("failed 3 times", nurse.Dialogue.Error);
        Assert.Equal(DialogueStatus.Completed, (await host.TreeAsync("trader")).Dialogue.Status);

        var summary = (await host.Get<DialogueQueries>().RunAsync(run.Id))!;
        Assert.Equal(JobStatus.Failed, summary.Job!.Status);
        Assert.StartsWith("Completed with 1 failure: 1 of 2 dialogues failed.", summary.Job.Error);
        Assert.Equal("nurse", Assert.Single(summary.Failures).PersonaKey);
    }

    [Fact]
    public async Task AStoppedRunResumesWithoutDuplicatingTurns()
    {
        await using var host = await DialogueTestSupport.StartAsync(DialogueTestSupport.Nurse);
        var jobs = host.Get<JobService>();
        long jobId = 0;
        var cancelled = 0;
        host.Llm.ScriptTurns().On(LlmRole.RolePlay, r =>
        {
            var n = r.Messages.Count(m => m.Role == ChatRole.Assistant) + 1;
            // Stop the run as turn 3 begins (the next progress report ends it).
            if (n == 3 && Interlocked.Exchange(ref cancelled, 1) == 0)
                jobs.CancelAsync(jobId).GetAwaiter().GetResult();
            return $"nurse message {n}";
        });
        var (_, job) = await host.Get<DialogueConstruction>().StartBuildAsync(new BuildRequest(new PersonaSelection(Seed: 1), MaxTurns: 5, ProgressIntervalMs: 0));
        jobId = job.Id;
        await host.Get<JobRunner>().ExecuteAsync(job.Id, CancellationToken.None);
        Assert.Equal(JobStatus.Cancelled, (await jobs.GetAsync(job.Id))!.Status);
        Assert.Equal(DialogueStatus.Pending, (await host.TreeAsync("nurse")).Dialogue.Status);
        var before = (await host.TreeAsync("nurse")).MainPath().ToList();
        Assert.InRange(before.Count, 2, 3);

        Assert.True(await jobs.RetryAsync(job.Id));
        await host.Get<JobRunner>().ExecuteAsync(job.Id, CancellationToken.None);

        var tree = await host.TreeAsync("nurse");
        Assert.Equal(JobStatus.Succeeded, (await jobs.GetAsync(job.Id))!.Status);
        Assert.Equal(5, tree.Turns.Count);
        Assert.Equal([1, 2, 3, 4, 5], tree.MainPath().Select(t => t.Index));
        Assert.Equal(before.Select(t => t.Id), tree.MainPath().Take(before.Count).Select(t => t.Id));
        Assert.Equal(["nurse message 1", "nurse message 2", "nurse message 3", "nurse message 4", "nurse message 5"], tree.MainPath().Select(t => t.UserMessage));
    }

    [Fact]
    public async Task ResumingARunRetriesItsFailedDialogueFromItsStoredTurns()
    {
        await using var host = await DialogueTestSupport.StartAsync(DialogueTestSupport.Nurse);
        var verifierDown = true;
        host.Llm.ScriptTurns().On(LlmRole.Verifier, r => verifierDown && r.Messages[0].Text.Contains("message 2") ? "?" : "A");
        var (run, _) = await host.BuildAsync(turns: 4);
        var before = await host.TreeAsync("nurse");
        Assert.Equal(DialogueStatus.Failed, before.Dialogue.Status);
        var first = Assert.Single(before.Turns);

        verifierDown = false;
        var job = await host.Get<DialogueConstruction>().StartResumeAsync(run.Id);
        await host.Get<JobRunner>().ExecuteAsync(job.Id, CancellationToken.None);

        var after = await host.TreeAsync("nurse");
        Assert.Equal(DialogueStatus.Completed, after.Dialogue.Status);
        Assert.Null(after.Dialogue.Error);
        Assert.Equal(JobStatus.Succeeded, (await host.Get<Aloe.Core.Jobs.JobService>().GetAsync(job.Id))!.Status);
        Assert.Equal(first.Id, after.MainPath()[0].Id);
        Assert.Equal(["nurse message 1", "nurse message 2", "nurse message 3", "nurse message 4"], after.MainPath().Select(t => t.UserMessage));
        Assert.Equal(job.Id, (await host.Get<DialogueQueries>().RunAsync(run.Id))!.Job!.Id);
    }

    [Fact]
    public async Task ResumingARunWhoseJobIsStillQueuedQueuesNothingMore()
    {
        await using var host = await DialogueTestSupport.StartAsync(DialogueTestSupport.Nurse);
        var (run, job) = await host.Get<DialogueConstruction>().StartBuildAsync(new BuildRequest(new PersonaSelection(Seed: 1), MaxTurns: 2));

        var resumed = await host.Get<DialogueConstruction>().StartResumeAsync(run.Id);

        Assert.Equal((job.Id, JobStatus.Queued), (resumed.Id, resumed.Status));
        await using var db = host.Db();
        Assert.Equal(1, await db.Set<JobRun>().CountAsync());
    }

    [Fact]
    public async Task ExpandingATurnGrowsTheBranchNotTakenIntoASubtree()
    {
        await using var host = await DialogueTestSupport.StartAsync(DialogueTestSupport.Nurse);
        host.Llm.ScriptTurns();
        await host.BuildAsync(turns: 4);
        var tree = await host.TreeAsync("nurse");
        var mainPath = tree.MainPath().Select(t => t.Id).ToList();
        var second = tree.MainPath()[1];

        var job = await host.Get<DialogueConstruction>().StartExpandAsync(second.Id);
        await host.Get<JobRunner>().ExecuteAsync(job.Id, CancellationToken.None);
        Assert.Equal(JobStatus.Succeeded, (await host.Get<JobService>().GetAsync(job.Id))!.Status);

        tree = await host.TreeAsync("nurse");
        Assert.Equal(mainPath, tree.MainPath().Select(t => t.Id));
        var branchStart = tree.Child(tree.Turns.Single(t => t.Id == second.Id), DialogueConstruction.Other(second.Chosen));
        Assert.NotNull(branchStart);
        var branch = tree.PathFrom(branchStart);
        Assert.Equal([3, 4], branch.Select(t => t.Index));
        Assert.False(tree.IsOnMainPath(branchStart));
        // The branch continues from the answer that was not chosen at turn 2.
        var history = tree.HistoryBefore(branchStart);
        Assert.Equal(second.Answer(DialogueConstruction.Other(second.Chosen)), history[^1].Assistant);
        Assert.Equal(6, tree.Turns.Count);

        // Expanding the same branch again adds nothing.
        var again = await host.Get<DialogueConstruction>().StartExpandAsync(second.Id);
        await host.Get<JobRunner>().ExecuteAsync(again.Id, CancellationToken.None);
        await using var db = host.Db();
        Assert.Equal(6, await db.Set<DialogueTurn>().CountAsync());
    }
}
