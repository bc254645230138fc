using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace Aloe.Core.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    [System.ComponentModel.DataAnnotations.Range(1, 64)]
    public int MaxConcurrentRuns { get; set; } = 4;
}

public static class JobsExtensions
{
    /// <summary>Job records and handlers; with <paramref name="runScheduler"/>, Quartz runs them in the background and resumes interrupted runs at start-up.</summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder, bool runScheduler = true)
    {
        builder.Services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<JobRunner>();
        builder.Services.AddSingleton<JobService>();
        builder.Services.AddSingleton<IJobHandler, DatabaseMaintenanceJob>();
        if (!runScheduler)
        {
            builder.Services.AddSingleton<IJobScheduler, InlineJobScheduler>();
            return builder;
        }
        var concurrency = builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>()?.MaxConcurrentRuns ?? 4;
        builder.Services.AddQuartz(q => q.UseDefaultThreadPool(pool => pool.MaxConcurrency = concurrency));
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);
        builder.Services.AddSingleton<IJobScheduler, QuartzJobScheduler>();
        builder.Services.AddHostedService<JobResumer>();
        return builder;
    }
}

/// <summary>Re-queues runs that a crash or stop left unfinished.</summary>
internal sealed class JobResumer(JobService jobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => jobs.ResumeInterruptedAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>For the CLI: a queued run is executed in the foreground by the command that made it.</summary>
internal sealed class InlineJobScheduler : IJobScheduler
{
    public Task ScheduleAsync(long runId, CancellationToken cancellationToken) => Task.CompletedTask;
    public Task InterruptAsync(long runId, CancellationToken cancellationToken) => Task.CompletedTask;
}
