using System.Text.RegularExpressions;

namespace Aloe.Core.Dialogues;

/// <summary>A piece of persona text, marked when the inferred persona contains it.</summary>
public sealed record Span(string Text, bool Revealed);

/// <summary>
/// How much of a persona the induction model found revealed: the share of the persona's content
/// words (not stop words) that occur in the inferred persona. The induction prompt asks for
/// extraction "in the original sentence structure or language", so shared words are a fair,
/// simple measure; it is ours, not the paper's.
/// </summary>
public static partial class Disclosure
{
    static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he", "her", "hers", "him", "his",
        "i", "in", "is", "it", "its", "of", "on", "or", "she", "so", "that", "the", "their", "them", "they", "this", "to",
        "was", "were", "who", "with", "loves", "likes", "enjoys", "also", "very", "often", "usually",
    };

    public static double Share(string persona, string? inferred) => Measure(persona)(inferred);

    /// <summary><see cref="Share"/> for one persona and many inferred ones: the persona is cut into words once.</summary>
    public static Func<string?, double> Measure(string persona)
    {
        var content = Words(persona).Where(IsContent).ToList();
        return inferred =>
        {
            if (content.Count == 0 || string.IsNullOrWhiteSpace(inferred))
                return 0;
            var found = new HashSet<string>(Words(inferred), StringComparer.OrdinalIgnoreCase);
            return (double)content.Count(found.Contains) / content.Count;
        };
    }

    /// <summary>The persona text cut into words and gaps, with the words found in the inferred persona marked.</summary>
    public static IReadOnlyList<Span> Highlight(string persona, string? inferred)
    {
        var found = new HashSet<string>(Words(inferred ?? ""), StringComparer.OrdinalIgnoreCase);
        var spans = new List<Span>();
        var position = 0;
        foreach (Match m in Word().Matches(persona))
        {
            if (m.Index > position)
                spans.Add(new Span(persona[position..m.Index], false));
            spans.Add(new Span(m.Value, IsContent(m.Value) && found.Contains(m.Value)));
            position = m.Index + m.Length;
        }
        if (position < persona.Length)
            spans.Add(new Span(persona[position..], false));
        return spans;
    }

    static IEnumerable<string> Words(string text) => Word().Matches(text).Select(m => m.Value);

    static bool IsContent(string word) => word.Length > 1 && !StopWords.Contains(word);

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'-]*")]
    private static partial Regex Word();
}
