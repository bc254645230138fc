namespace Aloe.Core.Benchmark;

/// <summary>One case's judge scores, turn 1..K; null where the turn was not reached or not scored.</summary>
public sealed record CaseScores(string CaseKey, IReadOnlyList<double?> Scores);

/// <summary>A 95% percentile bootstrap interval.</summary>
public sealed record Interval(double Low, double High);

/// <summary>AL(k): the mean score over the N cases that have a score at turn k.</summary>
public sealed record TurnLevel(int Turn, int N, double? AlignmentLevel, Interval? Interval);

/// <summary>
/// A run's metrics with their uncertainty. <see cref="Summary"/> uses every case's scores;
/// when cases stopped early (n differs by turn) <see cref="CompleteCaseSummary"/> repeats it
/// over the cases scored at every turn, so a drop-out can never move the curve unnoticed.
/// </summary>
public sealed record AlignmentReport(
    IReadOnlyList<TurnLevel> Turns,
    int Cases,
    int CompleteCases,
    AlignmentSummary? Summary,
    Interval? AverageInterval,
    Interval? ImprovementRateInterval,
    AlignmentSummary? CompleteCaseSummary,
    int Resamples,
    int Seed)
{
    public bool NVariesByTurn => Turns.Select(t => t.N).Distinct().Count() > 1;
}

/// <summary>Two runs on the same cases: run A minus run B, with a paired bootstrap (the same resampled cases in both).</summary>
public sealed record PairedComparison(
    int SharedCases,
    double? AverageDifference,
    Interval? AverageDifferenceInterval,
    double? ImprovementRateDifference,
    Interval? ImprovementRateDifferenceInterval);

/// <summary>
/// Bootstrap intervals over cases (the unit the paper samples: a persona). Resampling is
/// seeded, so a report is reproducible.
/// </summary>
public static class AlignmentStatistics
{
    public const int DefaultResamples = 2000;
    public const int DefaultSeed = 20251;

    public static AlignmentReport Analyze(IReadOnlyList<CaseScores> cases, int turns, int resamples = DefaultResamples, int seed = DefaultSeed)
    {
        var matrix = ToMatrix(cases, turns);
        var levels = Levels(matrix, Identity(matrix.Length), turns);
        var counts = Enumerable.Range(0, turns).Select(k => matrix.Count(row => row[k] is not null)).ToList();
        var complete = matrix.Where(row => row.All(s => s is not null)).ToArray();
        var summary = levels.All(l => l is not null) && turns >= 2 ? AlignmentMetrics.Summarize(levels.Select(l => l!.Value).ToList()) : null;
        var completeLevels = Levels(complete, Identity(complete.Length), turns);
        var completeSummary = complete.Length > 0 && turns >= 2 ? AlignmentMetrics.Summarize(completeLevels.Select(l => l!.Value).ToList()) : null;

        // Resample cases with replacement; each statistic keeps only the resamples where it is defined.
        var random = new Random(seed);
        var perTurn = Enumerable.Range(0, turns).Select(_ => new List<double>(resamples)).ToArray();
        var averages = new List<double>(resamples);
        var rates = new List<double>(resamples);
        if (matrix.Length > 0)
        {
            var pick = new int[matrix.Length];
            for (var b = 0; b < resamples; b++)
            {
                for (var i = 0; i < pick.Length; i++)
                    pick[i] = random.Next(matrix.Length);
                var sample = Levels(matrix, pick, turns);
                for (var k = 0; k < turns; k++)
                    if (sample[k] is { } level)
                        perTurn[k].Add(level);
                if (turns >= 2 && sample.All(l => l is not null))
                {
                    var curve = sample.Select(l => l!.Value).ToList();
                    averages.Add(curve.Average());
                    rates.Add(AlignmentMetrics.ImprovementRate(curve));
                }
            }
        }

        var turnLevels = Enumerable.Range(0, turns)
            .Select(k => new TurnLevel(k + 1, counts[k], levels[k], Percentile(perTurn[k])))
            .ToList();
        return new AlignmentReport(turnLevels, matrix.Length, complete.Length, summary,
            summary is null ? null : Percentile(averages), summary is null ? null : Percentile(rates),
            completeSummary, resamples, seed);
    }

    /// <summary>A minus B over the cases both runs have (matched by case key), with a paired bootstrap interval.</summary>
    public static PairedComparison Compare(IReadOnlyList<CaseScores> a, IReadOnlyList<CaseScores> b, int turns, int resamples = DefaultResamples, int seed = DefaultSeed)
    {
        var byKey = b.GroupBy(c => c.CaseKey).ToDictionary(g => g.Key, g => g.First());
        var shared = a.Where(c => byKey.ContainsKey(c.CaseKey)).GroupBy(c => c.CaseKey).Select(g => g.First()).ToList();
        var left = ToMatrix(shared, turns);
        var right = ToMatrix(shared.Select(c => byKey[c.CaseKey]).ToList(), turns);
        if (left.Length == 0)
            return new PairedComparison(0, null, null, null, null);

        var all = Identity(left.Length);
        var point = Difference(left, right, all, turns);
        var random = new Random(seed);
        var averages = new List<double>(resamples);
        var rates = new List<double>(resamples);
        var pick = new int[left.Length];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < pick.Length; i++)
                pick[i] = random.Next(left.Length);
            if (Difference(left, right, pick, turns) is { } d)
            {
                averages.Add(d.Average);
                rates.Add(d.Rate);
            }
        }
        return new PairedComparison(left.Length, point?.Average, point is null ? null : Percentile(averages),
            point?.Rate, point is null ? null : Percentile(rates));
    }

    /// <summary>AL(k) per turn from a table of case, turn, score rows (e.g. a CSV), K = the largest turn.</summary>
    public static IReadOnlyList<CaseScores> FromRows(IEnumerable<(string CaseKey, int Turn, double Score)> rows)
    {
        var list = rows.ToList();
        var turns = list.Count == 0 ? 0 : list.Max(r => r.Turn);
        return list.GroupBy(r => r.CaseKey).Select(g =>
        {
            var scores = new double?[turns];
            foreach (var row in g)
                scores[row.Turn - 1] = row.Score;
            return new CaseScores(g.Key, scores);
        }).ToList();
    }

    static (double Average, double Rate)? Difference(double?[][] left, double?[][] right, int[] pick, int turns)
    {
        var l = Levels(left, pick, turns);
        var r = Levels(right, pick, turns);
        if (turns < 2 || l.Any(x => x is null) || r.Any(x => x is null))
            return null;
        var lc = l.Select(x => x!.Value).ToList();
        var rc = r.Select(x => x!.Value).ToList();
        return (lc.Average() - rc.Average(), AlignmentMetrics.ImprovementRate(lc) - AlignmentMetrics.ImprovementRate(rc));
    }

    static double?[][] ToMatrix(IReadOnlyList<CaseScores> cases, int turns) =>
        cases.Select(c => Enumerable.Range(0, turns).Select(k => k < c.Scores.Count ? c.Scores[k] : null).ToArray()).ToArray();

    static int[] Identity(int n) => Enumerable.Range(0, n).ToArray();

    static double?[] Levels(double?[][] matrix, int[] pick, int turns)
    {
        var levels = new double?[turns];
        for (var k = 0; k < turns; k++)
        {
            double sum = 0;
            var n = 0;
            foreach (var i in pick)
                if (matrix[i][k] is { } score)
                {
                    sum += score;
                    n++;
                }
            levels[k] = n == 0 ? null : sum / n;
        }
        return levels;
    }

    /// <summary>The 2.5th and 97.5th percentiles (linear interpolation between order statistics); sorts the list. Also the agreement bootstrap's interval.</summary>
    internal static Interval? Percentile(List<double> values)
    {
        if (values.Count == 0)
            return null;
        values.Sort();
        return new Interval(Quantile(values, 0.025), Quantile(values, 0.975));
    }

    static double Quantile(List<double> sorted, double p)
    {
        var position = p * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
