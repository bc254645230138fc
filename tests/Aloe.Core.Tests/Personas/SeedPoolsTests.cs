using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.Testing;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Tests.Personas;

public sealed class SeedPoolsTests
{
    [Fact]
    public async Task AFreshDatabaseGetsTrainingAndEvaluationSeedsOnceAndDeletedSeedsStayDeleted()
    {
        await using var host = await TestHost.StartAsync(b => b.AddPersonas());
        var seeds = host.Get<SeedPools>();

        Assert.Equal(20 + 20 + 20 + 7, await seeds.EnsureLoadedAsync());
        Assert.Equal(0, await seeds.EnsureLoadedAsync());
        await using var db = host.Db();
        var counts = await db.Set<PoolItem>().GroupBy(i => new { i.Kind, i.Split }).Select(g => new { g.Key.Kind, g.Key.Split, N = g.Count() }).ToListAsync();
        Assert.Equal(20, counts.Single(c => c.Kind == PoolKind.Profile && c.Split == PoolSplit.Eval).N);
        Assert.Equal(7, counts.Single(c => c.Kind == PoolKind.Personality && c.Split == PoolSplit.Eval).N);
        Assert.All(await db.Set<PoolItem>().ToListAsync(), i => Assert.Equal(ItemSource.Seed, i.Source));

        await db.Set<PoolItem>().Where(i => i.Kind == PoolKind.Profile && i.Split == PoolSplit.Train).Take(5).ExecuteDeleteAsync();
        Assert.Equal(0, await seeds.EnsureLoadedAsync());
    }

    [Theory]
    [InlineData(PoolKind.Profile)]
    [InlineData(PoolKind.Personality)]
    public void NoEvaluationSeedIsANearDuplicateOfATrainingSeedOrOfAnotherEvaluationSeed(PoolKind kind)
    {
        // The leakage check the pools page runs, at the lexical embedder's calibrated threshold.
        var embedder = new LexicalEmbedder();
        var threshold = EmbedderThresholds.Resolve(new LexicalEmbedder().Id, null, new PersonasOptions()).Threshold;
        var train = SeedPools.Read(kind).Select(embedder.Embed).ToList();
        var eval = SeedPools.Read(kind, PoolSplit.Eval).Select(embedder.Embed).ToList();

        var againstTrain = eval.Max(e => train.Max(t => System.Numerics.Tensors.TensorPrimitives.Dot<float>(e, t)));
        var withinEval = eval.SelectMany((e, i) => eval.Skip(i + 1).Select(o => System.Numerics.Tensors.TensorPrimitives.Dot<float>(e, o))).Max();

        Assert.InRange(againstTrain, 0, threshold);
        Assert.InRange(withinEval, 0, threshold);
    }
}
