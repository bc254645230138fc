namespace Aloe.Core.Jobs;

/// <summary>Runs queued job runs somewhere: Quartz in the web app, inline in the CLI.</summary>
public interface IJobScheduler
{
    Task ScheduleAsync(long runId, CancellationToken cancellationToken);
    Task InterruptAsync(long runId, CancellationToken cancellationToken);
}
