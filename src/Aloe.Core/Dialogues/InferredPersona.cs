using System.Text.RegularExpressions;
using Aloe.Core.Llm;

namespace Aloe.Core.Dialogues;

/// <summary>
/// The part of the persona the induction model found revealed so far (Appendix B.2.2).
/// Null halves mean nothing was revealed ("None").
/// </summary>
public sealed partial record InferredPersona(string? Profile, string? Personality)
{
    public static InferredPersona Nothing { get; } = new(null, null);

    /// <summary>The text the preferred prompt receives as its hint ("Profile: ... Personalities: ...").</summary>
    public string AsHint() => $"Profile: {Profile ?? "None"} Personalities: {Personality ?? "None"}";

    /// <summary>
    /// Reads "Profile: ... / Personalities: ..." answers robustly: labels in any case, with
    /// markdown emphasis or bullets, in either order, "None"/"N/A"/empty for nothing, text before
    /// the first label ignored. An answer with neither label is garbled (the caller retries),
    /// unless it says as a whole that nothing was revealed.
    /// </summary>
    public static InferredPersona Parse(string text)
    {
        var matches = Label().Matches(text);
        if (matches.Count == 0)
        {
            if (IsNone(text))
                return Nothing;
            throw new LlmOutputException($"The induction answer has neither \"Profile:\" nor \"Personalities:\" (raw: \"{Shorten(text)}\").");
        }
        string? profile = null, personality = null;
        for (var i = 0; i < matches.Count; i++)
        {
            var start = matches[i].Index + matches[i].Length;
            var end = i + 1 < matches.Count ? matches[i + 1].Index : text.Length;
            var value = Clean(text[start..end]);
            if (matches[i].Groups["label"].Value.StartsWith("profile", StringComparison.OrdinalIgnoreCase))
                profile ??= value;
            else
                personality ??= value;
        }
        return new InferredPersona(profile, personality);
    }

    static string? Clean(string value)
    {
        value = value.Replace("**", "").Trim().Trim('[', ']').Trim();
        return IsNone(value) ? null : value;
    }

    static bool IsNone(string value)
    {
        var v = value.Trim().TrimEnd('.').Trim().Trim('"', '\'', '*', '[', ']').Trim();
        return v.Length == 0 || NoneWords.Contains(v, StringComparer.OrdinalIgnoreCase);
    }

    static readonly string[] NoneWords = ["none", "n/a", "na", "unknown", "not revealed", "nothing", "none revealed", "not mentioned", "none mentioned"];

    static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    // A label at the start of a line, possibly after bullets or markdown emphasis.
    [GeneratedRegex(@"^[\s>*_\-#]*(?<label>profile|personalit(?:y|ies)(?:\s+traits)?)[*_\s]*:[*_]*", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex Label();
}
