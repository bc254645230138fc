using System.Text.Json;
using Aloe.Core.Audit;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Jobs;

public sealed record JobRunPage(IReadOnlyList<JobRun> Runs, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>Creates, lists, cancels, retries and resumes job runs.</summary>
/// <remarks>Every start, cancel, retry and run-again is written to the audit log with the run (one place for every kind of run).</remarks>
public sealed class JobService(IDbContextFactory<AloeDbContext> dbFactory, IJobScheduler scheduler, JobClaims claims, AuditLog audit, TimeProvider time)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<JobRun> EnqueueAsync(string kind, string title, object? parameters = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await AddQueuedAsync(db, kind, title, parameters, cancellationToken);
        await ScheduleAsync(run, cancellationToken);
        return run;
    }

    /// <summary>
    /// Stores a queued run through the caller's context (so inside the caller's transaction,
    /// beside the feature record that points at it) without scheduling it: call
    /// <see cref="ScheduleAsync"/> once the transaction committed.
    /// </summary>
    public async Task<JobRun> AddQueuedAsync(AloeDbContext db, string kind, string title, object? parameters = null, CancellationToken cancellationToken = default)
    {
        var run = new JobRun
        {
            Kind = kind,
            Title = title,
            ParametersJson = JsonSerializer.Serialize(parameters ?? new { }, Json),
            CreatedAt = time.GetUtcNow(),
            CreatedBy = audit.Actor,
            LeaseExpiresAt = claims.PickupDeadline(),
        };
        db.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        audit.Add(db, AuditActions.Start, AuditTargets.Job, run.Id, $"{kind}: {title}");
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    /// <summary>False in the CLI, where a queued run runs only when its command executes it: a run split into parts would wait for ever.</summary>
    public bool SchedulesInBackground => scheduler is not InlineJobScheduler;

    /// <summary>Hands a stored queued run to the scheduler (Hangfire; nothing in the CLI, whose command runs it).</summary>
    public Task ScheduleAsync(JobRun run, CancellationToken cancellationToken = default) => scheduler.ScheduleAsync(run.Id, cancellationToken);

    public async Task<JobRun?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<JobRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
    }

    public async Task<JobRunPage> ListAsync(int page = 1, int pageSize = 25, JobStatus? status = null, string? kind = null, CancellationToken cancellationToken = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 200);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<JobRun>().AsNoTracking();
        if (status is not null) query = query.Where(r => r.Status == status);
        if (!string.IsNullOrEmpty(kind)) query = query.Where(r => r.Kind == kind);
        var total = await query.CountAsync(cancellationToken);
        var runs = await query.OrderByDescending(r => r.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new JobRunPage(runs, total, page, pageSize);
    }

    /// <summary>Counts of runs by status, for the dashboard.</summary>
    public async Task<IReadOnlyDictionary<JobStatus, int>> CountByStatusAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<JobRun>().GroupBy(r => r.Status).ToDictionaryAsync(g => g.Key, g => g.Count(), cancellationToken);
    }

    /// <summary>Runs created per day over the last <paramref name="days"/> days (UTC), oldest first.</summary>
    public async Task<IReadOnlyList<(DateOnly Day, int Runs)>> RunsPerDayAsync(int days, CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var since = new DateTimeOffset(today.AddDays(1 - days).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var created = await db.Set<JobRun>().Where(r => r.CreatedAt >= since).Select(r => r.CreatedAt).ToListAsync(cancellationToken);
        var counts = created.GroupBy(c => DateOnly.FromDateTime(c.UtcDateTime)).ToDictionary(g => g.Key, g => g.Count());
        return Enumerable.Range(0, days).Select(i => today.AddDays(i + 1 - days)).Select(d => (d, counts.GetValueOrDefault(d))).ToList();
    }

    /// <summary>
    /// Cancels a queued run at once; asks a running one to stop (it ends Cancelled). A run split
    /// into parts (<see cref="PartIds"/>) cancels its active parts with it, even when it had not
    /// started yet (its parts may have).
    /// </summary>
    public async Task<bool> CancelAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Set<JobRun>().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null || !run.IsActive) return false;
        var parts = PartIds(run.ParametersJson);
        var runs = parts.Count == 0 ? [run] : await db.Set<JobRun>().Active().Where(r => r.Id == id || parts.Contains(r.Id)).ToListAsync(cancellationToken);
        foreach (var each in runs)
        {
            if (each.Status == JobStatus.Queued)
                each.Cancel(time.GetUtcNow());
            else
                each.CancelRequested = true;
        }
        audit.Add(db, AuditActions.Cancel, AuditTargets.Job, run.Id, $"{run.Kind}: {run.Title}");
        // A running run stops at its next progress report or heartbeat, in whichever process runs it.
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// The parts of a run split for several workers: the job ids its parameters list under
    /// <c>partJobRunIds</c> (a convention, so cancelling works the same for any split job); empty otherwise.
    /// </summary>
    public static IReadOnlyList<long> PartIds(string parametersJson)
    {
        try
        {
            using var json = JsonDocument.Parse(parametersJson);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("partJobRunIds", out var ids) && ids.ValueKind == JsonValueKind.Array
                ? ids.EnumerateArray().Select(e => e.GetInt64()).ToList()
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>Puts a failed or cancelled run back on the queue; it continues from its checkpoint.</summary>
    public Task<bool> RetryAsync(long id, CancellationToken cancellationToken = default) =>
        RequeueAsync(id, [JobStatus.Failed, JobStatus.Cancelled], AuditActions.Retry, cancellationToken);

    /// <summary>
    /// Runs a finished run again, succeeded ones included: for a feature whose work grew after its
    /// job ended (a dialogue run's failed dialogues), so that the work, its progress and its model
    /// calls stay under one job. False when the run is still queued or running (or does not exist).
    /// </summary>
    public Task<bool> RunAgainAsync(long id, CancellationToken cancellationToken = default) =>
        RequeueAsync(id, [JobStatus.Failed, JobStatus.Cancelled, JobStatus.Succeeded], AuditActions.RunAgain, cancellationToken);

    async Task<bool> RequeueAsync(long id, JobStatus[] from, string action, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Set<JobRun>().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null || !from.Contains(run.Status)) return false;
        run.Requeue();
        run.LeaseExpiresAt = claims.PickupDeadline();
        audit.Add(db, action, AuditTargets.Job, run.Id, $"{run.Kind}: {run.Title}");
        await db.SaveChangesAsync(cancellationToken);
        await scheduler.ScheduleAsync(id, cancellationToken);
        return true;
    }

    /// <summary>
    /// At start-up and then periodically: runs whose lease expired (their process crashed or
    /// stopped) go back on the queue and are scheduled, and so are queued runs nobody claimed by
    /// their pickup time; runs another live process holds are left alone. With <paramref name="scheduleQueued"/> (start-up), queued runs are scheduled again
    /// too, in case the scheduler's own store lost them; a second schedule of one run is harmless,
    /// as only one claim succeeds. Returns how many runs were scheduled.
    /// </summary>
    public async Task<int> ResumeInterruptedAsync(bool scheduleQueued = true, bool scheduleUnclaimed = true, CancellationToken cancellationToken = default)
    {
        var schedule = (await claims.RequeueExpiredAsync(cancellationToken)).ToHashSet();
        if (scheduleUnclaimed)
            schedule.UnionWith(await claims.TakeUnclaimedAsync(cancellationToken));
        if (scheduleQueued)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            schedule.UnionWith(await db.Set<JobRun>().Where(r => r.Status == JobStatus.Queued).Select(r => r.Id).ToListAsync(cancellationToken));
        }
        foreach (var id in schedule.Order())
            await scheduler.ScheduleAsync(id, cancellationToken);
        return schedule.Count;
    }
}
