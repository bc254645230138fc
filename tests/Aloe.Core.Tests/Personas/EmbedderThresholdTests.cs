using Aloe.Core.Audit;
using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.Testing;

namespace Aloe.Core.Tests.Personas;

public sealed class EmbedderThresholdTests
{
    static readonly string Lexical = new LexicalEmbedder().Id;

    [Fact]
    public void AStoredThresholdWinsOverConfigurationWhichWinsOverTheShippedValueWhichWinsOverThePapers()
    {
        var options = new PersonasOptions { Thresholds = { ["openai-"] = 0.40, ["openai-remote-"] = 0.42 } };
        var stored = new EmbedderThreshold { EmbedderId = "openai-remote-x", Threshold = 0.47, UpdatedBy = "alice", UpdatedAt = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero) };

        var fromRow = EmbedderThresholds.Resolve("openai-remote-x", stored, options);
        Assert.Equal((0.47, ThresholdSource.Stored), (fromRow.Threshold, fromRow.Source));
        Assert.Equal("stored for this embedder on 2026-12-02 by alice", fromRow.Description);
        // Configuration: the longest matching prefix.
        var configured = EmbedderThresholds.Resolve("openai-remote-x", null, options);
        Assert.Equal((0.42, ThresholdSource.Configuration), (configured.Threshold, configured.Source));
        Assert.Contains("Personas:Thresholds:openai-remote-", configured.Description);
        // The lexical embedder's shipped calibration, unless configuration names it.
        Assert.Equal((0.60, ThresholdSource.Shipped), (EmbedderThresholds.Resolve(Lexical, null, options).Threshold, EmbedderThresholds.Resolve(Lexical, null, options).Source));
        var lexicalConfigured = new PersonasOptions { Thresholds = { [Lexical] = 0.55 } };
        Assert.Equal((0.55, ThresholdSource.Configuration), (EmbedderThresholds.Resolve(Lexical, null, lexicalConfigured).Threshold, EmbedderThresholds.Resolve(Lexical, null, lexicalConfigured).Source));
        // Anything else: the paper's value, reported as not calibrated.
        var fallback = EmbedderThresholds.Resolve("azure-other-model", null, options);
        Assert.Equal((PersonasOptions.PaperThreshold, ThresholdSource.PaperFallback, false), (fallback.Threshold, fallback.Source, fallback.IsCalibrated));
    }

    [Fact]
    public async Task AThresholdSavedForAnEmbedderIsReadBackEverywhereAndResetRestoresTheDefault()
    {
        await using var host = await TestHost.StartAsync(b => b.AddPersonas());
        var thresholds = host.Get<EmbedderThresholds>();
        var pools = host.Get<PoolService>();
        AuditActor.Current = "alice";
        try
        {
            // Read (and cached) before the save: the save must replace it at once.
            Assert.Equal(ThresholdSource.PaperFallback, (await pools.ThresholdAsync()).Source);

            var saved = await thresholds.SaveAsync(pools.EmbedderId, 0.473, "set by hand");

            Assert.Equal((0.47, ThresholdSource.Stored, "alice", "set by hand"), (saved.Threshold, saved.Source, saved.UpdatedBy, saved.Note));
            Assert.Equal(saved, await pools.ThresholdAsync());
            var stats = await pools.StatsAsync();
            Assert.Equal(0.47, stats.Threshold);
            Assert.StartsWith("stored for this embedder on ", stats.ThresholdSource);
            Assert.Equal(0.70, (await thresholds.SaveAsync(pools.EmbedderId, 0.70, null)).Threshold);
            Assert.Single(host.Db().Set<EmbedderThreshold>());

            var reset = await thresholds.ResetAsync(pools.EmbedderId);

            Assert.Equal((PersonasOptions.PaperThreshold, ThresholdSource.PaperFallback), (reset.Threshold, reset.Source));
            Assert.Equal(PersonasOptions.PaperThreshold, (await pools.StatsAsync()).Threshold);
            Assert.Empty(host.Db().Set<EmbedderThreshold>());
            var audit = host.Db().Set<AuditEntry>().Where(e => e.TargetType == AuditTargets.EmbedderThreshold).OrderBy(e => e.Id).ToList();
            Assert.Equal(["filter threshold 0.47: set by hand", "filter threshold 0.70 (was 0.47)", "stored filter threshold 0.70 removed"], audit.Select(e => e.Detail));
            Assert.All(audit, e => Assert.Equal(("alice", pools.EmbedderId), (e.Actor, e.TargetId)));
        }
        finally
        {
            AuditActor.Current = null;
        }
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public async Task AThresholdOutsideZeroToOneIsRefusedAndNothingIsStored(double threshold)
    {
        await using var host = await TestHost.StartAsync(b => b.AddPersonas());

        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.Get<EmbedderThresholds>().SaveAsync("scripted-bow-256", threshold, null));

        Assert.StartsWith("The threshold must be between 0 and 1", error.Message);
        Assert.Empty(host.Db().Set<EmbedderThreshold>());
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
        Assert.Equal((0.60, ThresholdSource.Shipped), (c.Current.Threshold, c.Current.Source));
        Assert.Equal(20, c.ParaphrasePairs);
        Assert.Equal(0, c.ParaphrasesMissed);
        Assert.Equal(0, c.UnrelatedRejected);
        Assert.All(c.Kinds, k => Assert.True(k.Paraphrases.Min > k.Unrelated.Max));
        Assert.InRange(c.SuggestedThreshold, c.Kinds.Max(k => k.Unrelated.Max!.Value), c.Kinds.Min(k => k.Paraphrases.Min!.Value));
        // Both splits of the seed pools: 20 + 20 profiles, 20 + 7 personalities.
        Assert.Equal([40, 27], c.Kinds.Select(k => k.PoolItems));
        Assert.All(c.Kinds, k => Assert.InRange(k.KeptAtCurrent, 0, k.PoolItems));
        Assert.Contains("Personas:Thresholds:lexical-v2-1024", c.Setting);
    }
}
