namespace Aloe.Core.Analysis.Scoring;

/// <summary>One attribute's result for one text: a probability, or why there is none.</summary>
/// <param name="Final">The error will not go away by asking again (e.g. the API rejected the text), so the job does not retry it.</param>
public sealed record AttributeValue(ConstructiveAttribute Attribute, double? Value, string? Error = null, int TruncatedBytes = 0, bool Final = false)
{
    public static AttributeValue Failed(ConstructiveAttribute attribute, string error, bool final = false) => new(attribute, null, error, Final: final);
}

/// <summary>What the scoring job passes along with each call.</summary>
/// <param name="Attempt">0 on the first try; a scorer that samples (the LLM rater) asks afresh on a retry.</param>
public sealed record ScorerCall(long? RunId, int Attempt);

/// <summary>
/// The port every attribute backend implements (Perspective API, the LLM rater, the Simulated
/// lexical scorer). CSV imports bypass it: they store scores computed elsewhere.
/// </summary>
public interface IAttributeScorer
{
    /// <summary>perspective, llm, simulated: what <c>--scorer</c> names.</summary>
    string Id { get; }

    /// <summary>Stored with every score; a change of version (model, prompt, API) scores afresh instead of reusing the cache.</summary>
    string Version { get; }

    /// <summary>A stand-in, not a measurement: labelled wherever its scores show.</summary>
    bool Simulated { get; }

    /// <summary>Texts scored at the same time (Perspective: 1, its rate limit spaces them anyway).</summary>
    int Concurrency { get; }

    /// <summary>
    /// Scores one text on the attributes asked for, one value per attribute. Throws for a failure
    /// of the whole call (network, 429, 5xx): the job retries it, then records the reason per attribute.
    /// </summary>
    Task<IReadOnlyList<AttributeValue>> ScoreAsync(string text, IReadOnlyList<ConstructiveAttribute> attributes, ScorerCall call, CancellationToken cancellationToken);
}

/// <summary>The call failed in a way that retrying cannot fix (bad key, rejected request).</summary>
public sealed class AttributeScorerException(string message, bool retryable) : Exception(message)
{
    public bool Retryable { get; } = retryable;
}
