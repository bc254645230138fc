namespace Aloe.Core.Llm;

/// <summary>
/// The sample seed of the run whose work is executing: a job opens the scope once, and every
/// gateway call made under it (however deep in the feature's code) samples with that seed. The
/// seed is part of the cache key: the same seed replays from the cache, a new seed samples afresh.
/// </summary>
public static class LlmRunScope
{
    sealed record Context(int? Seed, LlmBudget? Budget);

    static readonly AsyncLocal<Context?> current = new();

    /// <summary>The seed of the run executing on this flow, if any.</summary>
    public static int? Seed => current.Value?.Seed;

    /// <summary>The budget of the run executing on this flow, if it has one.</summary>
    public static LlmBudget? Budget => current.Value?.Budget;

    /// <summary>
    /// Calls made under the returned scope (until it is disposed) use <paramref name="seed"/> and are
    /// charged to <paramref name="budget"/>; what is not given is kept from an enclosing scope.
    /// </summary>
    public static IDisposable Begin(int? seed, LlmBudget? budget = null)
    {
        var previous = current.Value;
        current.Value = new Context(seed ?? previous?.Seed, budget ?? previous?.Budget);
        return new Restore(previous);
    }

    /// <summary>A new random seed: runs sample independently unless a seed is asked for (and it is recorded on the run).</summary>
    public static int NewSeed() => Random.Shared.Next(1, int.MaxValue);

    sealed class Restore(Context? previous) : IDisposable
    {
        public void Dispose() => current.Value = previous;
    }
}
