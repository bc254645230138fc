using Aloe.Core.Benchmark;
using Aloe.Core.Personas;
using Aloe.Testing;

namespace Aloe.Core.Tests.Benchmark;

/// <summary>The benchmark's default evaluation set: the paper's 20 x 5 construction over the persona pools' evaluation split.</summary>
public sealed class EvaluationSetTests
{
    static Task<TestHost> Start() => TestHost.StartAsync(b =>
    {
        b.AddPersonas();
        b.AddBenchmark();
    });

    [Fact]
    public async Task OnAFreshInstallTheProjectsEvaluationSeedsGiveTwentyProfilesTimesTheFirstFivePersonalities()
    {
        await using var host = await Start();
        await host.Get<SeedPools>().EnsureLoadedAsync();

        var set = await host.Get<IBenchmarkCaseSource>().GetEvaluationSetAsync(CancellationToken.None);

        Assert.Equal(100, set.Cases.Count);
        Assert.Equal(100, set.Cases.Select(c => c.CaseKey).Distinct().Count());
        Assert.Equal("seed-eval/p01-q1", set.Cases[0].CaseKey);
        Assert.Equal("seed-eval/p20-q5", set.Cases[^1].CaseKey);
        Assert.Equal(SeedPools.Read(PoolKind.Profile, PoolSplit.Eval)[0], set.Cases[0].Persona.Profile);
        Assert.Equal(SeedPools.Read(PoolKind.Personality, PoolSplit.Eval).Take(5), set.Cases.Take(5).Select(c => c.Persona.Personality));
        Assert.Equal("seed-eval: 20 evaluation profiles x 5 personalities (the project's seeds)", set.Name);
    }

    [SkippableFact]
    public async Task ImportedAloeEvaluationPoolsTakePrecedenceOverTheSeeds_Shared()
    {
        var shared = TestHost.RequireSharedFolder();
        await using var host = await Start();
        await host.Get<SeedPools>().EnsureLoadedAsync();
        var pools = host.Get<PoolService>();
        var folder = Path.Combine(shared, "data", "aloe");
        await pools.ImportAsync(PoolKind.Profile, PoolSplit.Eval, File.ReadAllText(Path.Combine(folder, "profile_eval.jsonl")));
        await pools.ImportAsync(PoolKind.Personality, PoolSplit.Eval, File.ReadAllText(Path.Combine(folder, "personality_eval.jsonl")));

        var set = await host.Get<IBenchmarkCaseSource>().GetEvaluationSetAsync(CancellationToken.None);

        Assert.Equal(100, set.Cases.Count);
        Assert.Equal("aloe-eval/p01-q1", set.Cases[0].CaseKey);
        Assert.StartsWith("He is a 33-year-old mechanical engineer", set.Cases[0].Persona.Profile);
        Assert.StartsWith("She is spontaneous", set.Cases[0].Persona.Personality);
        Assert.Equal(5, set.Cases.Select(c => c.Persona.Personality).Distinct().Count());
        Assert.Equal("aloe-eval: 20 evaluation profiles x 5 personalities (imported)", set.Name);
    }

    [Fact]
    public async Task WithoutEvaluationPoolsTheErrorSaysWhatToImport()
    {
        await using var host = await Start();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Get<IBenchmarkCaseSource>().GetEvaluationSetAsync(CancellationToken.None));

        Assert.Contains("the pools hold 0 and 0", error.Message);
        Assert.Contains("Import profile_eval.jsonl and personality_eval.jsonl with --eval", error.Message);
    }
}
