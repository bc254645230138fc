using System.Collections.Concurrent;
using Aloe.Core.Analysis.Prism;
using Aloe.Core.Analysis.Scoring;
using Aloe.Core.Jobs;
using Aloe.Core.Tests.Analysis.Prism;
using Aloe.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Core.Tests.Analysis.Scoring;

/// <summary>A scorer for tests: counts calls per text and fails as told.</summary>
internal sealed class CountingScorer : IAttributeScorer
{
    public ConcurrentDictionary<string, int> Calls { get; } = new();
    public Func<string, int, Exception?> FailWhen { get; set; } = (_, _) => null;
    public string Id => "counting";
    public string Version { get; set; } = "1";
    public bool Simulated => false;
    public int Concurrency => 2;

    public Task<IReadOnlyList<AttributeValue>> ScoreAsync(string text, IReadOnlyList<ConstructiveAttribute> attributes, ScorerCall call, CancellationToken cancellationToken)
    {
        var n = Calls.AddOrUpdate(text, 1, (_, c) => c + 1);
        if (FailWhen(text, n) is { } error)
            throw error;
        IReadOnlyList<AttributeValue> values = attributes.Select(a => new AttributeValue(a, 0.5)).ToList();
        return Task.FromResult(values);
    }
}

public sealed class ScoringJobTests
{
    static async Task<(TestHost Host, CountingScorer Scorer)> StartAsync()
    {
        var scorer = new CountingScorer();
        var host = await TestHost.StartAsync(b =>
        {
            b.AddAnalysisScoring();
            b.Services.AddSingleton<IAttributeScorer>(scorer);
        });
        await host.Get<PrismImporter>().ImportAsync(PrismFixtures.Valid);
        return (host, scorer);
    }

    static async Task<JobRun> ScoreAsync(TestHost host, string scorer, string? attributes = null, string source = ScoringSources.Prism)
    {
        var started = await host.Get<AttributeScoringService>().StartAsync(source, scorer, attributes);
        await host.Get<JobRunner>().ExecuteAsync(started.JobRunId, default);
        return (await host.Get<JobService>().GetAsync(started.JobRunId))!;
    }

    [Fact]
    public async Task SimulatedScorerStoresEveryAttributeOfEachDistinctNonEmptyTextOnce()
    {
        var (host, _) = await StartAsync();
        await using var _h = host;

        var run = await ScoreAsync(host, "simulated");

        Assert.Equal(JobStatus.Succeeded, run.Status);
        // 2 non-empty prompts + 6 non-empty responses; "EMPTY STRING" is skipped.
        Assert.Equal((8, 8), (run.Done, run.Total));
        Assert.Contains("(simulated)", run.Message);
        await using var db = host.Db();
        var scores = await db.Set<AttributeScore>().ToListAsync();
        Assert.Equal(64, scores.Count);
        Assert.All(scores, s => Assert.Equal(("simulated", "lexical-1", AttributeScoreStatus.Scored), (s.ScorerId, s.ScorerVersion, s.Status)));
        Assert.DoesNotContain(scores, s => s.TextHash == AttributeScore.Hash(PrismImporter.EmptyText));
    }

    [Fact]
    public async Task RescoringTheSameTextsMakesNoCallButANewVersionDoes()
    {
        var (host, scorer) = await StartAsync();
        await using var _h = host;

        await ScoreAsync(host, "counting");
        var afterFirst = scorer.Calls.Values.Sum();
        var again = await ScoreAsync(host, "counting");
        var afterSecond = scorer.Calls.Values.Sum();
        scorer.Version = "2";
        await ScoreAsync(host, "counting");

        Assert.Equal(8, afterFirst);
        Assert.Equal(afterFirst, afterSecond);
        Assert.Equal((8, 8), (again.Done, again.Total));
        Assert.Equal(16, scorer.Calls.Values.Sum());
    }

    [Fact]
    public async Task AFailingTextIsRetriedThenMarkedFailedWithTheReasonAndARerunTriesItAgain()
    {
        var (host, scorer) = await StartAsync();
        await using var _h = host;
        var flaky = "Hello! How can I help you today?";
        var broken = "You are stupid to send an empty message.";
        scorer.FailWhen = (text, n) => text == broken ? new HttpRequestException("503 from the scorer")
            : text == flaky && n < 3 ? new HttpRequestException("429 rate limited") : null;

        var run = await ScoreAsync(host, "counting", "toxicity,respect");

        Assert.Equal(JobStatus.Succeeded, run.Status);
        Assert.Equal(3, scorer.Calls[flaky]);
        Assert.Equal(3, scorer.Calls[broken]);
        await using (var db = host.Db())
        {
            var failed = await db.Set<AttributeScore>().Where(s => s.Status == AttributeScoreStatus.Failed).ToListAsync();
            Assert.Equal(2, failed.Count);
            Assert.All(failed, f => Assert.Equal("No score after 3 tries: 503 from the scorer", f.Error));
            Assert.Equal(2, await db.Set<AttributeScore>().CountAsync(s => s.TextHash == AttributeScore.Hash(flaky) && s.Status == AttributeScoreStatus.Scored));
        }
        var status = await host.Get<AttributeScoringService>().StatusAsync();
        Assert.Equal(2, Assert.Single(status.Stored).Failed);
        Assert.Contains("1 with failures", run.Message);

        scorer.FailWhen = (_, _) => null;
        await ScoreAsync(host, "counting", "toxicity,respect");

        Assert.Equal(4, scorer.Calls[broken]);
        await using var after = host.Db();
        Assert.Equal(0, await after.Set<AttributeScore>().CountAsync(s => s.Status == AttributeScoreStatus.Failed));
    }

    [Fact]
    public async Task AnUnretryableErrorIsNotRetried()
    {
        var (host, scorer) = await StartAsync();
        await using var _h = host;
        scorer.FailWhen = (_, _) => new AttributeScorerException("400: language not supported", retryable: false);

        await ScoreAsync(host, "counting", "toxicity");

        Assert.All(scorer.Calls.Values, c => Assert.Equal(1, c));
    }

    [Fact]
    public async Task AnnotationsAreABuiltInSourceAndScoreNothingBeforeAnyRating()
    {
        var (host, _) = await StartAsync();
        await using var _h = host;

        var run = await ScoreAsync(host, "simulated", source: ScoringSources.Annotations);

        Assert.Equal((JobStatus.Succeeded, 0), (run.Status, run.Total));
    }
}
