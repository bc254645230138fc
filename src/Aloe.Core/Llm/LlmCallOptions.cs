namespace Aloe.Core.Llm;

/// <summary>What a pipeline passes along with each call: the run (for the log), a sample index (for the cache), an overriding binding, the run's sample seed (default: the enclosing <see cref="LlmRunScope"/>'s).</summary>
public sealed record LlmCallOptions(long? RunId = null, int SampleIndex = 0, RoleBinding? Binding = null, int? Seed = null);

/// <summary>The model answered, but not in a usable form (empty, unparsable). Pipelines retry, then mark the item failed with this message.</summary>
public sealed class LlmOutputException(string message) : Exception(message);
