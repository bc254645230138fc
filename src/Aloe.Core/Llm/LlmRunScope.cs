namespace Aloe.Core.Llm;

/// <summary>
/// The sample seed of the run whose work is executing: a job opens the scope once, and every
/// gateway call made under it (however deep in the feature's code) samples with that seed. The
/// seed is part of the cache key: the same seed replays from the cache, a new seed samples afresh.
/// </summary>
public static class LlmRunScope
{
    static readonly AsyncLocal<int?> current = new();

    /// <summary>The seed of the run executing on this flow, if any.</summary>
    public static int? Seed => current.Value;

    /// <summary>Calls made under the returned scope (until it is disposed) use <paramref name="seed"/>.</summary>
    public static IDisposable Begin(int seed)
    {
        var previous = current.Value;
        current.Value = seed;
        return new Restore(previous);
    }

    /// <summary>A new random seed: runs sample independently unless a seed is asked for (and it is recorded on the run).</summary>
    public static int NewSeed() => Random.Shared.Next(1, int.MaxValue);

    sealed class Restore(int? previous) : IDisposable
    {
        public void Dispose() => current.Value = previous;
    }
}
