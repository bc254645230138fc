using System.Globalization;
using Aloe.Core.Data;

namespace Aloe.Core.Annotation;

/// <summary>
/// Reads ratings in long format: a header naming the columns item, rater and rating (others are
/// ignored, in any order), then one rating per line. Every bad line is reported with its number and
/// nothing is returned unless the whole file is valid; <paramref name="check"/> adds the caller's own
/// rules (a campaign's items and scale).
/// </summary>
internal static class RatingsCsv
{
    public const string Header = "item,rater,rating";
    static readonly string[] Columns = ["item", "rater", "rating"];

    public static IReadOnlyList<RatingRow> Parse(TextReader reader, Func<RatingRow, string?>? check = null)
    {
        var errors = new List<string>();
        var rows = new List<RatingRow>();
        var seen = new Dictionary<(string, string), int>();
        int[]? columns = null;
        foreach (var (number, fields) in Csv.Read(reader))
        {
            if (fields.Length == 1 && string.IsNullOrWhiteSpace(fields[0]))
                continue;
            if (columns is null)
            {
                var names = fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
                columns = Columns.Select(c => names.IndexOf(c)).ToArray();
                var missing = Columns.Where((_, i) => columns[i] < 0).ToList();
                if (missing.Count > 0)
                    throw new FormatException($"line {number}: the header must name the columns {Header}; missing {string.Join(", ", missing)}.");
                continue;
            }
            if (fields.Length <= columns.Max())
            {
                errors.Add($"line {number}: expected {columns.Max() + 1} columns, found {fields.Length}");
                continue;
            }
            var (item, rater, text) = (fields[columns[0]].Trim(), fields[columns[1]].Trim(), fields[columns[2]].Trim());
            if (item.Length == 0 || rater.Length == 0)
                errors.Add($"line {number}: the {(item.Length == 0 ? "item" : "rater")} is empty");
            else if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rating) || !double.IsFinite(rating))
                errors.Add($"line {number}: rating '{text}' is not a number");
            else if (seen.TryGetValue((item, rater), out var first))
                errors.Add($"line {number}: rater '{rater}' already rated item '{item}' on line {first}");
            else if (check?.Invoke(new RatingRow(item, rater, rating)) is { } problem)
                errors.Add($"line {number}: {problem}");
            else
            {
                seen[(item, rater)] = number;
                rows.Add(new RatingRow(item, rater, rating));
            }
        }
        if (columns is null)
            throw new FormatException($"The file is empty; expected the header {Header}.");
        if (errors.Count > 0)
            throw new FormatException($"{errors.Count} bad line(s), nothing read: " + string.Join("; ", errors.Take(20)) + (errors.Count > 20 ? "; ..." : "."));
        return rows;
    }
}
