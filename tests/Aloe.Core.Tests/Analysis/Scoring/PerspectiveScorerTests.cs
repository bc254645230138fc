using System.Text;
using Aloe.Core.Analysis.Prism;
using Aloe.Core.Analysis.Scoring;
using Aloe.Core.Jobs;
using Aloe.Core.Tests.Analysis.Prism;
using Aloe.FakeOpenAI;
using Aloe.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Core.Tests.Analysis.Scoring;

public sealed class PerspectiveScorerTests : IAsyncLifetime
{
    readonly string keyVariable = "ALOE_TEST_PERSPECTIVE_KEY_" + Guid.NewGuid().ToString("N");
    const string Key = "test-key-7f3a";
    readonly SteppingTimeProvider clock = new();
    FakePerspectiveServer server = null!;

    public async Task InitializeAsync()
    {
        server = await FakePerspectiveServer.StartAsync(clock);
        Environment.SetEnvironmentVariable(keyVariable, Key);
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(keyVariable, null);
        await server.DisposeAsync();
    }

    Task<TestHost> StartAsync(double queriesPerSecond = 1, string? keyVariableName = null) => TestHost.StartAsync(b =>
    {
        b.Configuration["Analysis:Scoring:Perspective:BaseUrl"] = server.BaseUrl.ToString();
        b.Configuration["Analysis:Scoring:Perspective:KeyVariable"] = keyVariableName ?? keyVariable;
        b.Configuration["Analysis:Scoring:Perspective:QueriesPerSecond"] = queriesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture);
        b.AddAnalysisScoring();
        b.Services.AddSingleton<TimeProvider>(clock);
    });

    static IAttributeScorer Perspective(TestHost host) => host.Get<IEnumerable<IAttributeScorer>>().Single(s => s.Id == "perspective");

    [Fact]
    public async Task SendsTheDocumentedRequestAndStoresEachSummaryScore()
    {
        await using var host = await StartAsync();
        await host.Get<PrismImporter>().ImportAsync(PrismFixtures.Valid);

        var started = await host.Get<AttributeScoringService>().StartAsync(ScoringSources.Prism, "perspective");
        await host.Get<JobRunner>().ExecuteAsync(started.JobRunId, default);

        Assert.Equal(8, server.Requests.Count);
        var request = server.Requests[0];
        Assert.Equal(["AFFINITY_EXPERIMENTAL", "COMPASSION_EXPERIMENTAL", "CURIOSITY_EXPERIMENTAL", "NUANCE_EXPERIMENTAL",
            "PERSONAL_STORY_EXPERIMENTAL", "REASONING_EXPERIMENTAL", "RESPECT_EXPERIMENTAL", "TOXICITY"], request.Attributes.Order());
        Assert.Equal("en", Assert.Single(request.Body["languages"]!.AsArray())!.GetValue<string>());
        Assert.True(request.Body["doNotStore"]!.GetValue<bool>());
        Assert.Equal(Key, request.ApiKey);
        Assert.True(string.IsNullOrEmpty(request.QueryKey), "the key must not travel in the URL");
        await using var db = host.Db();
        var stored = await db.Set<AttributeScore>().SingleAsync(s => s.TextHash == AttributeScore.Hash(request.Text) && s.Attribute == ConstructiveAttribute.PersonalStory);
        Assert.Equal(server.Score(request.Text, "PERSONAL_STORY_EXPERIMENTAL"), stored.Value);
        Assert.Equal(("perspective", "v1alpha1"), (stored.ScorerId, stored.ScorerVersion));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(4.0)]
    public async Task SpacesRequestsByTheConfiguredRate(double queriesPerSecond)
    {
        await using var host = await StartAsync(queriesPerSecond);
        var scorer = Perspective(host);

        for (var i = 0; i < 5; i++)
            await scorer.ScoreAsync($"text {i}", [ConstructiveAttribute.Toxicity], new ScorerCall(null, 0), default);

        var times = server.Requests.Select(r => r.At).ToList();
        Assert.Equal(5, times.Count);
        var interval = TimeSpan.FromSeconds(1 / queriesPerSecond);
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= interval, $"requests {pair.Second - pair.First} apart"));
    }

    [Fact]
    public async Task CutsATextToTheByteLimitOnACharacterBoundaryAndRecordsTheCut()
    {
        await using var host = await StartAsync();
        var text = new string('a', 2_999) + "é" + new string('b', 100); // 'é' is two bytes and would straddle the limit

        var values = await Perspective(host).ScoreAsync(text, [ConstructiveAttribute.Toxicity], new ScorerCall(null, 0), default);

        var sent = Assert.Single(server.Requests).Text;
        Assert.Equal(new string('a', 2_999), sent);
        Assert.Equal(Encoding.UTF8.GetByteCount(text) - 2_999, Assert.Single(values).TruncatedBytes);
        Assert.Equal((text, 0), PerspectiveScorer.Truncate(text, 10_000));
    }

    [Fact]
    public async Task RateLimitAndServerErrorsAreRetryableARejectedRequestIsNot()
    {
        await using var host = await StartAsync();
        var scorer = Perspective(host);
        server.Fail(429, 503, 400);

        var limited = await Assert.ThrowsAsync<AttributeScorerException>(() => scorer.ScoreAsync("x", [ConstructiveAttribute.Toxicity], new ScorerCall(null, 0), default));
        var unavailable = await Assert.ThrowsAsync<AttributeScorerException>(() => scorer.ScoreAsync("x", [ConstructiveAttribute.Toxicity], new ScorerCall(null, 0), default));
        var rejected = await Assert.ThrowsAsync<AttributeScorerException>(() => scorer.ScoreAsync("x", [ConstructiveAttribute.Toxicity], new ScorerCall(null, 0), default));

        Assert.Equal((true, true, false), (limited.Retryable, unavailable.Retryable, rejected.Retryable));
        Assert.StartsWith("Perspective API 429: Quota exceeded", limited.Message);
        Assert.StartsWith("Perspective API 400: Attribute TOXICITY does not support", rejected.Message);
    }

    [Fact]
    public async Task AnAttributeMissingFromTheAnswerFailsAloneAndARetryInTheJobSucceeds()
    {
        await using var host = await StartAsync();
        await host.Get<PrismImporter>().ImportAsync(PrismFixtures.Valid);
        server.Omit.Add("NUANCE_EXPERIMENTAL");
        server.Fail(503);

        var started = await host.Get<AttributeScoringService>().StartAsync(ScoringSources.Prism, "perspective", "nuance,toxicity");
        await host.Get<JobRunner>().ExecuteAsync(started.JobRunId, default);

        await using var db = host.Db();
        var scores = await db.Set<AttributeScore>().ToListAsync();
        Assert.All(scores.Where(s => s.Attribute == ConstructiveAttribute.Toxicity), s => Assert.Equal(AttributeScoreStatus.Scored, s.Status));
        var nuance = scores.Where(s => s.Attribute == ConstructiveAttribute.Nuance).ToList();
        Assert.Equal(8, nuance.Count);
        Assert.All(nuance, s => Assert.Equal("No score after 3 tries: Perspective API returned no summaryScore for NUANCE_EXPERIMENTAL.", s.Error));
        // The 503 hit the first text once; it was asked again and scored.
        Assert.Contains(scores, s => s.Attribute == ConstructiveAttribute.Toxicity && s.Attempts == 2);
    }

    [Fact]
    public async Task AMissingKeyNamesTheVariableAndSendsNothing()
    {
        var unset = "ALOE_TEST_UNSET_" + Guid.NewGuid().ToString("N");
        await using var host = await StartAsync(keyVariableName: unset);

        var error = await Assert.ThrowsAsync<AttributeScorerException>(() => Perspective(host).ScoreAsync("x", [ConstructiveAttribute.Toxicity], new ScorerCall(null, 0), default));

        Assert.Contains(unset, error.Message);
        Assert.False(error.Retryable);
        Assert.Empty(server.Requests);
    }
}
