using System.Globalization;

namespace Aloe.Core.Benchmark;

/// <summary>
/// Reads "case,turn,score" rows (a header line is optional). Every malformed line is reported
/// with its number and nothing is returned unless the whole file is valid.
/// </summary>
public static class ScoreCsv
{
    public static IReadOnlyList<(string CaseKey, int Turn, double Score)> Parse(TextReader reader)
    {
        var rows = new List<(string, int, double)>();
        var errors = new List<string>();
        var seen = new HashSet<(string, int)>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var cells = line.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
            if (number == 1 && cells.Length == 3 && cells[0].Equals("case", StringComparison.OrdinalIgnoreCase))
                continue;
            if (cells.Length != 3)
            {
                errors.Add($"line {number}: expected 3 columns (case,turn,score), found {cells.Length}");
                continue;
            }
            if (cells[0].Length == 0)
                errors.Add($"line {number}: the case is empty");
            else if (!int.TryParse(cells[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var turn) || turn < 1)
                errors.Add($"line {number}: turn '{cells[1]}' is not a whole number >= 1");
            else if (!double.TryParse(cells[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || !double.IsFinite(score))
                errors.Add($"line {number}: score '{cells[2]}' is not a number");
            else if (!seen.Add((cells[0], turn)))
                errors.Add($"line {number}: case '{cells[0]}' turn {turn} appears twice");
            else
                rows.Add((cells[0], turn, score));
        }
        if (errors.Count > 0)
            throw new FormatException($"{errors.Count} malformed line(s): " + string.Join("; ", errors.Take(20)) + (errors.Count > 20 ? "; ..." : "."));
        if (rows.Count == 0)
            throw new FormatException("No score rows found (expected lines of case,turn,score).");
        return rows;
    }
}
