namespace Aloe.Core.Jobs;

/// <summary>
/// Progress of a job whose items finish concurrently (dialogue turns, benchmark turns, judged
/// responses): counted as they finish and written to the run at most once per interval, because
/// each write is a database write and the place where a user's cancel is seen. Two writes never
/// run at once; an unforced report that finds one in progress is skipped, a forced one waits.
/// </summary>
internal sealed class JobProgressReporter
{
    readonly Func<int, int, string, CancellationToken, Task> write;
    readonly Func<int, int, string> describe;
    readonly TimeSpan interval;
    readonly TimeProvider time;
    readonly SemaphoreSlim gate = new(1, 1);
    readonly int total;
    int done;
    long lastReport = long.MinValue;

    /// <param name="describe">The run's message from (done, total), e.g. "12 of 40 turns".</param>
    public JobProgressReporter(JobContext context, int total, int done, TimeSpan interval, TimeProvider time, Func<int, int, string> describe)
        : this((d, t, message, ct) => context.ReportAsync(d, t, message, cancellationToken: ct), total, done, interval, time, describe) { }

    /// <summary>Writes through <paramref name="write"/> instead of a job run (tests).</summary>
    internal JobProgressReporter(Func<int, int, string, CancellationToken, Task> write, int total, int done, TimeSpan interval, TimeProvider time, Func<int, int, string> describe)
    {
        this.write = write;
        this.total = total;
        this.done = done;
        this.interval = interval;
        this.time = time;
        this.describe = describe;
    }

    public int Done => Volatile.Read(ref done);
    public int Total => total;

    /// <summary>Called when a write finds the run cancelled, e.g. to stop sibling work at once.</summary>
    public Action? OnCancelled { get; set; }

    /// <summary>Counts items without writing.</summary>
    public void Add(int items) => Interlocked.Add(ref done, items);

    /// <summary>Counts items and writes if the interval has passed since the last write.</summary>
    public Task AdvanceAsync(int items, CancellationToken cancellationToken)
    {
        Add(items);
        return ReportAsync(force: false, cancellationToken);
    }

    /// <summary>Writes now (waiting for a write in progress): at the start and the end of a run.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => ReportAsync(force: true, cancellationToken);

    public async Task ReportAsync(bool force, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref lastReport);
        if (!force && last != long.MinValue && time.GetElapsedTime(last, now) < interval)
            return;
        if (force)
            await gate.WaitAsync(cancellationToken);
        else if (!await gate.WaitAsync(0, cancellationToken))
            return;
        try
        {
            Interlocked.Exchange(ref lastReport, now);
            var current = Math.Min(Volatile.Read(ref done), total);
            await write(current, total, describe(current, total), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            OnCancelled?.Invoke();
            throw;
        }
        finally
        {
            gate.Release();
        }
    }
}
