using Aloe.Core.Benchmark;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Core.Tests.Benchmark;
using Aloe.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Core.Tests.Llm;

/// <summary>Runs are independent samples unless a replay is asked for (issue 10): the seed is part of the cache key.</summary>
public sealed class SampleSeedTests
{
    static Task<TestHost> SimulatedBenchmarkHostAsync() => TestHost.StartAsync(b =>
    {
        b.AddBenchmark();
        b.Services.AddSingleton<IBenchmarkCaseSource>(new FixedCaseSource("ann", "bob"));
        b.AddLlm();
    });

    static async Task<(BenchmarkRun Run, List<string> Transcript, List<int?> Scores)> RunAsync(TestHost host, int seed)
    {
        var run = await host.Get<BenchmarkService>().StartRunAsync(new BenchmarkRunRequest { EvaluatedModel = "sim-adaptive", Turns = 3, Seed = seed });
        await host.Get<JobRunner>().ExecuteAsync(run.JobRunId!.Value, CancellationToken.None);
        await using var db = host.Db();
        var turns = await db.Set<BenchmarkTurn>().Join(db.Set<BenchmarkCase>().Where(c => c.RunId == run.Id), t => t.CaseId, c => c.Id, (t, c) => new { c.Index, t.Turn, t.Id, t.UserMessage, t.Response })
            .OrderBy(t => t.Index).ThenBy(t => t.Turn).ToListAsync();
        var ids = turns.Select(t => t.Id).ToList();
        var scores = await db.Set<BenchmarkScore>().Where(s => ids.Contains(s.TurnId)).ToDictionaryAsync(s => s.TurnId, s => s.Score);
        return (run, turns.Select(t => t.UserMessage + "\n" + t.Response).ToList(), turns.Select(t => scores.GetValueOrDefault(t.Id)).ToList());
    }

    static async Task<List<LlmCall>> CallsAsync(TestHost host, BenchmarkRun run)
    {
        await host.Get<LlmGateway>().FlushAsync();
        await using var db = host.Db();
        return await db.Set<LlmCall>().Where(c => c.RunId == run.JobRunId).ToListAsync();
    }

    [Fact]
    public async Task TwoSimulatedBenchmarkRunsWithDifferentSeedsDiffer()
    {
        await using var host = await SimulatedBenchmarkHostAsync();

        var first = await RunAsync(host, seed: 101);
        var second = await RunAsync(host, seed: 202);

        Assert.Equal(6, first.Transcript.Count);
        Assert.NotEqual(first.Transcript, second.Transcript);
        Assert.Equal((101, 202), (first.Run.Seed, second.Run.Seed));
        Assert.All(await CallsAsync(host, second.Run), c => Assert.False(c.CacheHit));
    }

    [Fact]
    public async Task TwoSimulatedBenchmarkRunsWithTheSameSeedAreIdenticalAndTheSecondMakesNoUpstreamCalls()
    {
        await using var host = await SimulatedBenchmarkHostAsync();

        var first = await RunAsync(host, seed: 7);
        var second = await RunAsync(host, seed: 7);

        Assert.Equal(first.Transcript, second.Transcript);
        Assert.Equal(first.Scores, second.Scores);
        var calls = await CallsAsync(host, second.Run);
        Assert.NotEmpty(calls);
        Assert.All(calls, c => Assert.True(c.CacheHit));
        var summary = LlmRunCalls.From(await host.Get<LlmStatsService>().ByRoleAsync(second.Run.JobRunId));
        Assert.Equal((calls.Count, calls.Count), (summary.Calls, summary.FromCache));
    }

    [Fact]
    public void RunsAreSeededAtRandomUnlessASeedIsGiven()
    {
        var seeds = Enumerable.Range(0, 5).Select(_ => new BenchmarkRunRequest { EvaluatedModel = "m" }.Seed).ToHashSet();
        Assert.True(seeds.Count > 1);
    }

    [Fact]
    public async Task AnAnswerTheCallerDiscardsIsAskedForAgainNotReplayed()
    {
        await using var h = await GatewayHarness.StartAsync();
        var request = GatewayHarness.Request("rate this") with { Seed = 5 };
        var answers = new Queue<string>(["garbled", "4"]);
        h.Server.Reply = _ => answers.Dequeue();

        Assert.Equal("garbled", (await h.Gateway.CompleteAsync(request, CancellationToken.None)).Text);
        await h.Gateway.DiscardAsync(request, CancellationToken.None);
        // A new gateway over the same database (a later retry or re-judging) must not find it either.
        await h.Gateway.FlushAsync();
        var restarted = new LlmGateway(h.Host.Get<Microsoft.Extensions.Options.IOptions<LlmOptions>>(), h.Host.Get<LlmCacheStore>(),
            h.Host.Get<LlmCallLog>(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var again = await restarted.CompleteAsync(request, CancellationToken.None);

        Assert.Equal(("4", false), (again.Text, again.Cached));
        Assert.Equal(2, h.Server.RequestCount);
    }

    [Fact]
    public async Task TheSeedIsPartOfTheCacheKeyAndReachesTheProvider()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.Gateway.CompleteAsync(GatewayHarness.Request("q") with { Seed = 1 }, CancellationToken.None);
        await h.Gateway.CompleteAsync(GatewayHarness.Request("q") with { Seed = 2 }, CancellationToken.None);
        using (LlmRunScope.Begin(1))
            Assert.True((await h.Gateway.CompleteAsync(GatewayHarness.Request("q"), CancellationToken.None)).Cached);

        Assert.Equal(2, h.Server.RequestCount);
        Assert.NotEqual(h.Server.Requests[0].Seed, h.Server.Requests[1].Seed);
    }
}
