using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Aloe.Web.Jobs;
using Aloe.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aloe.Web.Tests.Jobs;

public sealed class JobWatcherTests(AloeWebFactory factory) : IClassFixture<AloeWebFactory>
{
    IDbContextFactory<AloeDbContext> DbFactory => factory.Services.GetRequiredService<IDbContextFactory<AloeDbContext>>();

    async Task<long> AddRunAsync(string title)
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        var run = new JobRun { Kind = "test-kind", Title = title, CreatedAt = DateTimeOffset.UtcNow };
        db.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    async Task UpdateRunAsync(long id, Action<JobRun> change)
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        var run = await db.Set<JobRun>().SingleAsync(r => r.Id == id);
        change(run);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task RaisesEachChangeOfARunOnceAndHowItEnded()
    {
        var watcher = new JobWatcher(DbFactory, TimeProvider.System, NullLogger<JobWatcher>.Instance);
        var seen = new List<JobProgress>();
        using var subscription = watcher.Subscribe(p => { seen.Add(p); return Task.CompletedTask; });
        var id = await AddRunAsync("Written by another process");

        await watcher.CheckAsync(CancellationToken.None);
        await watcher.CheckAsync(CancellationToken.None); // nothing changed: nothing raised
        await UpdateRunAsync(id, r => { r.Start(DateTimeOffset.UtcNow); r.Done = 3; r.Total = 10; r.Message = "three"; });
        await watcher.CheckAsync(CancellationToken.None);
        await UpdateRunAsync(id, r => r.Succeed(DateTimeOffset.UtcNow));
        await watcher.CheckAsync(CancellationToken.None);

        var mine = seen.Where(p => p.Id == id).ToList();
        Assert.Equal([JobStatus.Queued, JobStatus.Running, JobStatus.Succeeded], mine.Select(p => p.Status));
        Assert.Equal(30, mine[1].Percent);
        Assert.Equal("three", mine[1].Message);
    }

    [Fact]
    public async Task ADisposedSubscriptionHearsNothingMore()
    {
        var watcher = new JobWatcher(DbFactory, TimeProvider.System, NullLogger<JobWatcher>.Instance);
        var heard = 0;
        var subscription = watcher.Subscribe(_ => { heard++; return Task.CompletedTask; });
        Assert.Equal(1, watcher.SubscriberCount);

        subscription.Dispose();
        await AddRunAsync("Nobody listens");
        await watcher.CheckAsync(CancellationToken.None);

        Assert.Equal(0, watcher.SubscriberCount);
        Assert.Equal(0, heard);
    }
}
