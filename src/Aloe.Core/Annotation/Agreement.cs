using Aloe.Core.Benchmark;

namespace Aloe.Core.Annotation;

/// <summary>How Cohen's kappa credits near misses on an ordered scale (1 = full credit).</summary>
internal enum KappaWeighting { Unweighted, Linear, Quadratic }

/// <summary>Krippendorff's levels of measurement: which difference function alpha uses.</summary>
internal enum KrippendorffLevel { Nominal, Ordinal, Interval, Ratio }

/// <summary>A kappa and its large-sample (analytic) standard error.</summary>
internal sealed record KappaEstimate(double Value, double StandardError);

/// <summary>Cohen's kappa of two raters over the items both rated: value, analytic SE and a 95% item-bootstrap interval; null where undefined (no items, or chance agreement 1).</summary>
internal sealed record CohenKappa(KappaWeighting Weighting, int Items, double? Value, double? StandardError, Interval? Interval);

/// <summary>An agreement coefficient among any number of raters; StandardError null where the coefficient has none here.</summary>
internal sealed record AgreementCoefficient(string Metric, double? Value, double? StandardError, int Items);

/// <summary>
/// Inter-rater agreement (paper, section 5.4: each annotator's Cohen's kappa against the judge,
/// averaged over annotators). Conventions follow the references the tests check against:
/// Cohen's SE as statsmodels' cohens_kappa (Fleiss, Cohen and Everitt 1969), weights on the
/// category values (linear |a-b|/range, quadratic squared), Fleiss' kappa, Gwet's AC1 and percent
/// agreement with missing ratings as Gwet's irrCAC (an item counts toward observed agreement only
/// when two or more raters rated it, toward the category distribution always), and Krippendorff's
/// alpha from the coincidence matrix of pairable values.
/// </summary>
internal static class Agreement
{
    public const int DefaultResamples = 2000;
    public const int DefaultSeed = 20254;

    /// <summary>Cohen's kappa from a contingency table (rows: rater A's category, columns: rater B's).</summary>
    public static KappaEstimate? CohenFromTable(double[,] table, IReadOnlyList<double> categories, KappaWeighting weighting)
    {
        var q = categories.Count;
        if (table.GetLength(0) != q || table.GetLength(1) != q)
            throw new ArgumentException($"The table must be {q} x {q}, one row and column per category.", nameof(table));
        var counts = new double[q * q];
        for (var i = 0; i < q; i++)
            for (var j = 0; j < q; j++)
                counts[i * q + j] = table[i, j];
        return Kappa(counts, q, Weights(categories, weighting), withError: true);
    }

    /// <summary>
    /// Cohen's kappa of two raters' paired ratings, all three weightings from the same seeded item
    /// bootstrap (B resamples of the pairs with replacement; a resample where kappa is undefined is left out).
    /// Categories default to the values either rater used.
    /// </summary>
    public static IReadOnlyList<CohenKappa> Cohen(IReadOnlyList<(double A, double B)> pairs, IReadOnlyList<double>? categories = null,
        int resamples = DefaultResamples, int seed = DefaultSeed)
    {
        categories ??= pairs.SelectMany(p => new[] { p.A, p.B }).Distinct().Order().ToList();
        var q = categories.Count;
        var index = categories.Select((v, k) => (v, k)).ToDictionary(x => x.v, x => x.k);
        var cells = new int[pairs.Count];
        for (var p = 0; p < pairs.Count; p++)
        {
            if (!index.TryGetValue(pairs[p].A, out var a) || !index.TryGetValue(pairs[p].B, out var b))
                throw new ArgumentException($"Rating {(index.ContainsKey(pairs[p].A) ? pairs[p].B : pairs[p].A)} is not one of the categories {string.Join(", ", categories)}.");
            cells[p] = a * q + b;
        }
        var weightings = Enum.GetValues<KappaWeighting>();
        var weights = weightings.Select(w => Weights(categories, w)).ToArray();

        var counts = new double[q * q];
        foreach (var cell in cells)
            counts[cell]++;
        var estimates = weights.Select(w => Kappa(counts, q, w, withError: true)).ToArray();

        var samples = weightings.Select(_ => new List<double>(resamples)).ToArray();
        if (cells.Length > 0)
        {
            // SplitMix64 with Lemire's multiply-shift for the index: a seeded System.Random uses its
            // legacy generator, three times slower, and this loop draws B x n indices per annotator.
            var state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL);
            var n = (ulong)cells.Length;
            for (var b = 0; b < resamples; b++)
            {
                Array.Clear(counts);
                for (var i = 0; i < cells.Length; i++)
                {
                    var z = state += 0x9E3779B97F4A7C15UL;
                    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                    z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                    counts[cells[(int)(((z ^ (z >> 31)) >> 32) * n >> 32)]]++;
                }
                for (var w = 0; w < weights.Length; w++)
                    if (Kappa(counts, q, weights[w], withError: false) is { } kappa)
                        samples[w].Add(kappa.Value);
            }
        }
        return weightings.Select((w, i) => new CohenKappa(w, cells.Length, estimates[i]?.Value, estimates[i]?.StandardError,
            estimates[i] is null ? null : AlignmentStatistics.Percentile(samples[i]))).ToList();
    }

    /// <summary>Counts of (A's category, B's category): the confusion matrix a report draws.</summary>
    public static int[,] ConfusionMatrix(IEnumerable<(double A, double B)> pairs, IReadOnlyList<double> categories)
    {
        var index = categories.Select((v, k) => (v, k)).ToDictionary(x => x.v, x => x.k);
        var matrix = new int[categories.Count, categories.Count];
        foreach (var (a, b) in pairs)
            if (index.TryGetValue(a, out var i) && index.TryGetValue(b, out var j))
                matrix[i, j]++;
        return matrix;
    }

    /// <summary>Pairwise percent agreement averaged over the items two or more raters rated (irrCAC's pa).</summary>
    public static AgreementCoefficient PercentAgreement(RatingMatrix ratings)
    {
        var d = Distribution.Of(ratings, ratings.ObservedValues());
        return new AgreementCoefficient("percent", d.Paired == 0 ? null : d.ObservedAgreement, null, d.Paired);
    }

    /// <summary>Fleiss' kappa (chance agreement: the sum of squared category proportions), with Gwet's standard error.</summary>
    public static AgreementCoefficient Fleiss(RatingMatrix ratings, IReadOnlyList<double>? categories = null)
    {
        var d = Distribution.Of(ratings, categories ?? ratings.ObservedValues());
        var pe = d.Proportions.Sum(p => p * p);
        return ChanceCorrected("fleiss", d, pe, i => Dot(d.Counts[i], d.Proportions) / d.RatersPerItem[i]);
    }

    /// <summary>Gwet's AC1 (chance agreement from the categories' spread, sum pi(1-pi)/(q-1)), with Gwet's standard error.</summary>
    public static AgreementCoefficient GwetAc1(RatingMatrix ratings, IReadOnlyList<double>? categories = null)
    {
        var d = Distribution.Of(ratings, categories ?? ratings.ObservedValues());
        var q = d.Proportions.Length;
        if (q < 2)
            return new AgreementCoefficient("gwet-ac1", null, null, d.Paired);
        var pe = d.Proportions.Sum(p => p * (1 - p)) / (q - 1);
        var spread = d.Proportions.Select(p => 1 - p).ToArray();
        return ChanceCorrected("gwet-ac1", d, pe, i => Dot(d.Counts[i], spread) / d.RatersPerItem[i] / (q - 1));
    }

    /// <summary>Krippendorff's alpha = 1 - D_o / D_e over the pairable values (items rated by two or more raters).</summary>
    public static AgreementCoefficient Krippendorff(RatingMatrix ratings, KrippendorffLevel level)
    {
        var name = "krippendorff-" + level.ToString().ToLowerInvariant();
        var values = ratings.ObservedValues();
        var v = values.Count;
        var index = values.Select((x, k) => (x, k)).ToDictionary(p => p.x, p => p.k);
        var coincidences = new double[v, v];
        var units = 0;
        var perUnit = new int[v];
        foreach (var row in ratings.Values)
        {
            Array.Clear(perUnit);
            var m = 0;
            foreach (var x in row)
                if (!double.IsNaN(x))
                {
                    perUnit[index[x]]++;
                    m++;
                }
            if (m < 2)
                continue;
            units++;
            for (var c = 0; c < v; c++)
                for (var k = 0; k < v; k++)
                    coincidences[c, k] += (perUnit[c] * (double)perUnit[k] - (c == k ? perUnit[c] : 0)) / (m - 1);
        }
        var marginals = new double[v];
        for (var c = 0; c < v; c++)
            for (var k = 0; k < v; k++)
                marginals[c] += coincidences[c, k];
        var n = marginals.Sum();
        if (units == 0 || n < 2)
            return new AgreementCoefficient(name, null, null, units);

        double observed = 0, expected = 0;
        for (var c = 0; c < v; c++)
            for (var k = 0; k < v; k++)
            {
                var delta = Difference(level, values, marginals, c, k);
                observed += coincidences[c, k] * delta;
                expected += marginals[c] * marginals[k] * delta;
            }
        expected /= n - 1;
        return new AgreementCoefficient(name, expected <= 0 ? null : 1 - observed / expected, null, units);
    }

    /// <summary>Krippendorff's squared difference functions (Krippendorff 2011, "Computing Krippendorff's alpha-reliability").</summary>
    static double Difference(KrippendorffLevel level, IReadOnlyList<double> values, double[] marginals, int c, int k)
    {
        if (c == k)
            return 0;
        switch (level)
        {
            case KrippendorffLevel.Nominal:
                return 1;
            case KrippendorffLevel.Ordinal:
                var (low, high) = c < k ? (c, k) : (k, c);
                double between = 0;
                for (var g = low; g <= high; g++)
                    between += marginals[g];
                between -= (marginals[c] + marginals[k]) / 2;
                return between * between;
            case KrippendorffLevel.Interval:
                return (values[c] - values[k]) * (values[c] - values[k]);
            default:
                var sum = values[c] + values[k];
                return sum == 0 ? 0 : Math.Pow((values[c] - values[k]) / sum, 2);
        }
    }

    /// <summary>
    /// (pa - pe) / (1 - pe) with Gwet's linearised variance (irrCAC, finite-population correction off):
    /// each item's contribution to pa and pe, centred, summed as a jackknife-like sum of squares.
    /// </summary>
    static AgreementCoefficient ChanceCorrected(string name, Distribution d, double pe, Func<int, double> itemChance)
    {
        var n = d.Counts.Length;
        if (d.Paired == 0 || pe >= 1)
            return new AgreementCoefficient(name, null, null, d.Paired);
        var coefficient = (d.ObservedAgreement - pe) / (1 - pe);
        double? error = null;
        if (n > 1)
        {
            double sum = 0;
            for (var i = 0; i < n; i++)
            {
                var paired = d.RatersPerItem[i] >= 2;
                var pa = paired ? d.AgreeingPairs[i] / (d.RatersPerItem[i] * (d.RatersPerItem[i] - 1)) : 0;
                var item = (double)n / d.Paired * (pa - (paired ? pe : 0)) / (1 - pe);
                var corrected = item - 2 * (1 - coefficient) * (itemChance(i) - pe) / (1 - pe);
                sum += (corrected - coefficient) * (corrected - coefficient);
            }
            error = Math.Sqrt(sum / (n * (n - 1.0)));
        }
        return new AgreementCoefficient(name, coefficient, error, d.Paired);
    }

    static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    /// <summary>
    /// Kappa = (p_o - p_e) / (1 - p_e) with agreement weights w (1 on the diagonal), and optionally
    /// its large-sample SE: var = [sum p_ij (w_ij - (wbar_i. + wbar_.j)(1 - k))^2 - (k - p_e (1 - k))^2] / (n (1 - p_e)^2).
    /// With identity weights this is the unweighted formula, so one routine serves all three.
    /// </summary>
    static KappaEstimate? Kappa(double[] counts, int q, double[] weights, bool withError)
    {
        double n = 0;
        foreach (var c in counts)
            n += c;
        if (n <= 0)
            return null;
        Span<double> rows = stackalloc double[q], columns = stackalloc double[q];
        for (var i = 0; i < q; i++)
            for (var j = 0; j < q; j++)
            {
                rows[i] += counts[i * q + j] / n;
                columns[j] += counts[i * q + j] / n;
            }
        double observed = 0, chance = 0;
        for (var i = 0; i < q; i++)
            for (var j = 0; j < q; j++)
            {
                observed += weights[i * q + j] * counts[i * q + j] / n;
                chance += weights[i * q + j] * rows[i] * columns[j];
            }
        if (1 - chance <= 1e-12)
            return null;
        var kappa = (observed - chance) / (1 - chance);
        if (!withError)
            return new KappaEstimate(kappa, double.NaN);

        Span<double> rowWeights = stackalloc double[q], columnWeights = stackalloc double[q];
        for (var i = 0; i < q; i++)
            for (var j = 0; j < q; j++)
            {
                rowWeights[i] += columns[j] * weights[i * q + j];
                columnWeights[j] += rows[i] * weights[i * q + j];
            }
        double sum = 0;
        for (var i = 0; i < q; i++)
            for (var j = 0; j < q; j++)
            {
                var term = weights[i * q + j] - (rowWeights[i] + columnWeights[j]) * (1 - kappa);
                sum += counts[i * q + j] / n * term * term;
            }
        var centre = kappa - chance * (1 - kappa);
        var variance = (sum - centre * centre) / (n * (1 - chance) * (1 - chance));
        return new KappaEstimate(kappa, Math.Sqrt(Math.Max(variance, 0)));
    }

    /// <summary>Agreement weights over the category values: 1 - |a-b|/range (linear) or 1 - (a-b)^2/range^2 (quadratic).</summary>
    static double[] Weights(IReadOnlyList<double> categories, KappaWeighting weighting)
    {
        var q = categories.Count;
        var range = q == 0 ? 0 : categories.Max() - categories.Min();
        var weights = new double[q * q];
        for (var i = 0; i < q; i++)
            for (var j = 0; j < q; j++)
                weights[i * q + j] = i == j ? 1 : weighting switch
                {
                    KappaWeighting.Linear => 1 - Math.Abs(categories[i] - categories[j]) / range,
                    KappaWeighting.Quadratic => 1 - Math.Pow((categories[i] - categories[j]) / range, 2),
                    _ => 0,
                };
        return weights;
    }

    /// <summary>
    /// Per item: raters per category, raters in all, agreeing ordered pairs; over items: the mean
    /// category proportions (every rated item counts) and observed agreement (items with two or more raters).
    /// </summary>
    sealed record Distribution(double[][] Counts, double[] RatersPerItem, double[] AgreeingPairs, double[] Proportions, int Paired, double ObservedAgreement)
    {
        public static Distribution Of(RatingMatrix ratings, IReadOnlyList<double> categories)
        {
            var q = categories.Count;
            var index = categories.Select((v, k) => (v, k)).ToDictionary(x => x.v, x => x.k);
            var rows = ratings.Values.Where(row => row.Any(x => !double.IsNaN(x))).ToArray();
            var counts = new double[rows.Length][];
            var raters = new double[rows.Length];
            var agreeing = new double[rows.Length];
            var proportions = new double[q];
            var paired = 0;
            double agreement = 0;
            for (var i = 0; i < rows.Length; i++)
            {
                counts[i] = new double[q];
                foreach (var x in rows[i])
                    if (!double.IsNaN(x))
                    {
                        if (!index.TryGetValue(x, out var k))
                            throw new ArgumentException($"Rating {x} is not one of the categories {string.Join(", ", categories)}.");
                        counts[i][k]++;
                        raters[i]++;
                    }
                for (var k = 0; k < q; k++)
                {
                    agreeing[i] += counts[i][k] * (counts[i][k] - 1);
                    proportions[k] += counts[i][k] / raters[i] / rows.Length;
                }
                if (raters[i] >= 2)
                {
                    paired++;
                    agreement += agreeing[i] / (raters[i] * (raters[i] - 1));
                }
            }
            return new Distribution(counts, raters, agreeing, proportions, paired, paired == 0 ? 0 : agreement / paired);
        }
    }
}
