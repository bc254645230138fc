using System.Globalization;
using System.Text;
using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.Testing;
using Xunit.Abstractions;

namespace Aloe.Core.Tests.Personas;

/// <summary>
/// The lexical embedder's default threshold, calibrated as in docs/embedder-calibration.md:
/// the authors' pools (all accepted by MiniLM at 0.6) must mostly pass the incremental filter,
/// and paraphrased near-duplicates of our seeds must mostly be rejected.
/// </summary>
public sealed class EmbedderCalibrationTests(ITestOutputHelper output)
{
    static readonly LexicalEmbedder Embedder = new();

    internal static IReadOnlyList<string> ReadShared(string shared, string file) =>
        AloeJsonl.Read(File.ReadAllText(Path.Combine(shared, "data", "aloe", file))).Records.Select(r => r.Text).ToList();

    internal static IReadOnlyList<string> Paraphrases(PoolKind kind) => EmbedderCalibrationService.Paraphrases(kind);

    static SimilarityIndex Index(IEnumerable<string> texts)
    {
        var index = new SimilarityIndex(Embedder.Dimensions);
        var id = 0;
        foreach (var text in texts)
            index.Add(id++, Embedder.Embed(text));
        return index;
    }

    /// <summary>Share of paraphrases whose nearest item in (seeds + ALOE pool) is above the threshold.</summary>
    static double Rejected(SimilarityIndex pool, IReadOnlyList<string> paraphrases, double threshold) =>
        paraphrases.Count(p => pool.Nearest(Embedder.Embed(p)).Similarity > (float)threshold) / (double)paraphrases.Count;

    [SkippableFact]
    public void DefaultLexicalThresholdKeepsTheAuthorsPoolsAndRejectsParaphrases_Shared()
    {
        var shared = TestHost.RequireSharedFolder();
        var threshold = EmbedderThresholds.Resolve(Embedder.Id, null, new PersonasOptions()).Threshold;
        var report = new StringBuilder("threshold | profiles kept | personalities kept | profile paraphrases rejected | personality paraphrases rejected\n");
        // The training pools are what the authors grew with the filter (331 profiles, 71 personalities).
        var profiles = ReadShared(shared, "profile.jsonl");
        var personalities = ReadShared(shared, "personality.jsonl");
        var profileIndex = Index(profiles);
        var personalityIndex = Index(personalities);
        var profilePool = Index(SeedPools.Read(PoolKind.Profile).Concat(profiles));
        var personalityPool = Index(SeedPools.Read(PoolKind.Personality).Concat(personalities));
        var thresholds = PoolService.SweepThresholds.Append(threshold).Distinct().Order().ToList();
        var profileKept = profileIndex.KeptAtThresholds(thresholds);
        var personalityKept = personalityIndex.KeptAtThresholds(thresholds);
        var results = new Dictionary<double, (double Profiles, double Personalities, double ProfileRejected, double PersonalityRejected)>();
        for (var i = 0; i < thresholds.Count; i++)
        {
            var t = thresholds[i];
            var row = ((double)profileKept[i] / profiles.Count, (double)personalityKept[i] / personalities.Count,
                Rejected(profilePool, Paraphrases(PoolKind.Profile), t), Rejected(personalityPool, Paraphrases(PoolKind.Personality), t));
            results[t] = row;
            report.AppendLine(CultureInfo.InvariantCulture, $"{t:0.00} | {profileKept[i]}/{profiles.Count} ({row.Item1:P1}) | {personalityKept[i]}/{personalities.Count} ({row.Item2:P1}) | {row.Item3:P0} | {row.Item4:P0}");
        }
        var nearest = profileIndex.NearestNeighbours().Select(n => n.Similarity).Order().ToList();
        var paraphraseSims = Paraphrases(PoolKind.Profile).Select((p, i) => System.Numerics.Tensors.TensorPrimitives.Dot<float>(Embedder.Embed(p), Embedder.Embed(SeedPools.Read(PoolKind.Profile)[i]))).Order().ToList();
        report.AppendLine(CultureInfo.InvariantCulture, $"ALOE profile nearest-neighbour similarity: median {PoolService.Quantile(nearest, 0.5):0.000}, p95 {PoolService.Quantile(nearest, 0.95):0.000}, max {nearest[^1]:0.000}");
        report.AppendLine(CultureInfo.InvariantCulture, $"Profile paraphrase-to-original similarity: min {paraphraseSims[0]:0.000}, median {PoolService.Quantile(paraphraseSims, 0.5):0.000}");
        output.WriteLine(report.ToString());
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "embedder-calibration.txt"), report.ToString());

        var atDefault = results[threshold];
        Assert.True(atDefault.Profiles >= 0.95, $"Only {atDefault.Profiles:P1} of the authors' profiles pass at {threshold}.");
        Assert.True(atDefault.Personalities >= 0.9, $"Only {atDefault.Personalities:P1} of the authors' personalities pass at {threshold}.");
        Assert.True(atDefault.ProfileRejected >= 0.9, $"Only {atDefault.ProfileRejected:P0} of profile paraphrases are rejected at {threshold}.");
        Assert.True(atDefault.PersonalityRejected >= 0.9, $"Only {atDefault.PersonalityRejected:P0} of personality paraphrases are rejected at {threshold}.");
    }
}
