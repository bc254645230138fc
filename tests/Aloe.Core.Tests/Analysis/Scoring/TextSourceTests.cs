using System.Text.Json;
using Aloe.Core.Analysis.Scoring;
using Aloe.Core.Benchmark;
using Aloe.Core.Dialogues;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Core.Tests.Analysis.Scoring;

public sealed class TextSourceTests
{
    static async Task<IReadOnlyList<ScoringText>> TextsAsync(TestHost host, string source) =>
        await host.Get<IEnumerable<IScoringTextSource>>().Single(s => s.Name == source).ListAsync(default);

    [Fact]
    public async Task DialoguesGiveTheUserMessageAndBothAnswersWithThePreferredOneChosen()
    {
        await using var host = await TestHost.StartAsync(b => b.AddAnalysisScoring());
        await using (var db = host.Db())
        {
            var roles = new Dictionary<string, RoleProvenance> { ["Preferred"] = new("e", "gpt-a", 0.7f, 300), ["Rejected"] = new("e", "gpt-b", 0.7f, 300) };
            var run = new DialogueRun { Title = "t", PersonaPool = "p", Provenance = new() { Roles = roles } };
            db.Add(run);
            await db.SaveChangesAsync();
            var dialogue = new Dialogue { RunId = run.Id, PersonaKey = "persona-1", Profile = "p", Personality = "q" };
            db.Add(dialogue);
            await db.SaveChangesAsync();
            db.Add(new DialogueTurn { DialogueId = dialogue.Id, Index = 1, UserMessage = "Why is the sky blue?", Preferred = "Because of scattering.", Rejected = "It just is.", Chosen = Branch.Rejected });
            await db.SaveChangesAsync();
        }

        var texts = await TextsAsync(host, ScoringSources.Dialogues);

        Assert.Equal(["Why is the sky blue?", "Because of scattering.", "It just is."], texts.Select(t => t.Text));
        var (prompt, preferred, rejected) = (texts[0], texts[1], texts[2]);
        Assert.Equal((TextRole.Prompt, null), (prompt.Role, prompt.Chosen));
        Assert.Equal((1.0, "gpt-a", prompt.TextId, "persona-1"), (preferred.Chosen, preferred.Model, preferred.PromptTextId, preferred.User));
        Assert.Equal((0.0, "gpt-b"), (rejected.Chosen, rejected.Model));
    }

    [Fact]
    public async Task BenchmarkTurnsCarryTheRunsOwnJudgeScoreNotARejudging()
    {
        await using var host = await TestHost.StartAsync(b => b.AddAnalysisScoring());
        await using (var db = host.Db())
        {
            var run = new BenchmarkRun { Name = "r", EvaluatedModel = "sim-adaptive", EvaluatedEndpoint = "simulated", CaseSet = "s" };
            db.Add(run);
            await db.SaveChangesAsync();
            var @case = new BenchmarkCase { RunId = run.Id, CaseKey = "case-1", Profile = "p", Personality = "q" };
            db.Add(@case);
            await db.SaveChangesAsync();
            var turn = new BenchmarkTurn { CaseId = @case.Id, Turn = 1, UserMessage = "Hi there", Response = "Hello, how can I help?" };
            db.Add(turn);
            var own = new BenchmarkScoring { RunId = run.Id, JudgeModel = "j", PromptHash = "h" };
            var rejudged = new BenchmarkScoring { RunId = run.Id, JudgeModel = "j2", PromptHash = "h" };
            db.AddRange(own, rejudged);
            await db.SaveChangesAsync();
            db.AddRange(new BenchmarkScore { ScoringId = own.Id, TurnId = turn.Id, Score = 4, RawOutput = "4" },
                        new BenchmarkScore { ScoringId = rejudged.Id, TurnId = turn.Id, Score = 1, RawOutput = "1" });
            await db.SaveChangesAsync();
        }

        var texts = await TextsAsync(host, ScoringSources.Benchmark);

        var response = texts.Single(t => t.Role == TextRole.Response);
        Assert.Equal((4.0, "sim-adaptive", "case-1"), (response.Score, response.Model, response.User));
        Assert.Equal("Hi there", texts.Single(t => t.TextId == response.PromptTextId).Text);
    }

    [Fact]
    public async Task ACancelledRunResumesWithoutScoringAnyTextTwice()
    {
        var scorer = new CountingScorer();
        await using var host = await TestHost.StartAsync(b =>
        {
            b.AddAnalysisScoring();
            b.Services.AddSingleton<IAttributeScorer>(scorer);
        });
        await host.Get<Aloe.Core.Analysis.Prism.PrismImporter>().ImportAsync(Prism.PrismFixtures.Valid);
        var jobs = host.Get<JobService>();
        // The third text asks for the run to stop: the first batch (4 texts) is saved, then the run ends Cancelled.
        scorer.FailWhen = (_, _) =>
        {
            if (scorer.Calls.Count == 3)
                jobs.CancelAsync(host.Get<AttributeScoringService>().StatusAsync().Result.Runs[0].JobRunId).Wait();
            return null;
        };
        var started = await host.Get<AttributeScoringService>().StartAsync(ScoringSources.Prism, "counting");

        await host.Get<JobRunner>().ExecuteAsync(started.JobRunId, default);
        var stopped = await jobs.GetAsync(started.JobRunId);
        await jobs.RetryAsync(started.JobRunId);
        await host.Get<JobRunner>().ExecuteAsync(started.JobRunId, default);
        var finished = await jobs.GetAsync(started.JobRunId);

        Assert.Equal((JobStatus.Cancelled, 4), (stopped!.Status, stopped.Done));
        Assert.Equal((JobStatus.Succeeded, 8, 8), (finished!.Status, finished.Done, finished.Total));
        Assert.All(scorer.Calls.Values, c => Assert.Equal(1, c));
        Assert.Equal(8, scorer.Calls.Count);
        await using var db = host.Db();
        Assert.Equal(64, await db.Set<AttributeScore>().CountAsync());
    }
}
