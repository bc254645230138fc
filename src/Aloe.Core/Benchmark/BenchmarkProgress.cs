using Aloe.Core.Jobs;

namespace Aloe.Core.Benchmark;

/// <summary>
/// Progress shared by the concurrent cases of a run. Writes are throttled (one every 250 ms)
/// because each is a database write; every write also notices a user's cancel request.
/// </summary>
internal sealed class BenchmarkProgress(JobContext context, TimeProvider time, int total, int done)
{
    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    readonly SemaphoreSlim gate = new(1, 1);
    long last = time.GetTimestamp();
    int done = done;
    int completedCases;
    int failedCases;

    public void CaseCompleted() => Interlocked.Increment(ref completedCases);
    public void CaseFailed() => Interlocked.Increment(ref failedCases);

    public async Task AdvanceAsync(int items, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref done, items);
        if (time.GetElapsedTime(Interlocked.Read(ref last)) < Interval || !await gate.WaitAsync(0, cancellationToken))
            return;
        try
        {
            Interlocked.Exchange(ref last, time.GetTimestamp());
            await context.ReportAsync(Volatile.Read(ref done), total, Message(), cancellationToken: cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await context.ReportAsync(Volatile.Read(ref done), total, Message(), cancellationToken: cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    string Message()
    {
        var failed = Volatile.Read(ref failedCases);
        return $"{Volatile.Read(ref completedCases)} cases finished" + (failed > 0 ? $", {failed} stopped early" : "") + $"; {Volatile.Read(ref done)}/{total} turns";
    }
}
