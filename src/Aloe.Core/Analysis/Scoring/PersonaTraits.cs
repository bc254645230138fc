using System.Globalization;
using System.Text.RegularExpressions;
using Aloe.Core.Analysis.Prism;

namespace Aloe.Core.Analysis.Scoring;

/// <summary>
/// Moderators for our own data (issue 12: "for our own data, traits of the persona"): the binary
/// traits the paper tests on PRISM that an ALOE profile states, read from its text. ALOE profiles
/// open with a pronoun and usually an age ("He is a 19-year-old college student ..."), so
/// <c>younger</c> (under 45, PRISM's split) and <c>male</c> come out under PRISM's names and land in
/// the same moderation grid; a profile that states neither gives no value (left out of that model).
/// </summary>
public static partial class PersonaTraits
{
    public static IReadOnlyDictionary<string, double?> Of(string? profile)
    {
        double? younger = profile is not null && Age().Match(profile) is { Success: true } m
            ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) < 45 ? 1 : 0
            : null;
        double? male = profile is null ? null : Pronoun().Match(profile) is { Success: true } p
            ? p.Groups[1].Value.Equals("he", StringComparison.OrdinalIgnoreCase) ? 1 : 0
            : null;
        return new Dictionary<string, double?> { [PrismModerators.Younger] = younger, [PrismModerators.Male] = male };
    }

    /// <summary>"19-year-old", "45 year old".</summary>
    [GeneratedRegex(@"\b(\d{1,3})[- ]years?[- ]old\b", RegexOptions.IgnoreCase)]
    private static partial Regex Age();

    /// <summary>The profile's first pronoun: ALOE profiles are written in the third person.</summary>
    [GeneratedRegex(@"^\W*(he|she)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Pronoun();
}
