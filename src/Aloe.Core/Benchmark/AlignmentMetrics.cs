namespace Aloe.Core.Benchmark;

/// <summary>
/// The paper's Table 1 columns for one AL(k) curve (section 3): the average Alignment Level,
/// the Improvement Rate (least-squares slope of AL on k = 1..K) with its R^2, and both again
/// after min-max normalising the curve over all K turns. Normalised values are null for a
/// perfectly flat curve (max = min), and R^2 is null when AL does not vary (0/0).
/// </summary>
public sealed record AlignmentSummary(double Average, double ImprovementRate, double? NormalizedImprovementRate, double? RSquared, double? NormalizedRSquared);

public static class AlignmentMetrics
{
    public static AlignmentSummary Summarize(IReadOnlyList<double> alignmentLevels)
    {
        if (alignmentLevels.Count < 2)
            throw new ArgumentException($"An Improvement Rate needs at least two turns; got {alignmentLevels.Count}.", nameof(alignmentLevels));
        if (alignmentLevels.Any(a => !double.IsFinite(a)))
            throw new ArgumentException("Every turn needs an Alignment Level (a finite number).", nameof(alignmentLevels));

        var (slope, r2) = Fit(alignmentLevels);
        var min = alignmentLevels.Min();
        var max = alignmentLevels.Max();
        double? normalizedSlope = null, normalizedR2 = null;
        if (max > min)
        {
            var (s, r) = Fit(alignmentLevels.Select(a => (a - min) / (max - min)).ToList());
            normalizedSlope = s;
            normalizedR2 = r;
        }
        return new AlignmentSummary(alignmentLevels.Average(), slope, normalizedSlope, r2, normalizedR2);
    }

    /// <summary>The slope alone (used thousands of times by the bootstrap).</summary>
    public static double ImprovementRate(IReadOnlyList<double> alignmentLevels) => Fit(alignmentLevels).Slope;

    /// <summary>Ordinary least squares of y on x = 1..n: slope b and R^2 = 1 - SS_res / SS_tot.</summary>
    static (double Slope, double? RSquared) Fit(IReadOnlyList<double> y)
    {
        var n = y.Count;
        var meanX = (n + 1) / 2.0;
        var meanY = y.Average();
        double sxx = 0, sxy = 0, syy = 0;
        for (var i = 0; i < n; i++)
        {
            var dx = i + 1 - meanX;
            var dy = y[i] - meanY;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        var slope = sxy / sxx;
        // For a simple regression R^2 = b^2 Sxx / Syy (explained over total sum of squares).
        double? r2 = syy <= 1e-15 ? null : slope * slope * sxx / syy;
        return (slope, r2);
    }
}
