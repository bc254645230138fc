using Aloe.Core.Jobs;

namespace Aloe.Core.Benchmark;

/// <summary>
/// The cases of a run that finished and that stopped early, counted as the concurrent cases end,
/// for the run's progress message (the throttled writing is <see cref="JobProgressReporter"/>'s).
/// </summary>
internal sealed class BenchmarkCaseTally
{
    /// <summary>Progress writes of a benchmark run or re-judging: at most one every 250 ms.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(250);

    int completed;
    int failed;

    public void CaseCompleted() => Interlocked.Increment(ref completed);
    public void CaseFailed() => Interlocked.Increment(ref failed);

    public string Describe(int done, int total)
    {
        var stopped = Volatile.Read(ref failed);
        return $"{Volatile.Read(ref completed)} cases finished" + (stopped > 0 ? $", {stopped} stopped early" : "") + $"; {done}/{total} turns";
    }
}
