using System.Text.Json.Serialization;

namespace Aloe.Core.Annotation;

/// <summary>One coefficient computed from a ratings file: what `aloe agreement --json` prints.</summary>
internal sealed record AgreementResult(
    [property: JsonPropertyName("metric")] string Metric,
    [property: JsonPropertyName("value")] double? Value,
    [property: JsonPropertyName("n_items")] int Items,
    [property: JsonPropertyName("se"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? StandardError = null,
    [property: JsonPropertyName("ci_low"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? IntervalLow = null,
    [property: JsonPropertyName("ci_high"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? IntervalHigh = null);

/// <summary>The metric names the CLI and API accept, each mapped onto <see cref="Agreement"/>.</summary>
internal static class AgreementMetric
{
    public static readonly IReadOnlyList<string> Names =
    [
        "cohen", "cohen-linear", "cohen-quadratic", "fleiss",
        "krippendorff-nominal", "krippendorff-ordinal", "krippendorff-interval", "krippendorff-ratio",
        "gwet-ac1", "percent",
    ];

    /// <summary>Computes <paramref name="metric"/>; Cohen's kappa needs exactly two raters and uses the items both rated.</summary>
    public static AgreementResult Compute(RatingMatrix ratings, string metric, int resamples = Agreement.DefaultResamples, int seed = Agreement.DefaultSeed)
    {
        switch (metric)
        {
            case "cohen" or "cohen-linear" or "cohen-quadratic":
                if (ratings.Raters.Count != 2)
                    throw new ArgumentException($"Cohen's kappa compares exactly two raters; the file has {ratings.Raters.Count} ({string.Join(", ", ratings.Raters.Take(5))}{(ratings.Raters.Count > 5 ? ", ..." : "")}).");
                var pairs = ratings.Values.Where(r => !double.IsNaN(r[0]) && !double.IsNaN(r[1])).Select(r => (r[0], r[1])).ToList();
                var weighting = metric switch { "cohen-linear" => KappaWeighting.Linear, "cohen-quadratic" => KappaWeighting.Quadratic, _ => KappaWeighting.Unweighted };
                var kappa = Agreement.Cohen(pairs, resamples: resamples, seed: seed).Single(k => k.Weighting == weighting);
                return new AgreementResult(metric, kappa.Value, kappa.Items, kappa.StandardError, kappa.Interval?.Low, kappa.Interval?.High);
            case "fleiss":
                return From(Agreement.Fleiss(ratings));
            case "gwet-ac1":
                return From(Agreement.GwetAc1(ratings));
            case "percent":
                return From(Agreement.PercentAgreement(ratings));
            default:
                var level = metric.StartsWith("krippendorff-", StringComparison.Ordinal)
                    && Enum.TryParse<KrippendorffLevel>(metric["krippendorff-".Length..], ignoreCase: true, out var l)
                    ? l : throw new ArgumentException($"Unknown metric '{metric}'; use one of {string.Join(", ", Names)}.");
                return From(Agreement.Krippendorff(ratings, level));
        }
    }

    static AgreementResult From(AgreementCoefficient c) => new(c.Metric, c.Value, c.Items, c.StandardError);
}
