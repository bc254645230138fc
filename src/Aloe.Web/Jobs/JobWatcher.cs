using System.Collections.Immutable;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Web.Jobs;

/// <summary>What an open page sees of a job run as it progresses.</summary>
public sealed record JobProgress(long Id, string Kind, string Title, JobStatus Status, int Done, int Total, string? Message, string? Error)
{
    public double Percent => JobRun.PercentOf(Status, Done, Total);
    public bool IsActive => JobRun.IsActiveStatus(Status);
}

/// <summary>
/// Pushes job progress to open circuits (no HTTP polling). One hosted service for the whole app:
/// while any page listens it reads the active runs (plus the ones it saw active, to catch how they
/// ended) about once a second, so runs started by the CLI in another process show up too; the web
/// app's own actions call <see cref="Nudge"/> to be seen at once. Each change is raised once, to
/// every subscriber; pages subscribe through the JobUpdates component, which unsubscribes on dispose.
/// </summary>
public sealed class JobWatcher(IDbContextFactory<AloeDbContext> dbFactory, TimeProvider time, ILogger<JobWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    ImmutableList<Func<JobProgress, Task>> subscribers = [];
    readonly Dictionary<long, JobProgress> seen = [];
    readonly SemaphoreSlim wake = new(0);
    DateTimeOffset lastCheck = time.GetUtcNow();

    public int SubscriberCount => subscribers.Count;

    /// <summary>Calls <paramref name="onChange"/> (on the watcher's thread) for each change of any run until disposed.</summary>
    public IDisposable Subscribe(Func<JobProgress, Task> onChange)
    {
        ImmutableInterlocked.Update(ref subscribers, s => s.Add(onChange));
        Nudge();
        return new Subscription(() => ImmutableInterlocked.Update(ref subscribers, s => s.Remove(onChange)));
    }

    /// <summary>Checks now rather than at the next tick (after this process started, cancelled or retried a run).</summary>
    public void Nudge()
    {
        if (wake.CurrentCount == 0) wake.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await wake.WaitAsync(Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (subscribers.IsEmpty)
            {
                seen.Clear(); // nobody listens: forget, and check nothing until someone does
                continue;
            }
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Reading job progress failed; trying again in {Interval}", Interval);
            }
        }
    }

    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        // Runs that finished since the last check are read too, so a short run is not missed.
        var since = lastCheck - Interval;
        lastCheck = time.GetUtcNow();
        var watched = seen.Values.Where(r => r.IsActive).Select(r => r.Id).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = await db.Set<JobRun>().AsNoTracking()
            .Where(r => r.Status == JobStatus.Queued || r.Status == JobStatus.Running || watched.Contains(r.Id) || r.FinishedAt >= since)
            .Select(r => new JobProgress(r.Id, r.Kind, r.Title, r.Status, r.Done, r.Total, r.Message, r.Error))
            .ToListAsync(cancellationToken);

        var changed = runs.Where(r => !seen.TryGetValue(r.Id, out var before) || before != r).ToList();
        // What was read is what is known now: runs that ended long ago (or were deleted) drop out.
        seen.Clear();
        foreach (var run in runs) seen[run.Id] = run;

        foreach (var run in changed)
            foreach (var subscriber in subscribers)
            {
                try
                {
                    await subscriber(run);
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "A page failed to take job progress for run {RunId}", run.Id);
                }
            }
    }

    sealed class Subscription(Action dispose) : IDisposable
    {
        int disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) dispose();
        }
    }
}
