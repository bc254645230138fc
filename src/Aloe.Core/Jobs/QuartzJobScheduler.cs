using Quartz;

namespace Aloe.Core.Jobs;

internal sealed class QuartzJobScheduler(ISchedulerFactory schedulers) : IJobScheduler
{
    public async Task ScheduleAsync(long runId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = KeyOf(runId);
        if (await scheduler.Exists(key, cancellationToken))
            return;
        var job = JobBuilder.Create<QuartzRunJob>().WithIdentity(key).UsingJobData(QuartzRunJob.RunIdKey, runId).Build();
        var trigger = TriggerBuilder.Create().ForJob(job).StartNow().Build();
        await scheduler.ScheduleJob(job, trigger, default, cancellationToken);
    }

    public async Task InterruptAsync(long runId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        await scheduler.Interrupt(KeyOf(runId), cancellationToken);
    }

    static JobKey KeyOf(long runId) => new($"run-{runId}", "aloe");
}

/// <summary>Thin Quartz job: hands the run to <see cref="JobRunner"/>.</summary>
internal sealed class QuartzRunJob(JobRunner runner) : IJob
{
    public const string RunIdKey = "runId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await runner.ExecuteAsync(context.MergedJobDataMap.GetLong(RunIdKey), cancellationToken);
}
