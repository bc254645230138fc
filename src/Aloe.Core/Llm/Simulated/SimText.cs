using System.Text;

namespace Aloe.Core.Llm.Simulated;

/// <summary>Deterministic randomness for the simulator: SplitMix64 seeded by a stable hash of text (string.GetHashCode is randomised per process).</summary>
internal sealed class SimRandom(ulong seed)
{
    ulong state = seed;

    public static SimRandom From(params object[] parts)
    {
        var hash = 14695981039346656037UL;
        foreach (var part in parts)
        {
            foreach (var ch in part.ToString() ?? "")
            {
                hash ^= ch;
                hash *= 1099511628211UL;
            }
            hash ^= 0xFF;
            hash *= 1099511628211UL;
        }
        return new SimRandom(hash);
    }

    public ulong NextULong()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public int Next(int exclusiveMax) => exclusiveMax <= 1 ? 0 : (int)(NextULong() % (ulong)exclusiveMax);

    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public List<T> Shuffle<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }
}

/// <summary>The little text analysis the simulator needs: persona facts, traits, content words, grammatical person.</summary>
internal static class SimText
{
    static readonly HashSet<string> Stop = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "with", "that", "this", "from", "into", "about", "their", "they", "them", "have", "has", "had",
        "been", "being", "were", "was", "are", "is", "his", "her", "him", "she", "he", "you", "your", "yours", "our", "out",
        "who", "whom", "what", "when", "where", "which", "while", "would", "could", "should", "will", "just", "also", "very",
        "some", "any", "all", "more", "most", "much", "many", "such", "than", "then", "there", "here", "over", "under", "only",
        "other", "others", "each", "every", "both", "own", "same", "can", "not", "but", "yet", "its", "it's", "i'm", "i've",
        "my", "me", "myself", "mine", "we", "us", "one", "two", "a", "an", "of", "to", "in", "on", "at", "by", "as", "or",
        "so", "if", "be", "do", "does", "did", "enjoys", "enjoy", "loves", "love", "likes", "like", "often", "usually",
        "really", "pretty", "since", "given", "knowing", "makes", "sense", "guess", "person", "someone", "something", "years",
        "year", "old", "lives", "live", "living", "always", "never", "sometimes", "things", "thing", "lot", "bit", "kind",
        "tends", "tend", "being", "gets", "get", "none", "profile", "personalities", "it", "i", "am",
    };

    /// <summary>Lower-case words of letters, digits, hyphens and apostrophes.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch) || ((ch == '-' || ch == '\'') && current.Length > 0))
                current.Append(char.ToLowerInvariant(ch));
            else if (current.Length > 0)
            {
                words.Add(current.ToString().Trim('-', '\''));
                current.Clear();
            }
        }
        if (current.Length > 0)
            words.Add(current.ToString().Trim('-', '\''));
        return words;
    }

    /// <summary>Words that carry content, crudely stemmed (a trailing s), so "plays" matches "play".</summary>
    public static HashSet<string> ContentWords(string text) =>
        Words(text).Where(w => w.Length >= 3 && !Stop.Contains(w)).Select(Stem).ToHashSet(StringComparer.Ordinal);

    public static string Stem(string word) => word.Length > 4 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1] : word;

    /// <summary>Share of the fact's content words found in the text (0 when the fact has none).</summary>
    public static double Coverage(string fact, HashSet<string> textWords)
    {
        var words = ContentWords(fact);
        return words.Count == 0 ? 0 : words.Count(textWords.Contains) / (double)words.Count;
    }

    /// <summary>A profile split into its facts: sentences, or comma parts when it is one long list.</summary>
    public static List<string> Facts(string profile)
    {
        if (IsNone(profile))
            return [];
        var parts = profile.Split(['.', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => p.Length > 2).ToList();
        if (parts.Count < 3)
            parts = profile.Split([',', '.', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(p => p.Length > 2).ToList();
        return parts;
    }

    /// <summary>A personality description split into traits.</summary>
    public static List<string> Traits(string personality) =>
        IsNone(personality)
            ? []
            : personality.Split([',', '.', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => t.StartsWith("and ", StringComparison.OrdinalIgnoreCase) ? t[4..] : t)
                .Where(t => t.Length > 2).ToList();

    public static bool IsNone(string text) => string.IsNullOrWhiteSpace(text) || text.Trim().TrimEnd('.').Equals("None", StringComparison.OrdinalIgnoreCase);

    /// <summary>The text after <paramref name="marker"/> up to the end of its line (or the next <paramref name="until"/>).</summary>
    public static string After(string text, string marker, string until = "\n")
    {
        var start = text.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
            return "";
        start += marker.Length;
        var end = text.IndexOf(until, start, StringComparison.Ordinal);
        return (end < 0 ? text[start..] : text[start..end]).Trim();
    }

    /// <summary>Last occurrence variant of <see cref="After"/>.</summary>
    public static string AfterLast(string text, string marker, string until = "\n")
    {
        var start = text.LastIndexOf(marker, StringComparison.Ordinal);
        return start < 0 ? "" : After(text[start..], marker, until);
    }

    /// <summary>A third-person or subject-less profile fact as the persona would say it ("Plays the cello" -> "I play the cello").</summary>
    public static string FirstPerson(string fact)
    {
        fact = fact.Trim().TrimEnd('.', '!', ';', ',');
        if (fact.Length == 0)
            return fact;
        var words = fact.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var first = words[0].ToLowerInvariant();
        string result;
        if (first is "a" or "an")
            result = "I'm " + LowerFirst(fact);
        else if (first is "he" or "she" or "he/she" or "they")
            result = "I " + (words.Count > 1 ? BaseVerb(words[1]) + Rest(words, 2) : "");
        else if (first is "his" or "her" or "their")
            result = "My" + Rest(words, 1);
        else if (first is "i" or "i'm" or "my" or "i've")
            result = fact;
        else if (LooksLikeVerb(first))
            result = "I " + BaseVerb(words[0]) + Rest(words, 1);
        else if (char.IsDigit(first[0]))
            result = "I'm " + fact;
        else
            result = "One thing about me: " + LowerFirst(fact);
        return result.Replace(" his ", " my ").Replace(" her ", " my ").Replace(" their ", " my ")
            .Replace(" himself", " myself").Replace(" herself", " myself");
    }

    /// <summary>First person turned to second ("I play my cello" -> "you play your cello").</summary>
    public static string SecondPerson(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w =>
        {
            var core = w.TrimEnd('.', ',', '!', '?');
            var tail = w[core.Length..];
            var swapped = core switch
            {
                "I" => "you",
                "I'm" => "you're",
                "I've" => "you've",
                "I'd" => "you'd",
                "am" => "are",
                "my" or "My" => "your",
                "myself" => "yourself",
                "me" => "you",
                "mine" => "yours",
                _ => core,
            };
            return swapped + tail;
        });
        return string.Join(' ', words);
    }

    static string Rest(List<string> words, int from) => from >= words.Count ? "" : " " + string.Join(' ', words.Skip(from));

    static string LowerFirst(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    static bool LooksLikeVerb(string word) =>
        word is "has" or "is" or "was" or "grew" or "studied" or "moved" or "owns" or "works" or "speaks" or "spent" or "ran" or "used" or "recently"
        || (word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && word.Length > 3 && !word.EndsWith("ous", StringComparison.Ordinal))
        || (word.EndsWith("ed", StringComparison.Ordinal) && word.Length > 4);

    /// <summary>Third person singular to the form after "I".</summary>
    static string BaseVerb(string verb)
    {
        var v = verb.ToLowerInvariant();
        return v switch
        {
            "is" => "am",
            "has" => "have",
            "does" => "do",
            "was" or "grew" or "ran" or "spent" or "used" => v,
            _ when v.EndsWith("ies", StringComparison.Ordinal) => v[..^3] + "y",
            _ when v.EndsWith("ches", StringComparison.Ordinal) || v.EndsWith("shes", StringComparison.Ordinal) || v.EndsWith("sses", StringComparison.Ordinal)
                || v.EndsWith("xes", StringComparison.Ordinal) || v.EndsWith("zes", StringComparison.Ordinal) || v.EndsWith("oes", StringComparison.Ordinal) => v[..^2],
            _ when v.EndsWith('s') && !v.EndsWith("ss", StringComparison.Ordinal) => v[..^1],
            _ => v,
        };
    }

    public static string Sentence(string text)
    {
        text = text.Trim();
        if (text.Length == 0)
            return text;
        text = char.ToUpperInvariant(text[0]) + text[1..];
        return text.EndsWith('.') || text.EndsWith('!') || text.EndsWith('?') ? text : text + ".";
    }
}
