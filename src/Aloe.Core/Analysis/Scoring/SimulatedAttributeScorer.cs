using System.Text.RegularExpressions;

namespace Aloe.Core.Analysis.Scoring;

/// <summary>
/// Offline stand-in: counts lexical cues of each attribute (question marks and "wonder" for
/// curiosity, "because" for reasoning, "I remember" for a personal story...) and maps the rate to
/// a probability. Deterministic, instant, and no measurement of anything: labelled simulated.
/// </summary>
internal sealed partial class SimulatedAttributeScorer : IAttributeScorer
{
    public const string ScorerId = "simulated";

    static readonly Dictionary<ConstructiveAttribute, string[]> Cues = new()
    {
        [ConstructiveAttribute.Affinity] = ["we", "us", "our", "together", "both", "too", "same", "share", "shared", "also"],
        [ConstructiveAttribute.Compassion] = ["sorry", "understand", "feel", "feeling", "hope", "care", "difficult", "hard", "support", "here for"],
        [ConstructiveAttribute.Curiosity] = ["?", "why", "how", "wonder", "curious", "what do you", "tell me more", "could you"],
        [ConstructiveAttribute.Nuance] = ["however", "although", "on the other hand", "depends", "but", "while", "some", "others", "perspective", "trade-off"],
        [ConstructiveAttribute.PersonalStory] = ["i remember", "when i", "my", "i was", "i used to", "years ago", "once", "my own"],
        [ConstructiveAttribute.Reasoning] = ["because", "therefore", "since", "so that", "evidence", "reason", "for example", "first", "which means"],
        [ConstructiveAttribute.Respect] = ["thank", "thanks", "appreciate", "good point", "fair", "respect", "please", "valid"],
        [ConstructiveAttribute.Toxicity] = ["stupid", "idiot", "hate", "shut up", "dumb", "moron", "pathetic", "damn", "worst"],
    };

    public string Id => ScorerId;
    public string Version => "lexical-1";
    public bool Simulated => true;
    public int Concurrency => 1;

    public Task<IReadOnlyList<AttributeValue>> ScoreAsync(string text, IReadOnlyList<ConstructiveAttribute> attributes, ScorerCall call, CancellationToken cancellationToken)
    {
        IReadOnlyList<AttributeValue> values = attributes.Select(a => new AttributeValue(a, Score(text, a))).ToList();
        return Task.FromResult(values);
    }

    public static double Score(string text, ConstructiveAttribute attribute)
    {
        var lower = " " + Words().Replace(text.ToLowerInvariant(), " ") + " ";
        var words = Math.Max(1, lower.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        var hits = 0;
        foreach (var cue in Cues[attribute])
            hits += cue == "?" ? text.Count(c => c == '?') : Count(lower, " " + cue + " ");
        // Cues per ten words, squashed: a 0.05 floor so no text is exactly zero, as a model's would not be.
        var rate = 10.0 * hits / words;
        return Math.Round(0.05 + 0.9 * (1 - Math.Exp(-rate)), 4);
    }

    static int Count(string haystack, string needle)
    {
        var count = 0;
        for (var i = haystack.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = haystack.IndexOf(needle, i + 1, StringComparison.Ordinal))
            count++;
        return count;
    }

    [GeneratedRegex(@"[^a-z0-9'\-]+")]
    private static partial Regex Words();
}
