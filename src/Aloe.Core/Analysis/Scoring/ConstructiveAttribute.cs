using System.Text.Json.Serialization;

namespace Aloe.Core.Analysis.Scoring;

/// <summary>
/// The eight attributes of Kyrychenko et al. (2025): Perspective API's seven experimental
/// "bridging" attributes and TOXICITY. Stored by name, so the table stays readable if this grows.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConstructiveAttribute>))]
public enum ConstructiveAttribute { Affinity, Compassion, Curiosity, Nuance, PersonalStory, Reasoning, Respect, Toxicity }

public static class ConstructiveAttributes
{
    public static IReadOnlyList<ConstructiveAttribute> All { get; } = Enum.GetValues<ConstructiveAttribute>();

    /// <summary>The name in Perspective API requests and responses.</summary>
    public static string PerspectiveName(this ConstructiveAttribute attribute) => attribute switch
    {
        ConstructiveAttribute.Toxicity => "TOXICITY",
        ConstructiveAttribute.PersonalStory => "PERSONAL_STORY_EXPERIMENTAL",
        _ => attribute.ToString().ToUpperInvariant() + "_EXPERIMENTAL",
    };

    /// <summary>The column name in the scored table and its CSV (snake case, as the paper's formulas).</summary>
    public static string ColumnName(this ConstructiveAttribute attribute) => attribute switch
    {
        ConstructiveAttribute.PersonalStory => "personal_story",
        _ => attribute.ToString().ToLowerInvariant(),
    };

    /// <summary>Reads "PersonalStory", "personal_story", "PERSONAL_STORY" or "PERSONAL_STORY_EXPERIMENTAL".</summary>
    public static bool TryParse(string name, out ConstructiveAttribute attribute)
    {
        var key = name.Trim().ToUpperInvariant().Replace("_EXPERIMENTAL", "").Replace("_", "");
        foreach (var candidate in All)
            if (candidate.ToString().ToUpperInvariant() == key)
            {
                attribute = candidate;
                return true;
            }
        attribute = default;
        return false;
    }

    /// <summary>Parses a comma-separated list; empty means all eight.</summary>
    public static IReadOnlyList<ConstructiveAttribute> ParseList(string? names)
    {
        if (string.IsNullOrWhiteSpace(names))
            return All;
        var parsed = new List<ConstructiveAttribute>();
        foreach (var name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            parsed.Add(TryParse(name, out var a) ? a : throw new FormatException($"Unknown attribute '{name}' (known: {string.Join(", ", All.Select(x => x.ColumnName()))})."));
        return parsed.Distinct().ToList();
    }
}
