using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json.Serialization;
using Aloe.Core.Llm;

namespace Aloe.Core.Personas;

/// <summary>Minimum, median, 95th percentile and maximum of a set of cosine similarities.</summary>
public sealed record SimilaritySummary(int Pairs, float? Min, float? Median, float? P95, float? Max);

/// <summary>
/// One pool kind under the calibration: its pairs and what each threshold would keep of the current
/// pool. The pairs' similarities themselves are for the pool analysis page's histogram, not the JSON.
/// </summary>
public sealed record CalibrationKind(PoolKind Kind, SimilaritySummary Paraphrases, SimilaritySummary Unrelated,
    int PoolItems, int KeptAtSuggested, int KeptAtCurrent)
{
    [JsonIgnore] public IReadOnlyList<float> ParaphraseSimilarities { get; init; } = [];
    [JsonIgnore] public IReadOnlyList<float> UnrelatedSimilarities { get; init; } = [];
}

/// <summary>
/// What `aloe personas calibrate` and GET /api/personas/calibration report for the configured
/// embedder: near-duplicate (paraphrase) pairs against unrelated pairs, the threshold that
/// separates them best, and how much of the current pools it and the threshold in force
/// (<paramref name="Current"/>, with where it came from) would drop.
/// </summary>
public sealed record EmbedderCalibration(
    string EmbedderId,
    ThresholdChoice Current,
    double SuggestedThreshold,
    int ParaphrasesMissed,
    int UnrelatedRejected,
    int ParaphrasePairs,
    int UnrelatedPairs,
    IReadOnlyList<CalibrationKind> Kinds)
{
    /// <summary>For deployments that prefer configuration: the line that makes the suggestion this embedder's default (a stored threshold wins over it).</summary>
    public string Setting => SettingFor(SuggestedThreshold);

    /// <summary>The configuration line that makes <paramref name="threshold"/> this embedder's default.</summary>
    public string SettingFor(double threshold) => $"Personas:Thresholds:{EmbedderId} = {threshold.ToString("0.00", CultureInfo.InvariantCulture)}";

    /// <summary>The note stored with a threshold chosen from this calibration: the suggestion itself, or one set by hand beside it.</summary>
    public string NoteFor(double threshold, DateTimeOffset at)
    {
        var calibration = $"on {at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, {ParaphrasesMissed + UnrelatedRejected} of {ParaphrasePairs + UnrelatedPairs} pairs misclassified";
        var suggested = SuggestedThreshold.ToString("0.00", CultureInfo.InvariantCulture);
        return Math.Round(threshold, 2) == SuggestedThreshold ? $"calibrated {suggested} {calibration}" : $"set by hand (calibration suggested {suggested} {calibration})";
    }
}

/// <summary>
/// Chooses a filter threshold for an embedder (thresholds do not transfer between embedders): the
/// shipped paraphrases of the first seed items (Calibration/*.jsonl; sentences reordered, synonyms,
/// one detail changed) must be rejected (similarity above the threshold) and distinct seed items
/// (different people, written to differ) kept. The suggestion minimises the misclassified pairs,
/// at the middle of the best interval. All embeddings go through the gateway's embedder.
/// </summary>
internal sealed class EmbedderCalibrationService(ILlmGateway llm, PoolService pools, EmbedderThresholds thresholds, TimeProvider time)
{
    static readonly double[] Candidates = Enumerable.Range(20, 76).Select(i => i / 100.0).ToArray();

    /// <summary>The shipped paraphrases; line i paraphrases seed item i of the same kind.</summary>
    public static IReadOnlyList<string> Paraphrases(PoolKind kind)
    {
        var name = $"Aloe.Core.Personas.Calibration.{kind.ToString().ToLowerInvariant()}-paraphrases.jsonl";
        using var stream = typeof(EmbedderCalibrationService).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded calibration file {name} is missing.");
        return AloeJsonl.Read(new StreamReader(stream).ReadToEnd()).Records.Select(r => r.Text).ToList();
    }

    public async Task<EmbedderCalibration> CalibrateAsync(CancellationToken cancellationToken = default)
    {
        var pairs = new List<(PoolKind Kind, List<float> Paraphrase, List<float> Unrelated)>();
        foreach (var kind in Enum.GetValues<PoolKind>())
        {
            var seeds = SeedPools.Read(kind);
            var paraphrases = Paraphrases(kind);
            var vectors = await llm.EmbedAsync([.. seeds, .. paraphrases], cancellationToken);
            var paraphrase = paraphrases.Select((_, i) => Cosine(vectors[i], vectors[seeds.Count + i])).ToList();
            var unrelated = new List<float>();
            for (var i = 0; i < seeds.Count; i++)
                for (var j = i + 1; j < seeds.Count; j++)
                    unrelated.Add(Cosine(vectors[i], vectors[j]));
            pairs.Add((kind, paraphrase, unrelated));
        }
        var allParaphrases = pairs.SelectMany(p => p.Paraphrase).ToList();
        var allUnrelated = pairs.SelectMany(p => p.Unrelated).ToList();
        var suggested = Separate(allParaphrases, allUnrelated);
        var current = await pools.ThresholdAsync(cancellationToken);

        var kinds = new List<CalibrationKind>();
        foreach (var (kind, paraphrase, unrelated) in pairs)
        {
            var kept = await pools.KeptAtAsync(kind, [suggested, current.Threshold], cancellationToken);
            var size = (await pools.KeptAtAsync(kind, [1.0], cancellationToken))[0];
            kinds.Add(new CalibrationKind(kind, Summary(paraphrase), Summary(unrelated), size, kept[0], kept[1])
                { ParaphraseSimilarities = paraphrase, UnrelatedSimilarities = unrelated });
        }
        return new EmbedderCalibration(llm.EmbedderId, current, suggested,
            allParaphrases.Count(s => s <= suggested), allUnrelated.Count(s => s > suggested), allParaphrases.Count, allUnrelated.Count, kinds);
    }

    /// <summary>
    /// Stores <paramref name="threshold"/> (the suggestion, or one chosen beside it) for the calibrated
    /// embedder, with a note saying how it was chosen, and returns the calibration with it in force.
    /// </summary>
    public async Task<EmbedderCalibration> SaveAsync(EmbedderCalibration calibration, double threshold, CancellationToken cancellationToken = default)
    {
        var current = await thresholds.SaveAsync(calibration.EmbedderId, threshold, calibration.NoteFor(threshold, time.GetUtcNow()), cancellationToken);
        return await WithCurrentAsync(calibration, current, cancellationToken);
    }

    /// <summary>The calibration with another threshold in force (saved or reset): what that one would drop, recounted.</summary>
    public async Task<EmbedderCalibration> WithCurrentAsync(EmbedderCalibration calibration, ThresholdChoice current, CancellationToken cancellationToken = default)
    {
        var kinds = new List<CalibrationKind>();
        foreach (var kind in calibration.Kinds)
            kinds.Add(kind with { KeptAtCurrent = (await pools.KeptAtAsync(kind.Kind, [current.Threshold], cancellationToken))[0] });
        return calibration with { Current = current, Kinds = kinds };
    }

    /// <summary>The threshold with the fewest paraphrases at or below it plus unrelated pairs above it; the middle of the best run of candidates.</summary>
    internal static double Separate(IReadOnlyList<float> paraphrase, IReadOnlyList<float> unrelated)
    {
        var errors = Candidates.Select(t => paraphrase.Count(s => s <= t) + unrelated.Count(s => s > t)).ToArray();
        var best = errors.Min();
        // The longest run of best candidates, and its middle: as far from both groups as the data allow.
        var (start, length, bestStart, bestLength) = (0, 0, 0, 0);
        for (var i = 0; i < errors.Length; i++)
        {
            if (errors[i] == best)
            {
                if (length == 0) start = i;
                length++;
                if (length > bestLength) (bestStart, bestLength) = (start, length);
            }
            else
                length = 0;
        }
        return Math.Round(Candidates[bestStart + (bestLength - 1) / 2], 2);
    }

    static float Cosine(float[] a, float[] b) => TensorPrimitives.CosineSimilarity(a, b);

    static SimilaritySummary Summary(List<float> values)
    {
        var sorted = values.Order().ToList();
        return new SimilaritySummary(sorted.Count, PoolService.Quantile(sorted, 0), PoolService.Quantile(sorted, 0.5), PoolService.Quantile(sorted, 0.95), PoolService.Quantile(sorted, 1));
    }
}
