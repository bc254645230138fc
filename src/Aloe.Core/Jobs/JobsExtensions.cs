using System.ComponentModel.DataAnnotations;
using Aloe.Core.Data;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aloe.Core.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Runs executed at once by this process (Hangfire workers).</summary>
    [Range(1, 64)]
    public int MaxConcurrentRuns { get; set; } = 4;

    /// <summary>
    /// False: this process enqueues runs but never executes them (a web app in front of separate
    /// `aloe worker` processes).
    /// </summary>
    public bool RunJobs { get; set; } = true;

    /// <summary>How long a claim holds without a heartbeat; a run whose process died is resumed elsewhere after it.</summary>
    [Range(3, 3600)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>
    /// A queued run nobody claimed within this long is scheduled again (by whichever process
    /// sweeps first): the recovery for a Hangfire job lost by its storage. A second schedule of a
    /// run is harmless, as only one claim succeeds.
    /// </summary>
    [Range(1, 3600)]
    public int PickupSeconds { get; set; } = 30;

    /// <summary>
    /// How many part jobs a dialogue build is split into, so that several worker processes share
    /// it (docs/jobs.md, "Runs split into parts"); 1 runs it as one job. Ignored where no scheduler
    /// runs queued jobs (the CLI builds in the foreground, as one job).
    /// </summary>
    [Range(1, 64)]
    public int BuildParts { get; set; } = 1;

    /// <summary>Hangfire's SQLite file; default: beside the app database (aloe.db -> aloe.hangfire.db). Unused on PostgreSQL, where Hangfire keeps its own schema in the app database.</summary>
    public string? HangfireSqlitePath { get; set; }

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
    public TimeSpan Pickup => TimeSpan.FromSeconds(PickupSeconds);

    /// <summary>How often orphaned and unclaimed runs are looked for.</summary>
    public TimeSpan SweepInterval => TimeSpan.FromSeconds(Math.Min(LeaseSeconds, PickupSeconds) / 2.0);
}

public static class JobsExtensions
{
    /// <summary>
    /// Job records, claims and handlers. With <paramref name="runScheduler"/>, runs are enqueued
    /// on Hangfire (SQLite storage beside the app database, or PostgreSQL storage), executed here
    /// unless Jobs:RunJobs is false, and orphaned runs are resumed at start-up and whenever a
    /// lease expires. Without it (the CLI), the command that queued a run executes it in the foreground.
    /// </summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder, bool runScheduler = true)
    {
        builder.Services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<JobClaims>();
        builder.Services.AddSingleton<JobRunner>();
        builder.Services.AddSingleton<JobService>();
        builder.Services.AddSingleton<IJobHandler, DatabaseMaintenanceJob>();
        if (!runScheduler)
        {
            builder.Services.AddSingleton<IJobScheduler, InlineJobScheduler>();
            return builder;
        }

        var jobs = builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        // The storage is a service of this host, not Hangfire's static JobStorage.Current: test
        // hosts (and any two hosts in one process) must not hand jobs to each other's storage.
        // Neither storage may hand a long run to a second worker while the first still runs it
        // (Hangfire.Storage.SQLite has no sliding invisibility timeout, its issue #75): the
        // timeout is long, and the JobRun claim is what guarantees one executor.
        var invisibility = TimeSpan.FromDays(1);
        builder.Services.AddHangfire((services, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogProvider(services.GetRequiredService<ILoggerFactory>())));
        // After AddHangfire, whose own registration returns the static JobStorage.Current.
        builder.Services.RemoveAll<JobStorage>();
        builder.Services.AddSingleton<JobStorage>(_ => database.Provider == DatabaseProvider.PostgreSql
            ? PostgresStorage(database.ConnectionString, new PostgreSqlStorageOptions { InvisibilityTimeout = invisibility, QueuePollInterval = TimeSpan.FromSeconds(1) })
            : new SQLiteStorage(HangfireSqlitePath(jobs, database, builder.Environment.ContentRootPath),
                new SQLiteStorageOptions { InvisibilityTimeout = invisibility, QueuePollInterval = TimeSpan.FromSeconds(1) }));
        if (jobs.RunJobs)
            builder.Services.AddHangfireServer(o => o.WorkerCount = jobs.MaxConcurrentRuns);
        builder.Services.AddSingleton<IJobScheduler, HangfireJobScheduler>();
        builder.Services.AddHostedService<JobResumer>();
        return builder;
    }

    static PostgreSqlStorage PostgresStorage(string connectionString, PostgreSqlStorageOptions options) =>
        new(new NpgsqlConnectionFactory(connectionString, options), options);

    static string HangfireSqlitePath(JobsOptions jobs, DatabaseOptions database, string root)
    {
        if (!string.IsNullOrWhiteSpace(jobs.HangfireSqlitePath))
            return Path.GetFullPath(Path.Combine(root, jobs.HangfireSqlitePath));
        var appDatabase = new SqliteConnectionStringBuilder(DataExtensions.ResolveConnectionString(database.ConnectionString, root)).DataSource;
        return Path.Combine(Path.GetDirectoryName(appDatabase)!, Path.GetFileNameWithoutExtension(appDatabase) + ".hangfire.db");
    }
}

/// <summary>
/// Re-queues runs whose lease expired: at start-up (and then queued runs are scheduled again),
/// and every sweep interval after, so a worker that died mid-run is replaced by a live one and a
/// queued run nobody picked up is scheduled again.
/// </summary>
internal sealed class JobResumer(JobService jobs, JobClaims claims, JobRunner runner, IOptions<JobsOptions> options, TimeProvider time,
    ILogger<JobResumer> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await jobs.ResumeInterruptedAsync(scheduleQueued: true, cancellationToken: cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        var direct = new List<Task>();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    // A process that runs jobs executes a queued run nobody claimed in time itself
                    // (the claim still decides who runs it): progress does not depend on the
                    // Hangfire storage delivering that job. One that only enqueues schedules it again.
                    var runsJobs = options.Value.RunJobs;
                    await jobs.ResumeInterruptedAsync(scheduleQueued: false, scheduleUnclaimed: !runsJobs, cancellationToken: stoppingToken);
                    if (runsJobs)
                    {
                        direct.RemoveAll(t => t.IsCompleted);
                        foreach (var id in await claims.TakeUnclaimedAsync(stoppingToken))
                            direct.Add(Task.Run(() => runner.ExecuteAsync(id, stoppingToken), CancellationToken.None));
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Resuming orphaned job runs failed; trying again next time");
                }
            }
        }
        catch (OperationCanceledException) { }
        try { await Task.WhenAll(direct); } catch (OperationCanceledException) { }
    }
}

/// <summary>For the CLI: a queued run is executed in the foreground by the command that made it.</summary>
internal sealed class InlineJobScheduler : IJobScheduler
{
    public Task ScheduleAsync(long runId, CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class HangfireJobScheduler(IBackgroundJobClient client) : IJobScheduler
{
    public Task ScheduleAsync(long runId, CancellationToken cancellationToken)
    {
        client.Enqueue<HangfireRunJob>(job => job.ExecuteAsync(runId, CancellationToken.None));
        return Task.CompletedTask;
    }
}

/// <summary>Thin Hangfire job: hands the run to <see cref="JobRunner"/>, which claims it first.</summary>
public sealed class HangfireRunJob(JobRunner runner)
{
    [JobDisplayName("Job run {0}")]
    // A retry spends model calls again; a JobRun is retried by a user, from its checkpoint.
    [AutomaticRetry(Attempts = 0)]
    public Task ExecuteAsync(long runId, CancellationToken cancellationToken) => runner.ExecuteAsync(runId, cancellationToken);
}
