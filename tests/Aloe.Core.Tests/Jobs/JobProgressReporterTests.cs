using System.Collections.Concurrent;
using Aloe.Core.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace Aloe.Core.Tests.Jobs;

public sealed class JobProgressReporterTests
{
    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    sealed class Writes
    {
        public ConcurrentQueue<(int Done, int Total, string Message)> All { get; } = new();
        public Task Write(int done, int total, string message, CancellationToken _) { All.Enqueue((done, total, message)); return Task.CompletedTask; }
    }

    static (JobProgressReporter Progress, Writes Writes, FakeTimeProvider Time) Create(int total = 10, int done = 0)
    {
        var writes = new Writes();
        var time = new FakeTimeProvider();
        return (new JobProgressReporter(writes.Write, total, done, Interval, time, (d, t) => $"{d} of {t}"), writes, time);
    }

    [Fact]
    public async Task WritesAtMostOncePerIntervalWhileItemsFinish()
    {
        var (progress, writes, time) = Create();
        await progress.FlushAsync(default);
        await progress.AdvanceAsync(1, default);
        await progress.AdvanceAsync(1, default);
        time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        await progress.AdvanceAsync(1, default);
        Assert.Equal([(0, 10, "0 of 10")], writes.All);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await progress.AdvanceAsync(1, default);
        await progress.AdvanceAsync(1, default);
        Assert.Equal([(0, 10, "0 of 10"), (4, 10, "4 of 10")], writes.All);
        Assert.Equal(5, progress.Done);
    }

    [Fact]
    public async Task TheFirstReportAndEveryFlushAreWrittenAtOnce()
    {
        var (progress, writes, _) = Create(done: 3);
        await progress.AdvanceAsync(1, default);
        progress.Add(2);
        await progress.FlushAsync(default);
        await progress.FlushAsync(default);
        Assert.Equal([4, 6, 6], writes.All.Select(w => w.Done));
    }

    [Fact]
    public async Task DoneNeverExceedsTotal()
    {
        var (progress, writes, _) = Create(total: 2);
        progress.Add(5);
        await progress.FlushAsync(default);
        Assert.Equal((2, 2, "2 of 2"), Assert.Single(writes.All));
    }

    [Fact]
    public async Task ACancelSeenByAWriteIsPassedOn()
    {
        var time = new FakeTimeProvider();
        var cancelled = false;
        var progress = new JobProgressReporter((_, _, _, _) => throw new OperationCanceledException(), 1, 0, Interval, time, (d, t) => "") { OnCancelled = () => cancelled = true };
        await Assert.ThrowsAsync<OperationCanceledException>(() => progress.FlushAsync(default));
        Assert.True(cancelled);
    }
}
