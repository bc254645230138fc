using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aloe.Core.Jobs;

public enum JobStatus { Queued, Running, Succeeded, Failed, Cancelled }

/// <summary>
/// The durable record of one background run: what it was asked to do, how far it got and
/// how it ended. Hangfire only executes; this row is the truth that survives restarts. A process
/// runs it only after claiming it (<see cref="JobClaims"/>): one owner at a time, under a lease.
/// </summary>
public sealed class JobRun
{
    public long Id { get; set; }
    public required string Kind { get; set; }
    public required string Title { get; set; }
    public string ParametersJson { get; set; } = "{}";
    public JobStatus Status { get; set; } = JobStatus.Queued;
    public int Done { get; set; }
    public int Total { get; set; }
    public string? Message { get; set; }
    /// <summary>The job's own resume state (JSON), written as work is persisted.</summary>
    public string? Checkpoint { get; set; }
    public string? Error { get; set; }
    /// <summary>How many times execution started (1 + resumes + retries).</summary>
    public int Attempts { get; set; }
    public bool CancelRequested { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Who started it (<see cref="Audit.AuditActor"/>); null for runs made before this was kept.</summary>
    public string? CreatedBy { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>The process running it (host:pid:instance), set by the atomic claim; null when no one runs it.</summary>
    public string? Owner { get; set; }
    /// <summary>
    /// Running: until when the owner's claim holds; its heartbeat renews it, and a run past it is
    /// orphaned and goes back to the queue. Queued: when it is scheduled again if nobody claimed it.
    /// </summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    // Transitions: Queued -> Running -> Succeeded | Failed | Cancelled; Running -> Queued on
    // resume after a crash; Failed | Cancelled -> Queued on retry; Succeeded -> Queued when a
    // feature runs the job again because its work grew; Queued -> Cancelled.
    public void Start(DateTimeOffset now)
    {
        Require(JobStatus.Queued);
        Status = JobStatus.Running;
        StartedAt ??= now;
        Attempts++;
    }

    public void Succeed(DateTimeOffset now)
    {
        Require(JobStatus.Running);
        Status = JobStatus.Succeeded;
        if (Total > 0) Done = Total;
        FinishedAt = now;
    }

    public void Fail(DateTimeOffset now, string error)
    {
        Require(JobStatus.Running);
        Status = JobStatus.Failed;
        Error = error;
        FinishedAt = now;
    }

    public void Cancel(DateTimeOffset now)
    {
        Require(JobStatus.Queued, JobStatus.Running);
        Status = JobStatus.Cancelled;
        FinishedAt = now;
    }

    /// <summary>Back to the queue: after a crash (Running), on retry (Failed, Cancelled) or to run again (Succeeded). The checkpoint is kept, so work continues.</summary>
    public void Requeue()
    {
        Require(JobStatus.Running, JobStatus.Failed, JobStatus.Cancelled, JobStatus.Succeeded);
        Status = JobStatus.Queued;
        Error = null;
        CancelRequested = false;
        FinishedAt = null;
        Owner = null;
        LeaseExpiresAt = null;
    }

    void Require(params JobStatus[] allowed)
    {
        if (!allowed.Contains(Status))
            throw new InvalidOperationException($"Job run {Id} is {Status}; expected {string.Join(" or ", allowed)}.");
    }

    public double Percent => PercentOf(Status, Done, Total);
    public bool IsActive => IsActiveStatus(Status);

    /// <summary>A run's progress in percent (a run without a total is 0 until it succeeds); for the run and its views.</summary>
    public static double PercentOf(JobStatus status, int done, int total) =>
        total <= 0 ? (status == JobStatus.Succeeded ? 100 : 0) : Math.Min(100, 100.0 * done / total);

    /// <summary>Queued or running: it can still be cancelled.</summary>
    public static bool IsActiveStatus(JobStatus status) => status is JobStatus.Queued or JobStatus.Running;
}

/// <summary>Queries over job runs that features share.</summary>
public static class JobRunQueries
{
    /// <summary>The runs still queued or running (<see cref="JobRun.IsActive"/>, as SQL).</summary>
    public static IQueryable<JobRun> Active(this IQueryable<JobRun> runs) =>
        runs.Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running);
}

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> builder)
    {
        builder.ToTable("JobRuns");
        builder.Property(r => r.Kind).HasMaxLength(64);
        builder.Property(r => r.Title).HasMaxLength(256);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Owner).HasMaxLength(128);
        builder.Property(r => r.CreatedBy).HasMaxLength(128);
        builder.HasIndex(r => r.Status);
        builder.HasIndex(r => r.CreatedAt);
        builder.Ignore(r => r.Percent);
        builder.Ignore(r => r.IsActive);
    }
}
