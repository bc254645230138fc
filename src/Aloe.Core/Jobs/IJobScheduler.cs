namespace Aloe.Core.Jobs;

/// <summary>Runs queued job runs somewhere: Hangfire in the web app and the worker, inline in the CLI.</summary>
public interface IJobScheduler
{
    Task ScheduleAsync(long runId, CancellationToken cancellationToken);
}
