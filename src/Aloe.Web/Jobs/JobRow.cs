namespace Aloe.Web.Jobs;

/// <summary>One row of the runs grid.</summary>
public sealed record JobRow(long Id, string Kind, string Title, JobStatus Status, int Done, int Total, string? Message, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public double Percent => Total <= 0 ? (Status == JobStatus.Succeeded ? 100 : 0) : Math.Min(100, 100.0 * Done / Total);
    public bool IsActive => Status is JobStatus.Queued or JobStatus.Running;
}
