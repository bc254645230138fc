namespace Aloe.Core.Jobs;

/// <summary>
/// Thrown by a job handler that went through all its work while some items failed (an endpoint
/// outage): the run ends Failed with this message rather than "Succeeded, 100%", and Retry (or a
/// feature's resume) runs the handler again, which takes up exactly the failed items, since the
/// finished ones are stored.
/// </summary>
public sealed class CompletedWithFailuresException(int failed, int total, string items)
    : Exception($"Completed with {failed} failure{(failed == 1 ? "" : "s")}: {failed} of {total} {items} failed. Retry runs exactly those again.")
{
    public int Failed { get; } = failed;
    public int Total { get; } = total;

    /// <summary>Throws when <paramref name="failed"/> is above zero.</summary>
    public static void ThrowIfAny(int failed, int total, string items)
    {
        if (failed > 0)
            throw new CompletedWithFailuresException(failed, total, items);
    }
}
