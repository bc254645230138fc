using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.Testing;

namespace Aloe.Core.Tests.Personas;

public sealed class EmbedderThresholdTests
{
    [Fact]
    public void TheThresholdIsStoredPerEmbedderAndAnUncalibratedEmbedderGetsThePapers()
    {
        var options = new PersonasOptions { Thresholds = { ["openai-remote-text-embedding-3-small"] = 0.42 } };

        Assert.Equal(0.60, options.ThresholdFor(new LexicalEmbedder().Id));
        Assert.True(options.IsCalibrated(new LexicalEmbedder().Id));
        Assert.Equal(0.42, options.ThresholdFor("openai-remote-text-embedding-3-small"));
        Assert.Equal(PersonasOptions.PaperThreshold, options.ThresholdFor("azure-other-model"));
        Assert.False(options.IsCalibrated("azure-other-model"));
    }

    [Fact]
    public void TheSuggestedThresholdSeparatesParaphrasesFromUnrelatedPairs()
    {
        Assert.Equal(0.50, EmbedderCalibrationService.Separate([0.7f, 0.8f, 0.9f], [0.1f, 0.2f, 0.3f]));
        // Overlap: one pair is misclassified at best, from 0.31 to 0.55 or from 0.61 to 0.79;
        // the middle of the longer run is taken.
        Assert.Equal(0.43, EmbedderCalibrationService.Separate([0.555f, 0.8f, 0.9f], [0.2f, 0.305f, 0.605f]));
    }

    [Fact]
    public async Task CalibratingTheLexicalEmbedderRejectsEveryParaphraseAndReportsWhatThePoolWouldLose()
    {
        await using var host = await TestHost.StartAsync(b => { b.AddLlm(); b.AddPersonas(); });
        await host.Get<SeedPools>().EnsureLoadedAsync();

        var c = await host.Get<EmbedderCalibrationService>().CalibrateAsync();

        Assert.Equal(new LexicalEmbedder().Id, c.EmbedderId);
        Assert.Equal((0.60, true), (c.ConfiguredThreshold, c.ConfiguredIsCalibrated));
        Assert.Equal(20, c.ParaphrasePairs);
        Assert.Equal(0, c.ParaphrasesMissed);
        Assert.Equal(0, c.UnrelatedRejected);
        Assert.All(c.Kinds, k => Assert.True(k.Paraphrases.Min > k.Unrelated.Max));
        Assert.InRange(c.SuggestedThreshold, c.Kinds.Max(k => k.Unrelated.Max!.Value), c.Kinds.Min(k => k.Paraphrases.Min!.Value));
        // Both splits of the seed pools: 20 + 20 profiles, 20 + 7 personalities.
        Assert.Equal([40, 27], c.Kinds.Select(k => k.PoolItems));
        Assert.All(c.Kinds, k => Assert.InRange(k.KeptAtConfigured, 0, k.PoolItems));
        Assert.Contains("Personas:Thresholds:lexical-v2-1024", c.Setting);
    }
}
