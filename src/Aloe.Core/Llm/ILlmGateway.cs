using Microsoft.Extensions.AI;

namespace Aloe.Core.Llm;

/// <summary>Which endpoint and model play a role, with its generation settings.</summary>
public sealed record RoleBinding(string Endpoint, string Model, float Temperature, int MaxTokens);

/// <summary>One chat completion for a role.</summary>
public sealed record LlmRequest(LlmRole Role, IReadOnlyList<ChatMessage> Messages)
{
    /// <summary>The job run the call belongs to, for the call log.</summary>
    public long? RunId { get; init; }

    /// <summary>Distinguishes deliberate repeats of the same request (part of the cache key).</summary>
    public int SampleIndex { get; init; }

    /// <summary>The run's sample seed (part of the cache key, sent as the provider's seed); default: the enclosing <see cref="LlmRunScope"/>'s.</summary>
    public int? Seed { get; init; }

    /// <summary>A run's override of the configured binding for this role.</summary>
    public RoleBinding? Binding { get; init; }
}

public sealed record LlmResponse(string Text, string Model, int InputTokens, int OutputTokens, bool Cached, TimeSpan Latency);

/// <summary>
/// The one path to language models and embedders (DESIGN.md): concurrency limits, retries,
/// timeouts, caching, accounting and logging live behind it. Pipelines depend on this port only.
/// </summary>
public interface ILlmGateway
{
    Task<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken);

    /// <summary>L2-normalised embeddings, one per text, from the configured embedder.</summary>
    Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);

    /// <summary>Identifies the embedder (stored with every embedding, so vectors of different embedders never mix).</summary>
    string EmbedderId { get; }

    /// <summary>The role map a run would use with these overrides: record it on the run.</summary>
    IReadOnlyDictionary<LlmRole, RoleBinding> ResolveRoles(IReadOnlyDictionary<LlmRole, RoleBinding>? overrides = null);

    /// <summary>True when the role is served by the Simulated provider (the UI labels such runs).</summary>
    bool IsSimulated(LlmRole role, RoleBinding? binding = null);

    /// <summary>
    /// The caller found this request's answer unusable (unparsable, empty): it leaves the cache, so
    /// no later run or retry with the same seed is served that answer again.
    /// </summary>
    Task DiscardAsync(LlmRequest request, CancellationToken cancellationToken) => Task.CompletedTask;
}
