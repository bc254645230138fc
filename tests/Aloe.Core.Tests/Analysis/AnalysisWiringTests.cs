using Aloe.Core.Analysis;
using Aloe.Core.Analysis.Scoring;
using Aloe.Core.Annotation;
using Aloe.Core.Benchmark;
using Aloe.Core.Data;
using Aloe.Core.Dialogues;
using Aloe.Core.Jobs;
using Aloe.Core.Tests.Analysis.Prism;
using Aloe.Testing;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Tests.Analysis;

/// <summary>Stored scores of each source -> scored rows -> the analyses' rows -> the model's design matrix.</summary>
public sealed class AnalysisWiringTests
{
    static readonly string Predictors = string.Join(" + ", ConstructivenessAnalysis.Predictors);
    const string Rich = "Because of scattering , however we share the sky . Why ? I remember my own sky , thank you , I understand , damn it .";

    static Task<TestHost> HostAsync(DatabaseProvider provider = DatabaseProvider.Sqlite) => TestHost.StartAsync(b =>
    {
        b.AddAnalysisScoring();
        b.AddAnalysis();
    }, provider: provider);

    static async Task<AnalysisRows> ScoreAndLoadAsync(TestHost host, string source)
    {
        var started = await host.Get<AttributeScoringService>().StartAsync(source, SimulatedAttributeScorer.ScorerId);
        await host.Get<JobRunner>().ExecuteAsync(started.JobRunId, default);
        var table = await host.Get<ScoredTableService>().GetAsync(source, SimulatedAttributeScorer.ScorerId);
        return ScoredResponses.From(table);
    }

    static async Task<Dictionary<string, double>> StoredAsync(TestHost host, string text)
    {
        await using var db = host.Db();
        var hash = AttributeScore.Hash(text);
        return await db.Set<AttributeScore>().Where(s => s.TextHash == hash && s.ScorerId == SimulatedAttributeScorer.ScorerId)
            .ToDictionaryAsync(s => s.Attribute.ColumnName(), s => s.Value!.Value);
    }

    static double Column(ModelData data, string name, int row) => data.X[row * data.FixedCount + Array.IndexOf(data.FixedNames, name)];

    [Fact]
    public async Task DialogueScoresGiveOneRowPerAnswerWithChosenTheProductColumnAndTheirPromptsAttributes()
    {
        await using var host = await HostAsync();
        await using (var db = host.Db())
        {
            // No role bindings stored (feat/prov reshapes them): the branch names stand in for the models.
            var run = new DialogueRun { Title = "t", PersonaPool = "p" };
            db.Add(run);
            await db.SaveChangesAsync();
            // Persona 1's preferred answer has a cue of every attribute, the others none: every predictor varies.
            foreach (var (persona, answer) in new[] { ("persona-1", Rich), ("persona-2", "Blue light scatters more.") })
            {
                var dialogue = new Dialogue { RunId = run.Id, PersonaKey = persona, Profile = "p", Personality = "q" };
                db.Add(dialogue);
                await db.SaveChangesAsync();
                db.Add(new DialogueTurn { DialogueId = dialogue.Id, Index = 1, UserMessage = $"Why is the sky blue, {persona}?", Preferred = answer, Rejected = "It just is.", Chosen = Branch.Preferred });
                await db.SaveChangesAsync();
            }
        }

        var rows = await ScoreAndLoadAsync(host, ScoringSources.Dialogues);
        var data = ModelData.Build(Formula.Parse($"chosen ~ {Predictors} + {ConstructivenessAnalysis.RandomTerms}"),
            ConstructivenessAnalysis.ToTable(rows.Rows), ModelFamily.Bernoulli);

        Assert.Equal((4, 4, 0), (rows.Responses, rows.Rows.Count, rows.MissingAttributes));
        Assert.Equal([1.0, 0.0, 1.0, 0.0], data.Y);
        Assert.Equal(["(Intercept)", .. ConstructivenessAnalysis.Predictors], data.FixedNames);
        var preferred = await StoredAsync(host, Rich);
        Assert.Equal(preferred["reasoning"] * preferred["nuance"], Column(data, "reasoning_nuance", 0), 12);
        Assert.Equal(preferred["toxicity"], Column(data, "toxicity", 0), 12);
        Assert.NotEqual(Column(data, "toxicity", 0), Column(data, "toxicity", 2));
        Assert.Equal([("user", 2), ("conversation", 2), ("model", 2)], data.Random.Select(r => (r.Name.Split(':').Last(), r.LevelCount)));
        // The preferred branch is always chosen: the model would separate the outcome, so 1a leaves its intercept out.
        Assert.EndsWith(ConstructivenessAnalysis.UserTerms, ConstructivenessAnalysis.Plan(rows.Rows)[0].Formula);
        var prompt = await StoredAsync(host, "Why is the sky blue, persona-1?");
        Assert.Equal(prompt["compassion"], rows.Rows[0].PromptAttributes["compassion"], 12);
    }

    [Fact]
    public async Task BenchmarkScoresGiveTheJudgeScoreAsLogScoreAndOneModelDropsTheModelIntercept()
    {
        await using var host = await HostAsync();
        await using (var db = host.Db())
        {
            var run = new BenchmarkRun { Name = "r", EvaluatedModel = "sim-adaptive", EvaluatedEndpoint = "simulated", CaseSet = "s" };
            db.Add(run);
            await db.SaveChangesAsync();
            var scoring = new BenchmarkScoring { RunId = run.Id, JudgeModel = "j", PromptHash = "h" };
            db.Add(scoring);
            foreach (var (key, score, profile) in new[] { ("case-1", 4, "He is a 19-year-old student."), ("case-2", 2, "She is a 60-year-old doctor.") })
            {
                var @case = new BenchmarkCase { RunId = run.Id, CaseKey = key, Profile = profile, Personality = "q" };
                db.Add(@case);
                await db.SaveChangesAsync();
                var turn = new BenchmarkTurn { CaseId = @case.Id, Turn = 1, UserMessage = $"Hi from {key}", Response = $"Hello {key}, I hear you and care." };
                db.Add(turn);
                await db.SaveChangesAsync();
                db.Add(new BenchmarkScore { ScoringId = scoring.Id, TurnId = turn.Id, Score = score, RawOutput = "x" });
            }
            await db.SaveChangesAsync();
        }

        var rows = await ScoreAndLoadAsync(host, ScoringSources.Benchmark);
        var plan = ConstructivenessAnalysis.Plan(rows.Rows);
        var table = ConstructivenessAnalysis.ToTable(rows.Rows);

        Assert.Equal([Math.Log(4), Math.Log(2)], table.Numbers("log_score")!);
        var linear = plan.Single(p => p.Key == "1b preference (log score, linear): all");
        Assert.EndsWith(ConstructivenessAnalysis.UserTerms, linear.Formula);
        Assert.DoesNotContain("(1|model)", linear.Formula);
        Assert.Equal(["sim-adaptive", "sim-adaptive"], rows.Rows.Select(r => r.Model));
        // The personas' traits are the moderators: one moderation model each.
        Assert.Equal([true, false], rows.Rows.Select(r => r.Moderators["younger"]));
        Assert.Equal([true, false], rows.Rows.Select(r => r.Moderators["male"]));
        Assert.Equal(["male", "younger"], plan.Where(p => p.Analysis.StartsWith('2')).Select(p => p.Label));
    }

    static async Task SeedAnnotationsAsync(TestHost host)
    {
        await using var db = host.Db();
        var rating = new AnnotationCampaign { Name = "ratings", Task = AnnotationTask.Rating, Source = "csv", Guidelines = "g" };
        var pairwise = new AnnotationCampaign { Name = "pairs", Task = AnnotationTask.Pairwise, Source = "csv", Guidelines = "g" };
        db.AddRange(rating, pairwise);
        await db.SaveChangesAsync();
        var items = new[]
        {
            new AnnotationItem { CampaignId = rating.Id, Index = 0, Key = "i1", Profile = "p", Personality = "q", UserMessage = "How do I apologise?", Response = "Say what you did and why it hurt." },
            new AnnotationItem { CampaignId = rating.Id, Index = 1, Key = "check", Profile = "p", Personality = "q", UserMessage = "Attention", Response = "Rate this 1", ExpectedRating = 1 },
            new AnnotationItem { CampaignId = pairwise.Id, Index = 0, Key = "p1", Profile = "p", Personality = "q", UserMessage = "Which diet?", Response = "It depends on you.", ResponseB = "Keto, always." },
        };
        db.AddRange(items);
        var annotators = new[] { new AnnotationAnnotator { CampaignId = rating.Id, Name = "ann" }, new AnnotationAnnotator { CampaignId = rating.Id, Name = "bob" }, new AnnotationAnnotator { CampaignId = pairwise.Id, Name = "ann" } };
        db.AddRange(annotators);
        await db.SaveChangesAsync();
        var given = new (AnnotationAnnotator Annotator, AnnotationItem Item, int? Rating)[]
        {
            (annotators[0], items[0], 5), (annotators[1], items[0], 2), (annotators[1], items[1], 1), (annotators[0], items[1], null), (annotators[2], items[2], 2),
        };
        foreach (var (annotator, item, value) in given)
        {
            var assignment = new AnnotationAssignment { AnnotatorId = annotator.Id, ItemId = item.Id, Position = item.Index };
            db.Add(assignment);
            await db.SaveChangesAsync();
            db.Add(new AnnotationRating { AssignmentId = assignment.Id, Rating = value, SkipReason = value is null ? "unclear" : null });
        }
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task AnnotationRatingsAreTheOutcomeWithAnnotatorsAsUsersAndPairwisePicksAsChosen()
    {
        await using var host = await HostAsync();
        await SeedAnnotationsAsync(host);

        var rows = await ScoreAndLoadAsync(host, ScoringSources.Annotations);
        var rated = rows.Rows.Where(r => r.Score is not null).ToList();
        var picked = rows.Rows.Where(r => r.Chosen is not null).ToList();
        // Both ratings are of one text, so its attributes are equal: the outcome and the groups are what differ.
        var table = ConstructivenessAnalysis.ToTable(rated);

        // Two ratings of item i1 (the attention check and the skip are left out), two answers of the pair.
        Assert.Equal((4, 4), (rows.Responses, rows.Rows.Count));
        Assert.Equal([Math.Log(5), Math.Log(2)], table.Numbers("log_score")!);
        Assert.Equal(2, table.Text("user").Distinct().Count());
        Assert.Equal([false, true], picked.Select(r => r.Chosen!.Value));
        Assert.Equal(["a", "b"], picked.Select(r => r.Model));
        Assert.Single(rated.Select(r => r.Conversation).Distinct());
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task PrismScoresCarryTheModeratorsAndLeaveOutTheEmptyResponse(DatabaseProvider provider)
    {
        await using var host = await HostAsync(provider);
        var before = await host.Get<AttributeScoringService>().SourcesAsync();
        await host.Get<Aloe.Core.Analysis.Prism.PrismImporter>().ImportAsync(PrismFixtures.Valid);

        var rows = await ScoreAndLoadAsync(host, ScoringSources.Prism);
        var table = ConstructivenessAnalysis.ToTable(rows.Rows);

        Assert.Equal(1, rows.MissingAttributes); // "EMPTY STRING" has no scores
        Assert.Equal(rows.Responses - 1, rows.Rows.Count);
        Assert.All(ConstructivenessAnalysis.PrismModerators.Where(m => rows.Rows.Any(r => r.Moderators.ContainsKey(m))), m => Assert.True(table.Has(m)));
        Assert.All(rows.Rows, r => Assert.NotEqual(ScoredResponses.Unknown, r.Model));
        // The status panel's counts: 8 distinct non-empty texts, all scored in all eight attributes by simulated lexical-1.
        var prism = (await host.Get<AttributeScoringService>().SourcesAsync()).Single(s => s.Source == ScoringSources.Prism);
        Assert.Empty(before.Single(s => s.Source == ScoringSources.Prism).Scorers);
        Assert.Equal((8, 7), (prism.Texts, prism.Responses));
        Assert.Equal([("simulated", "lexical-1", true, 8)], prism.Scorers.Select(c => (c.ScorerId, c.ScorerVersion, c.Simulated, c.ScoredTexts)));
        Assert.Null(prism.Active);
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task AFitRunStoresItsReportWithSeedSourceAndVersionAndARerunKeepsTheFinishedFits(DatabaseProvider provider)
    {
        await using var host = await HostAsync(provider);
        var fits = host.Get<AnalysisFits>();
        var run = await fits.StartAsync(new AnalysisFitParameters { Source = AnalysisFits.Demo, Chains = 2, Warmup = 20, Draws = 20, Seed = 7 });

        await host.Get<JobRunner>().ExecuteAsync(run.Id, default);
        var first = (await fits.LatestAsync())!;
        await host.Get<JobService>().RunAgainAsync(run.Id);
        await host.Get<JobRunner>().ExecuteAsync(run.Id, default);
        var second = (await fits.LatestSucceededAsync())!;

        Assert.Equal(JobStatus.Succeeded, first.Run.Status);
        Assert.Equal((7ul, AnalysisFits.Demo, AnalysisFits.AppVersion, true), (first.Parameters.Seed, first.Parameters.Source, first.Parameters.AppVersion, first.Parameters.Simulated));
        var report = first.Report!;
        Assert.Equal(first.Result!.Planned.Count, report.All.Count());
        Assert.NotEmpty(report.Distributions);
        var preference = report.Preference[0].Fit!;
        Assert.Equal(2, preference.Posterior.Of("reasoning_nuance").Length);
        Assert.Equal(20, preference.Posterior.Of("reasoning_nuance")[0].Length);
        Assert.Empty(report.Mirroring[0].Fit!.Posterior.Parameters); // traces of the preference models only
        // The second execution found every model in the checkpoint: the same fits, not new ones.
        Assert.Equal(report.All.Select(f => f.Fit?.Seconds), second.Report!.All.Select(f => f.Fit?.Seconds));
        Assert.Equal(2, second.Run.Attempts);
    }

    [Fact]
    public async Task AFitNeedsStoredScoresOfTheChosenScorer()
    {
        await using var host = await HostAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.Get<AnalysisFits>().StartAsync(
            new AnalysisFitParameters { Source = ScoringSources.Dialogues, Scorer = SimulatedAttributeScorer.ScorerId }));

        Assert.Contains("No scores by 'simulated' yet", error.Message);
    }
}
