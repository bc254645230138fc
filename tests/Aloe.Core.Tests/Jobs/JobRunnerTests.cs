using System.Collections.Concurrent;
using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Aloe.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Core.Tests.Jobs;

public sealed class JobRunnerTests
{
    /// <summary>Ten numbered steps; records each step it executes; can be told to "crash" (stop the host) after a step.</summary>
    internal sealed class CountingJob : IJobHandler
    {
        public const string JobKind = "test.counting";
        public string Kind => JobKind;
        public ConcurrentBag<int> Executed { get; } = [];
        public int? StopAfterStep { get; set; }
        public CancellationTokenSource Host { get; set; } = new();
        public Exception? FailWith { get; set; }

        public sealed record State(int Next);

        public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
        {
            for (var step = context.Checkpoint<State>()?.Next ?? 0; step < 10; step++)
            {
                Executed.Add(step);
                await context.ReportAsync(step + 1, 10, $"step {step}", new State(step + 1), cancellationToken);
                if (step == StopAfterStep)
                    await Host.CancelAsync();
                if (FailWith is not null)
                    throw FailWith;
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    static async Task<(TestHost Host, CountingJob Job)> StartAsync(DatabaseProvider provider)
    {
        var job = new CountingJob();
        var host = await TestHost.StartAsync(b => b.Services.AddSingleton<IJobHandler>(job), provider: provider);
        return (host, job);
    }

    /// <summary>Another process over the same database.</summary>
    static Task<TestHost> SecondProcessAsync(TestHost first, DatabaseProvider provider, CountingJob? job = null)
    {
        var database = first.Get<AloeDatabase>();
        return TestHost.StartAsync(b => { if (job is not null) b.Services.AddSingleton<IJobHandler>(job); },
            databasePath: database.IsSqlite ? first.Db().DatabasePath() : null, provider: provider,
            postgresConnectionString: database.IsSqlite ? null : database.ConnectionString);
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ARunInterruptedByAStopIsLeftRunningAndResumesWithNothingDoneTwice(DatabaseProvider provider)
    {
        var (host, job) = await StartAsync(provider);
        await using var _ = host;
        var jobs = host.Get<JobService>();
        var runner = host.Get<JobRunner>();
        var run = await jobs.EnqueueAsync(CountingJob.JobKind, "count");
        job.StopAfterStep = 3;

        await runner.ExecuteAsync(run.Id, job.Host.Token);

        Assert.Equal(JobStatus.Running, (await jobs.GetAsync(run.Id))!.Status);

        var resumed = await jobs.ResumeInterruptedAsync();
        job.StopAfterStep = null;
        await runner.ExecuteAsync(run.Id, CancellationToken.None);

        Assert.Equal(1, resumed);
        var finished = (await jobs.GetAsync(run.Id))!;
        Assert.Equal(JobStatus.Succeeded, finished.Status);
        Assert.Equal(2, finished.Attempts);
        Assert.Equal(Enumerable.Range(0, 10), job.Executed.Order());
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ACancelRequestedFromAnotherProcessStopsTheRunAtItsNextReport(DatabaseProvider provider)
    {
        var (host, job) = await StartAsync(provider);
        await using var _ = host;
        var jobs = host.Get<JobService>();
        var run = await jobs.EnqueueAsync(CountingJob.JobKind, "count");
        await using (var db = host.Db())
        {
            // What the web app's Cancel does to a run it does not execute itself.
            var row = db.Set<JobRun>().Single(r => r.Id == run.Id);
            row.Start(DateTimeOffset.UtcNow);
            row.Requeue();
            row.CancelRequested = true;
            await db.SaveChangesAsync();
        }

        await host.Get<JobRunner>().ExecuteAsync(run.Id, CancellationToken.None);

        Assert.Equal(JobStatus.Cancelled, (await jobs.GetAsync(run.Id))!.Status);
        Assert.Single(job.Executed);
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task AFailingHandlerMarksTheRunFailedWithTheReasonAndRetryContinuesFromTheCheckpoint(DatabaseProvider provider)
    {
        var (host, job) = await StartAsync(provider);
        await using var _ = host;
        var jobs = host.Get<JobService>();
        var runner = host.Get<JobRunner>();
        var run = await jobs.EnqueueAsync(CountingJob.JobKind, "count");
        job.FailWith = new InvalidDataException("upstream said no");

        await runner.ExecuteAsync(run.Id, CancellationToken.None);

        var failed = (await jobs.GetAsync(run.Id))!;
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal("upstream said no", failed.Error);

        job.FailWith = null;
        Assert.True(await jobs.RetryAsync(run.Id));
        await runner.ExecuteAsync(run.Id, CancellationToken.None);

        Assert.Equal(JobStatus.Succeeded, (await jobs.GetAsync(run.Id))!.Status);
        Assert.Equal(Enumerable.Range(0, 10), job.Executed.Order());
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ASucceededRunIsNotRetriedButCanBeRunAgainByItsFeature(DatabaseProvider provider)
    {
        var (host, job) = await StartAsync(provider);
        await using var _ = host;
        var jobs = host.Get<JobService>();
        var run = await jobs.EnqueueAsync(CountingJob.JobKind, "count");
        await host.Get<JobRunner>().ExecuteAsync(run.Id, CancellationToken.None);

        Assert.False(await jobs.RetryAsync(run.Id));
        Assert.True(await jobs.RunAgainAsync(run.Id));
        Assert.False(await jobs.RunAgainAsync(run.Id)); // queued already
        await host.Get<JobRunner>().ExecuteAsync(run.Id, CancellationToken.None);

        var again = (await jobs.GetAsync(run.Id))!;
        Assert.Equal((JobStatus.Succeeded, 2), (again.Status, again.Attempts));
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ARunOfAnUnknownKindFailsSayingSo(DatabaseProvider provider)
    {
        await using var host = await TestHost.StartAsync(provider: provider);
        var jobs = host.Get<JobService>();
        var run = await jobs.EnqueueAsync("no.such.kind", "mystery");

        await host.Get<JobRunner>().ExecuteAsync(run.Id, CancellationToken.None);

        var failed = (await jobs.GetAsync(run.Id))!;
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Contains("no.such.kind", failed.Error);
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task CancellingAQueuedRunEndsItAtOnceAndTheRunnerSkipsIt(DatabaseProvider provider)
    {
        var (host, job) = await StartAsync(provider);
        await using var _ = host;
        var jobs = host.Get<JobService>();
        var run = await jobs.EnqueueAsync(CountingJob.JobKind, "count");

        Assert.True(await jobs.CancelAsync(run.Id));
        await host.Get<JobRunner>().ExecuteAsync(run.Id, CancellationToken.None);

        Assert.Equal(JobStatus.Cancelled, (await jobs.GetAsync(run.Id))!.Status);
        Assert.Empty(job.Executed);
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task MaintenanceJobAnalysesEveryTableAndReportsTheFileSize(DatabaseProvider provider)
    {
        await using var host = await TestHost.StartAsync(provider: provider);
        var jobs = host.Get<JobService>();
        var run = await jobs.EnqueueAsync(DatabaseMaintenanceJob.JobKind, "maintenance");

        await host.Get<JobRunner>().ExecuteAsync(run.Id, CancellationToken.None);

        var done = (await jobs.GetAsync(run.Id))!;
        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.True(done.Total >= 3, "at least one table, the WAL checkpoint and the vacuum");
        Assert.Matches(@"^Database is \d+\.\d\d MB \(was \d+\.\d\d MB\)\.$", done.Message);
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task OnlyOneOfTwoProcessesClaimsARunAndALiveLeaseIsNotResumedByTheOther(DatabaseProvider provider)
    {
        var (first, job) = await StartAsync(provider);
        await using var _ = first;
        await using var second = await SecondProcessAsync(first, provider);
        var run = await first.Get<JobService>().EnqueueAsync(CountingJob.JobKind, "count");

        Assert.True(await first.Get<JobClaims>().TryClaimAsync(run.Id, CancellationToken.None));
        Assert.False(await second.Get<JobClaims>().TryClaimAsync(run.Id, CancellationToken.None));
        Assert.Equal(0, await second.Get<JobService>().ResumeInterruptedAsync());
        Assert.False(await second.Get<JobRunner>().ExecuteAsync(run.Id, CancellationToken.None));

        var held = (await first.Get<JobService>().GetAsync(run.Id))!;
        Assert.Equal((JobStatus.Running, first.Get<JobClaims>().Owner, 1), (held.Status, held.Owner, held.Attempts));
        Assert.Empty(job.Executed);
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task ARunWhoseLeaseExpiredIsRequeuedOnceAndTheOldOwnerCannotFinishIt(DatabaseProvider provider)
    {
        var (first, job) = await StartAsync(provider);
        await using var _ = first;
        await using var second = await SecondProcessAsync(first, provider, job);
        var run = await first.Get<JobService>().EnqueueAsync(CountingJob.JobKind, "count");
        Assert.True(await first.Get<JobClaims>().TryClaimAsync(run.Id, CancellationToken.None));
        await using (var db = first.Db())
        {
            // The first process died: its lease ran out.
            var row = db.Set<JobRun>().Single(r => r.Id == run.Id);
            row.LeaseExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1);
            await db.SaveChangesAsync();
        }

        Assert.Equal([run.Id], await second.Get<JobClaims>().RequeueExpiredAsync(CancellationToken.None));
        Assert.Empty(await first.Get<JobClaims>().RequeueExpiredAsync(CancellationToken.None));
        Assert.True(await second.Get<JobRunner>().ExecuteAsync(run.Id, CancellationToken.None));
        Assert.Equal(LeaseState.Lost, await first.Get<JobClaims>().RenewAsync(run.Id, CancellationToken.None));

        var done = (await first.Get<JobService>().GetAsync(run.Id))!;
        Assert.Equal((JobStatus.Succeeded, second.Get<JobClaims>().Owner, 2), (done.Status, done.Owner, done.Attempts));
        Assert.Equal(Enumerable.Range(0, 10), job.Executed.Order());
    }
}
