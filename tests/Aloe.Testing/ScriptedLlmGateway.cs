using System.Collections.Concurrent;
using Aloe.Core.Llm;

namespace Aloe.Testing;

/// <summary>
/// The test double for <see cref="ILlmGateway"/> (inspect_ai's mockllm): replies come from a
/// script per role, every request is recorded. Not the Simulated provider, which is a product feature.
/// </summary>
public sealed class ScriptedLlmGateway : ILlmGateway
{
    readonly ConcurrentDictionary<LlmRole, Func<LlmRequest, Task<string>>> scripts = new();
    readonly ConcurrentQueue<LlmRequest> requests = new();

    /// <summary>Every role not scripted answers with this (by default it throws, so a test never passes on an unscripted call).</summary>
    public Func<LlmRequest, string> Fallback { get; set; } = r => throw new InvalidOperationException($"No script for role {r.Role}.");

    public IReadOnlyList<LlmRequest> Requests => requests.ToList();

    public ScriptedLlmGateway On(LlmRole role, Func<LlmRequest, string> reply) => OnAsync(role, r => Task.FromResult(reply(r)));

    /// <summary>A reply that may wait for something else to happen first (tests of what runs concurrently).</summary>
    public ScriptedLlmGateway OnAsync(LlmRole role, Func<LlmRequest, Task<string>> reply)
    {
        scripts[role] = reply;
        return this;
    }

    /// <summary>Replies in order, repeating the last one when the script runs out.</summary>
    public ScriptedLlmGateway OnSequence(LlmRole role, params string[] replies)
    {
        var next = 0;
        return On(role, _ => replies[Math.Min(Interlocked.Increment(ref next) - 1, replies.Length - 1)]);
    }

    public async Task<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        requests.Enqueue(request);
        var text = scripts.TryGetValue(request.Role, out var script) ? await script(request) : Fallback(request);
        return new LlmResponse(text, "scripted", request.Messages.Sum(m => m.Text.Length / 4), text.Length / 4, false, TimeSpan.Zero);
    }

    /// <summary>Bag-of-words vectors over a hashed vocabulary, L2-normalised: equal texts give cosine 1.</summary>
    public Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        IReadOnlyList<float[]> vectors = texts.Select(Embed).ToList();
        return Task.FromResult(vectors);
    }

    public string EmbedderId => "scripted-bow-256";

    public IReadOnlyDictionary<LlmRole, RoleBinding> ResolveRoles(IReadOnlyDictionary<LlmRole, RoleBinding>? overrides = null) =>
        Enum.GetValues<LlmRole>().ToDictionary(r => r, r => overrides?.GetValueOrDefault(r) ?? new RoleBinding("scripted", "scripted", 0, 300));

    /// <summary>When set, a binding to an endpoint it refuses fails as the real gateway's unknown endpoint does.</summary>
    public Func<string, bool>? KnownEndpoint { get; set; }

    public bool IsSimulated(LlmRole role, RoleBinding? binding = null) =>
        binding is not null && KnownEndpoint is { } known && !known(binding.Endpoint)
            ? throw new LlmCallException($"Unknown LLM endpoint '{binding.Endpoint}'; configured: scripted.")
            : false;

    static float[] Embed(string text)
    {
        var vector = new float[256];
        foreach (var word in text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            vector[(int)((uint)StringComparer.Ordinal.GetHashCode(word) % 256)] += 1;
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return norm == 0 ? vector : vector.Select(v => v / norm).ToArray();
    }
}
