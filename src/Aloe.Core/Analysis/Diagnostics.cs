using MathNet.Numerics.Distributions;

namespace Aloe.Core.Analysis;

/// <summary>Quantiles of sorted samples (R's type 7, the default of quantile() and of brms's summaries).</summary>
internal static class Quantiles
{
    public static double Of(double[] sorted, double probability)
    {
        if (sorted.Length == 0)
            return double.NaN;
        var h = (sorted.Length - 1) * probability;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    public static double Median(double[] sorted) => Of(sorted, 0.5);
}

/// <summary>
/// Convergence diagnostics of Vehtari, Gelman, Simpson, Carpenter and Buerkner (2021), "Rank-normalization,
/// folding, and localization: an improved R-hat", Bayesian Analysis 16:667: split chains, rank-normalised
/// R-hat (the larger of bulk and folded), bulk ESS on rank-normalised draws, tail ESS as the smaller ESS of
/// the 5% and 95% quantile indicators; autocorrelations combined over chains with Geyer's initial monotone sequence.
/// </summary>
internal static class Diagnostics
{
    public const double RhatThreshold = 1.01;
    public const double EssThreshold = 400;

    /// <summary>draws[chain][iteration] of one quantity.</summary>
    public static double Rhat(double[][] draws)
    {
        var split = Split(draws);
        var bulk = BasicRhat(RankNormalize(split));
        var median = Quantiles.Median(Sorted(split));
        var folded = BasicRhat(RankNormalize(split.Select(c => c.Select(v => Math.Abs(v - median)).ToArray()).ToArray()));
        return Math.Max(bulk, folded);
    }

    public static double EssBulk(double[][] draws) => Ess(RankNormalize(Split(draws)));

    public static double EssTail(double[][] draws)
    {
        var split = Split(draws);
        var sorted = Sorted(split);
        var q05 = Quantiles.Of(sorted, 0.05);
        var q95 = Quantiles.Of(sorted, 0.95);
        var lower = Ess(split.Select(c => c.Select(v => v <= q05 ? 1.0 : 0.0).ToArray()).ToArray());
        var upper = Ess(split.Select(c => c.Select(v => v <= q95 ? 1.0 : 0.0).ToArray()).ToArray());
        return Math.Min(lower, upper);
    }

    static double[] Sorted(double[][] chains)
    {
        var all = chains.SelectMany(c => c).ToArray();
        Array.Sort(all);
        return all;
    }

    static double[][] Split(double[][] draws)
    {
        var half = draws[0].Length / 2;
        if (half < 2)
            return draws;
        var offset = draws[0].Length - half; // an odd draw count drops the middle draw
        return draws.SelectMany(c => new[] { c[..half], c[offset..] }).ToArray();
    }

    /// <summary>Normal scores of the pooled ranks (ties averaged), Blom's offset (r - 3/8) / (S + 1/4).</summary>
    static double[][] RankNormalize(double[][] chains)
    {
        var m = chains.Length;
        var len = chains[0].Length;
        var total = m * len;
        var values = new double[total];
        var index = new int[total];
        for (var c = 0; c < m; c++)
            for (var i = 0; i < len; i++)
            {
                values[c * len + i] = chains[c][i];
                index[c * len + i] = c * len + i;
            }
        Array.Sort(values, index);
        var ranks = new double[total];
        for (var start = 0; start < total;)
        {
            var end = start;
            while (end + 1 < total && values[end + 1] == values[start])
                end++;
            var rank = (start + end) / 2.0 + 1;
            for (var j = start; j <= end; j++)
                ranks[index[j]] = rank;
            start = end + 1;
        }
        var result = new double[m][];
        for (var c = 0; c < m; c++)
        {
            result[c] = new double[len];
            for (var i = 0; i < len; i++)
                result[c][i] = Normal.InvCDF(0, 1, (ranks[c * len + i] - 0.375) / (total + 0.25));
        }
        return result;
    }

    static double BasicRhat(double[][] chains)
    {
        var n = chains[0].Length;
        var means = chains.Select(c => c.Average()).ToArray();
        var w = chains.Select((c, i) => c.Sum(v => (v - means[i]) * (v - means[i])) / (n - 1)).Average();
        var grand = means.Average();
        var b = n * means.Sum(v => (v - grand) * (v - grand)) / (chains.Length - 1);
        if (w == 0)
            return b == 0 ? 1 : double.PositiveInfinity;
        var varPlus = (n - 1.0) / n * w + b / n;
        return Math.Sqrt(varPlus / w);
    }

    /// <summary>Effective sample size over chains (Stan's ess computation, with autocovariances computed as far as needed).</summary>
    internal static double Ess(double[][] chains)
    {
        var m = chains.Length;
        var n = chains[0].Length;
        var means = chains.Select(c => c.Average()).ToArray();
        double Autocov(int chain, int lag)
        {
            var c = chains[chain];
            var mu = means[chain];
            var s = 0.0;
            for (var i = 0; i + lag < n; i++)
                s += (c[i] - mu) * (c[i + lag] - mu);
            return s / n;
        }
        double MeanAutocov(int lag)
        {
            var s = 0.0;
            for (var c = 0; c < m; c++)
                s += Autocov(c, lag);
            return s / m;
        }
        var acov0 = Enumerable.Range(0, m).Select(c => Autocov(c, 0)).ToArray();
        var meanVar = acov0.Select(a => a * n / (n - 1.0)).Average();
        var varPlus = meanVar * (n - 1.0) / n;
        if (m > 1)
        {
            var grand = means.Average();
            varPlus += means.Sum(v => (v - grand) * (v - grand)) / (m - 1);
        }
        if (varPlus <= 0 || double.IsNaN(varPlus))
            return double.NaN; // constant draws: no information on mixing
        var rho = new double[n + 1];
        rho[0] = 1;
        var rhoEven = 1.0;
        var rhoOdd = 1 - (meanVar - MeanAutocov(1)) / varPlus;
        rho[1] = rhoOdd;
        var t = 1;
        while (t < n - 5 && rhoEven + rhoOdd > 0)
        {
            rhoEven = 1 - (meanVar - MeanAutocov(t + 1)) / varPlus;
            rhoOdd = 1 - (meanVar - MeanAutocov(t + 2)) / varPlus;
            if (rhoEven + rhoOdd >= 0)
            {
                rho[t + 1] = rhoEven;
                rho[t + 2] = rhoOdd;
            }
            t += 2;
        }
        var maxT = t;
        if (rhoEven > 0)
            rho[maxT + 1] = rhoEven;
        // Geyer's initial monotone sequence.
        for (t = 1; t <= maxT - 2; t += 2)
        {
            if (rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t])
            {
                rho[t + 1] = (rho[t - 1] + rho[t]) / 2;
                rho[t + 2] = rho[t + 1];
            }
        }
        var sum = 0.0;
        for (var i = 0; i < maxT; i++)
            sum += rho[i];
        var tau = -1 + 2 * sum + rho[maxT] + rho[maxT + 1];
        double total = m * n;
        tau = Math.Max(tau, 1 / Math.Log10(total));
        return total / tau;
    }
}
