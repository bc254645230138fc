using System.Globalization;
using Aloe.Core.Data;

namespace Aloe.Core.Annotation;

/// <summary>
/// Reads the items of a campaign made elsewhere: columns item, profile, personality, message,
/// response (required) and response_b (pairwise), judge, expected (attention check), turn, case
/// (optional), in any order. Every bad line is reported with its number; nothing is returned unless all are valid.
/// </summary>
internal static class ItemsCsv
{
    static readonly string[] Required = ["item", "profile", "personality", "message", "response"];

    public static IReadOnlyList<AnnotationItem> Parse(TextReader reader)
    {
        var errors = new List<string>();
        var items = new List<AnnotationItem>();
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        Dictionary<string, int>? columns = null;
        foreach (var (number, fields) in Csv.Read(reader))
        {
            if (fields.Length == 1 && string.IsNullOrWhiteSpace(fields[0]))
                continue;
            if (columns is null)
            {
                columns = fields.Select((f, i) => (Name: f.Trim().ToLowerInvariant(), i)).GroupBy(x => x.Name).ToDictionary(g => g.Key, g => g.First().i);
                var missing = Required.Where(c => !columns.ContainsKey(c)).ToList();
                if (missing.Count > 0)
                    throw new FormatException($"line {number}: the header must name the columns {string.Join(",", Required)}; missing {string.Join(", ", missing)}.");
                continue;
            }
            string? Get(string column) => columns.TryGetValue(column, out var i) && i < fields.Length && fields[i].Trim().Length > 0 ? fields[i].Trim() : null;
            int? Whole(string column, int min, int max)
            {
                if (Get(column) is not { } text)
                    return null;
                if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
                    return value;
                errors.Add($"line {number}: {column} '{text}' is not a whole number from {min} to {max}");
                return null;
            }
            var empty = Required.Where(c => Get(c) is null).ToList();
            if (empty.Count > 0)
            {
                errors.Add($"line {number}: {string.Join(", ", empty)} {(empty.Count == 1 ? "is" : "are")} empty");
                continue;
            }
            var key = Get("item")!;
            if (keys.TryGetValue(key, out var first))
            {
                errors.Add($"line {number}: item '{key}' already appears on line {first}");
                continue;
            }
            keys[key] = number;
            items.Add(new AnnotationItem
            {
                Key = key,
                Profile = Get("profile")!,
                Personality = Get("personality")!,
                UserMessage = Get("message")!,
                Response = Get("response")!,
                ResponseB = Get("response_b"),
                JudgeRating = Whole("judge", 1, 5),
                ExpectedRating = Whole("expected", 1, 5),
                Turn = Whole("turn", 1, 1000),
                CaseKey = Get("case"),
            });
        }
        if (columns is null)
            throw new FormatException("The file is empty; expected a header naming " + string.Join(",", Required) + ".");
        if (items.Count > 0 && items.Any(i => (i.ResponseB is null) != (items[0].ResponseB is null)))
            errors.Add("every item needs a response_b (pairwise) or none does (rating)");
        if (errors.Count > 0)
            throw new FormatException($"{errors.Count} bad line(s), nothing created: " + string.Join("; ", errors.Take(20)) + (errors.Count > 20 ? "; ..." : "."));
        if (items.Count == 0)
            throw new FormatException("No items found below the header.");
        return items;
    }
}
