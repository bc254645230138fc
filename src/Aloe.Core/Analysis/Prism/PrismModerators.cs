using System.Globalization;
using System.Text.RegularExpressions;

namespace Aloe.Core.Analysis.Prism;

/// <summary>
/// The paper's four binary moderators (Kyrychenko et al. 2025, model 2) from a PRISM survey row:
/// younger (age band below 45), male, white (simplified ethnicity), high_values ("an AI should
/// reflect my values or cultural perspectives" above 50 of 100). Null when the answer is missing
/// or "Prefer not to say".
/// </summary>
public static partial class PrismModerators
{
    public const string Younger = "younger";
    public const string Male = "male";
    public const string White = "white";
    public const string HighValues = "high_values";
    public static IReadOnlyList<string> Names { get; } = [Younger, Male, White, HighValues];

    static readonly IReadOnlyDictionary<string, double?> None = Names.ToDictionary(n => n, _ => (double?)null);

    public static IReadOnlyDictionary<string, double?> Of(PrismParticipant? participant) => participant is null ? None : new Dictionary<string, double?>
    {
        [Younger] = LowerAge(participant.Age) is { } age ? (age < 45 ? 1 : 0) : null,
        [Male] = Known(participant.Gender) is { } gender ? (gender.Equals("Male", StringComparison.OrdinalIgnoreCase) ? 1 : 0) : null,
        [White] = Known(participant.Ethnicity) is { } ethnicity ? (ethnicity.Equals("White", StringComparison.OrdinalIgnoreCase) ? 1 : 0) : null,
        [HighValues] = participant.ValuesPreference is { } values ? (values > 50 ? 1 : 0) : null,
    };

    /// <summary>"25-34 years old" -> 25, "65+ years old" -> 65.</summary>
    static int? LowerAge(string? band) =>
        band is not null && FirstNumber().Match(band) is { Success: true } m ? int.Parse(m.Value, CultureInfo.InvariantCulture) : null;

    static string? Known(string? answer) =>
        string.IsNullOrWhiteSpace(answer) || answer.StartsWith("Prefer not", StringComparison.OrdinalIgnoreCase) ? null : answer.Trim();

    [GeneratedRegex(@"\d+")]
    private static partial Regex FirstNumber();
}
