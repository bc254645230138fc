using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aloe.Core.Jobs;

internal enum LeaseState { Held, CancelRequested, Lost }

/// <summary>
/// The atomic claim and lease of job runs, as conditional updates (one statement each, the same
/// on SQLite and PostgreSQL): whichever process's update matches the row runs it; the rest see
/// zero rows changed and walk away.
/// </summary>
public sealed class JobClaims(IDbContextFactory<AloeDbContext> dbFactory, IOptions<JobsOptions> options, TimeProvider time)
{
    /// <summary>This process (and this instance, so two hosts in one test process differ).</summary>
    public string Owner { get; } = $"{Environment.MachineName[..Math.Min(64, Environment.MachineName.Length)]}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    TimeSpan Lease => options.Value.Lease;

    /// <summary>Queued -> Running with this owner and a fresh lease; false when another process got there first (or it is not queued).</summary>
    public async Task<bool> TryClaimAsync(long runId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var until = now + Lease;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var claimed = await db.Set<JobRun>()
            .Where(r => r.Id == runId && r.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, JobStatus.Running)
                .SetProperty(r => r.Owner, Owner)
                .SetProperty(r => r.LeaseExpiresAt, until)
                .SetProperty(r => r.StartedAt, r => r.StartedAt ?? now)
                .SetProperty(r => r.Attempts, r => r.Attempts + 1), cancellationToken);
        return claimed == 1;
    }

    internal async Task<LeaseState> RenewAsync(long runId, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + Lease;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var renewed = await db.Set<JobRun>()
            .Where(r => r.Id == runId && r.Status == JobStatus.Running && r.Owner == Owner)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, until), cancellationToken);
        if (renewed == 0)
            return LeaseState.Lost;
        var cancel = await db.Set<JobRun>().Where(r => r.Id == runId).Select(r => r.CancelRequested).SingleAsync(cancellationToken);
        return cancel ? LeaseState.CancelRequested : LeaseState.Held;
    }

    /// <summary>
    /// Running runs whose lease expired (their process died, or stopped and gave the lease up)
    /// go back to the queue, each by a conditional update so that two sweepers never both take
    /// one. Returns the ids this call re-queued. A run held under a live lease (the CLI running
    /// it now, another worker) is left alone.
    /// </summary>
    public async Task<IReadOnlyList<long>> RequeueExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var candidates = await db.Set<JobRun>()
            .Where(r => r.Status == JobStatus.Running && (r.LeaseExpiresAt == null || r.LeaseExpiresAt <= now))
            .OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(cancellationToken);
        var requeued = new List<long>();
        foreach (var id in candidates)
        {
            var changed = await db.Set<JobRun>()
                .Where(r => r.Id == id && r.Status == JobStatus.Running && (r.LeaseExpiresAt == null || r.LeaseExpiresAt <= now))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, JobStatus.Queued)
                    .SetProperty(r => r.Owner, (string?)null)
                    .SetProperty(r => r.LeaseExpiresAt, now + options.Value.Pickup), cancellationToken);
            if (changed == 1)
                requeued.Add(id);
        }
        return requeued;
    }

    /// <summary>
    /// Queued runs nobody claimed by their pickup time get a new one; returns the ids this call
    /// moved (a conditional update, so of two sweepers one schedules a given run).
    /// </summary>
    public async Task<IReadOnlyList<long>> TakeUnclaimedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var next = now + options.Value.Pickup;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stale = await db.Set<JobRun>()
            .Where(r => r.Status == JobStatus.Queued && (r.LeaseExpiresAt == null || r.LeaseExpiresAt <= now))
            .OrderBy(r => r.Id).Select(r => new { r.Id, r.LeaseExpiresAt }).ToListAsync(cancellationToken);
        var taken = new List<long>();
        foreach (var run in stale)
        {
            var changed = await db.Set<JobRun>()
                .Where(r => r.Id == run.Id && r.Status == JobStatus.Queued && r.LeaseExpiresAt == run.LeaseExpiresAt)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, next), cancellationToken);
            if (changed == 1)
                taken.Add(run.Id);
        }
        return taken;
    }

    /// <summary>When a run queued now should be scheduled again if nobody has claimed it.</summary>
    public DateTimeOffset PickupDeadline() => time.GetUtcNow() + options.Value.Pickup;
}
