namespace Aloe.Core.Annotation;

/// <summary>One rating in long format: who rated which item how (a missing rating is an absent row).</summary>
internal sealed record RatingRow(string Item, string Rater, double Rating);

/// <summary>
/// Ratings in wide form, items x raters, with NaN where a rater did not rate an item. Items and
/// raters keep the order in which they first appear, so results and tables are reproducible.
/// </summary>
internal sealed class RatingMatrix
{
    RatingMatrix(IReadOnlyList<string> items, IReadOnlyList<string> raters, double[][] values)
    {
        Items = items;
        Raters = raters;
        Values = values;
    }

    public IReadOnlyList<string> Items { get; }
    public IReadOnlyList<string> Raters { get; }

    /// <summary>Values[item][rater]; NaN = not rated.</summary>
    public double[][] Values { get; }

    /// <summary>Every rating value that occurs, ascending (the default category set).</summary>
    public IReadOnlyList<double> ObservedValues() =>
        Values.SelectMany(row => row).Where(v => !double.IsNaN(v)).Distinct().Order().ToList();

    public static RatingMatrix FromRows(IEnumerable<RatingRow> rows)
    {
        var items = new Dictionary<string, int>(StringComparer.Ordinal);
        var raters = new Dictionary<string, int>(StringComparer.Ordinal);
        var cells = new List<(int Item, int Rater, double Rating)>();
        foreach (var row in rows)
        {
            if (!items.TryGetValue(row.Item, out var i))
                items[row.Item] = i = items.Count;
            if (!raters.TryGetValue(row.Rater, out var r))
                raters[row.Rater] = r = raters.Count;
            cells.Add((i, r, row.Rating));
        }
        var values = new double[items.Count][];
        for (var i = 0; i < values.Length; i++)
            values[i] = Enumerable.Repeat(double.NaN, raters.Count).ToArray();
        foreach (var (i, r, rating) in cells)
        {
            if (!double.IsNaN(values[i][r]))
                throw new ArgumentException($"Rater '{raters.First(p => p.Value == r).Key}' rated item '{items.First(p => p.Value == i).Key}' twice.");
            values[i][r] = rating;
        }
        return new RatingMatrix(items.Keys.ToList(), raters.Keys.ToList(), values);
    }

    /// <summary>
    /// From "reliability data" as Krippendorff writes it: one row per rater, one column per item,
    /// null = not rated. Items nobody rated are dropped (they carry no information).
    /// </summary>
    public static RatingMatrix FromRaterRows(IReadOnlyList<IReadOnlyList<double?>> byRater) =>
        FromRows(byRater.SelectMany((row, r) => row.Select((v, i) => (v, i))
            .Where(x => x.v is not null)
            .Select(x => new RatingRow($"item{x.i + 1:D4}", $"rater{r + 1}", x.v!.Value)))
            .OrderBy(row => row.Item, StringComparer.Ordinal));

    /// <summary>From per-item category counts (Fleiss' layout): counts[item][k] raters put the item in categories[k].</summary>
    public static RatingMatrix FromCategoryCounts(IReadOnlyList<IReadOnlyList<int>> counts, IReadOnlyList<double> categories) =>
        FromRows(counts.SelectMany((row, i) => row
            .SelectMany((count, k) => Enumerable.Repeat(categories[k], count))
            .Select((value, r) => new RatingRow($"item{i + 1:D4}", $"rater{r + 1}", value))));
}
