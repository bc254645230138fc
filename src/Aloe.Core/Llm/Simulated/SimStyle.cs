namespace Aloe.Core.Llm.Simulated;

/// <summary>
/// The five conversational styles the simulator distinguishes. A personality maps to its
/// dominant style; the role-play user writes with the style's markers; responders that know
/// (or infer) the style answer with them; the judge and verifier look for them.
/// </summary>
internal enum SimStyle { Energetic, Reserved, Analytical, Warm, Playful }

internal static class SimStyles
{
    static readonly Dictionary<SimStyle, string[]> TraitWords = new()
    {
        [SimStyle.Energetic] = ["extroverted", "extrovert", "outgoing", "enthusiastic", "energetic", "talkative", "sociable", "cheerful", "bubbly", "lively", "adventurous", "spontaneous", "excitable", "exuberant", "optimistic", "passionate"],
        [SimStyle.Reserved] = ["introverted", "introvert", "reserved", "shy", "quiet", "calm", "private", "soft-spoken", "solitary", "solitude", "low-key", "cautious", "modest", "laid-back", "humble"],
        [SimStyle.Analytical] = ["analytical", "logical", "curious", "inquisitive", "methodical", "detail-oriented", "skeptical", "pragmatic", "rational", "precise", "organized", "meticulous", "perfectionist", "practical", "thoughtful"],
        [SimStyle.Warm] = ["empathetic", "kind", "compassionate", "caring", "warm", "nurturing", "friendly", "supportive", "gentle", "patient", "generous", "sensitive", "considerate", "loyal", "sentimental"],
        [SimStyle.Playful] = ["humorous", "witty", "sarcastic", "playful", "funny", "joking", "mischievous", "silly", "lighthearted", "quirky", "goofy", "cheeky", "teasing", "sense of humor"],
    };

    /// <summary>Words that show a style in a message. Neutral (generic) text uses none of them.</summary>
    static readonly Dictionary<SimStyle, string[]> Markers = new()
    {
        [SimStyle.Energetic] = ["wow", "awesome", "amazing", "so excited"],
        [SimStyle.Reserved] = ["hm", "quietly", "no rush", "calm"],
        [SimStyle.Analytical] = ["interesting", "specifically", "actually", "wondering"],
        [SimStyle.Warm] = ["aw", "glad", "hope", "warmly"],
        [SimStyle.Playful] = ["haha", "lol", "kidding", "funniest"],
    };

    public static IReadOnlyList<string> TraitWordsOf(SimStyle style) => TraitWords[style];

    /// <summary>The dominant style of a personality description, or null when it names none.</summary>
    public static SimStyle? OfPersonality(string personality) => Dominant(Score(personality, TraitWords));

    /// <summary>The style a message's markers show, or null.</summary>
    public static SimStyle? OfMessages(string text) => Dominant(Score(text, Markers));

    public static bool Shows(string text, SimStyle style) => Score(text, Markers).GetValueOrDefault(style) > 0;

    static Dictionary<SimStyle, int> Score(string text, Dictionary<SimStyle, string[]> table)
    {
        var lower = " " + string.Join(' ', SimText.Words(text)) + " ";
        return table.ToDictionary(t => t.Key, t => t.Value.Count(w => lower.Contains(" " + w + " ", StringComparison.Ordinal)));
    }

    static SimStyle? Dominant(Dictionary<SimStyle, int> scores)
    {
        var best = scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key).FirstOrDefault();
        return best.Value > 0 ? best.Key : null;
    }
}
