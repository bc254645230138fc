using System.Text.RegularExpressions;

namespace Aloe.Core.Personas;

/// <summary>
/// Does a file look like the kind it is imported as? Profiles state facts (age, work, family,
/// places, habits); personalities name traits. A file of one imported as the other gives a
/// warning (not an error: a researcher may mean it). A cheap lexical check on a sample of records.
/// </summary>
internal static partial class PoolKindCheck
{
    const int Sample = 200;

    public static PoolKind? Guess(string text)
    {
        var facts = Facts().Count(text);
        var traits = Traits().Count(text) + Described().Count(text);
        return traits >= 2 && traits > 2 * facts ? PoolKind.Personality
            : facts >= 1 && facts > traits ? PoolKind.Profile
            : null;
    }

    /// <summary>A warning when most sampled records look like the other kind; null when they fit.</summary>
    public static string? Warning(PoolKind kind, IReadOnlyList<string> texts)
    {
        var sample = texts.Count <= Sample ? texts : Enumerable.Range(0, Sample).Select(i => texts[(int)((long)i * texts.Count / Sample)]).ToList();
        var other = kind == PoolKind.Profile ? PoolKind.Personality : PoolKind.Profile;
        var looksOther = sample.Count(t => Guess(t) == other);
        if (looksOther * 2 <= sample.Count)
            return null;
        string Name(PoolKind k) => k == PoolKind.Profile ? "profiles (facts about a person)" : "personalities (traits)";
        return $"Check the kind: {looksOther} of the {sample.Count} records checked read like {Name(other)}, but the file was imported as {Name(kind)}.";
    }

    [GeneratedRegex(@"\b(\d+|year-old|years? old|lives?|living|working|worked|job|married|divorced|husband|wife|partner|children|kids?|daughters?|sons?|grandchildren|student|studying|studies|retired|grew up|moved|born|degree|college|university|school|city|town|village|weekends?|every (morning|day|week|evening|sunday|saturday))\b", RegexOptions.IgnoreCase)]
    private static partial Regex Facts();

    // "He is playful", "She is formal and courteous": a person described by an adjective, not by
    // what they are or do ("She is a 68-year-old", "He is studying", "She is married").
    [GeneratedRegex(@"\b(?:he|she|they) (?:is|are) (?!(?:a|an|the|from|in|at|on|not|married|retired|single|divorced|widowed|learning|\d+)\b)(?!\w+ing\b)[a-z-]+\b", RegexOptions.IgnoreCase)]
    private static partial Regex Described();

    [GeneratedRegex(@"\b(personality|traits?|introvert(ed)?|extrovert(ed)?|outgoing|talkative|quiet|reserved|shy|patient|impatient|optimistic|pessimistic|curious|open-minded|empathetic|sociable|anxious|confident|honest|loyal|stubborn|calm|cautious|blunt|humou?r|witty|ambitious|friendly|kind|generous|methodical|organi[sz]ed|creative|sceptical|skeptical|independent|competitive|sensitive|thoughtful|introspective|spontaneous|practical|easygoing|easy-going|warm|polite|direct|irritated|decisive|perfectionist|adventurous|gentle|self-critical|energetic|careful|enthusiastic)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Traits();
}
