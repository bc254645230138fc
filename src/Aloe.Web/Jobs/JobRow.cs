using System.Linq.Expressions;

namespace Aloe.Web.Jobs;

/// <summary>One row of the runs grid.</summary>
public sealed record JobRow(long Id, string Kind, string Title, JobStatus Status, int Done, int Total, string? Message, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public double Percent => JobRun.PercentOf(Status, Done, Total);
    public bool IsActive => JobRun.IsActiveStatus(Status);

    /// <summary>A run as a row, in a query (the runs grid, a build's parts).</summary>
    public static readonly Expression<Func<JobRun, JobRow>> From =
        r => new JobRow(r.Id, r.Kind, r.Title, r.Status, r.Done, r.Total, r.Message, r.Error, r.CreatedAt, r.StartedAt, r.FinishedAt);
}
