using System.Globalization;
using Aloe.Core.Data;

namespace Aloe.Core.Benchmark;

/// <summary>
/// Reads score rows: either bare "case,turn,score" lines (a header is optional), or any CSV whose
/// header names the columns case, turn and score in any order, such as the benchmark's own
/// scores.csv (run,scoring,case,turn,score,status), where a failed turn has an empty score and is
/// left out. Quoted fields follow RFC 4180. Every malformed line is reported with its number and
/// nothing is returned unless the whole file is valid.
/// </summary>
public static class ScoreCsv
{
    public static IReadOnlyList<(string CaseKey, int Turn, double Score)> Parse(TextReader reader)
    {
        var rows = new List<(string, int, double)>();
        var errors = new List<string>();
        var seen = new HashSet<(string, int)>();
        int caseAt = 0, turnAt = 1, scoreAt = 2, statusAt = -1, width = 3;
        var first = true;
        foreach (var (number, raw) in Csv.Read(reader))
        {
            var cells = raw.Select(c => c.Trim()).ToArray();
            if (cells.All(c => c.Length == 0))
                continue;
            if (first)
            {
                first = false;
                var header = cells.Select(c => c.ToLowerInvariant()).ToList();
                if (header.Contains("case") && header.Contains("turn") && header.Contains("score"))
                {
                    (caseAt, turnAt, scoreAt, statusAt, width) = (header.IndexOf("case"), header.IndexOf("turn"), header.IndexOf("score"), header.IndexOf("status"), header.Count);
                    continue;
                }
            }
            if (cells.Length != width)
            {
                errors.Add(width == 3
                    ? $"line {number}: expected 3 columns (case,turn,score), found {cells.Length}"
                    : $"line {number}: expected {width} columns as in the header, found {cells.Length}");
                continue;
            }
            var caseKey = Csv.Unguard(cells[caseAt]);
            if (statusAt >= 0 && cells[statusAt].Equals("failed", StringComparison.OrdinalIgnoreCase) && cells[scoreAt].Length == 0)
                continue;
            if (caseKey.Length == 0)
                errors.Add($"line {number}: the case is empty");
            else if (!int.TryParse(cells[turnAt], NumberStyles.Integer, CultureInfo.InvariantCulture, out var turn) || turn < 1)
                errors.Add($"line {number}: turn '{cells[turnAt]}' is not a whole number >= 1");
            else if (!double.TryParse(cells[scoreAt], NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || !double.IsFinite(score))
                errors.Add($"line {number}: score '{cells[scoreAt]}' is not a number");
            else if (!seen.Add((caseKey, turn)))
                errors.Add($"line {number}: case '{caseKey}' turn {turn} appears twice");
            else
                rows.Add((caseKey, turn, score));
        }
        if (errors.Count > 0)
            throw new FormatException($"{errors.Count} malformed line(s): " + string.Join("; ", errors.Take(20)) + (errors.Count > 20 ? "; ..." : "."));
        if (rows.Count == 0)
            throw new FormatException("No score rows found (expected lines of case,turn,score).");
        return rows;
    }
}
