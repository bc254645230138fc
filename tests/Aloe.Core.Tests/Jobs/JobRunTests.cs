using Aloe.Core.Jobs;

namespace Aloe.Core.Tests.Jobs;

public sealed class JobRunTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    static JobRun NewRun() => new() { Kind = "k", Title = "t", CreatedAt = Now };

    [Fact]
    public void StartingCountsAnAttemptAndKeepsTheFirstStartTime()
    {
        var run = NewRun();
        run.Start(Now);
        run.Requeue();
        run.Start(Now.AddMinutes(5));

        Assert.Equal(JobStatus.Running, run.Status);
        Assert.Equal(2, run.Attempts);
        Assert.Equal(Now, run.StartedAt);
    }

    [Fact]
    public void SucceedingFillsTheProgressBar()
    {
        var run = NewRun();
        run.Start(Now);
        run.Done = 3;
        run.Total = 10;

        run.Succeed(Now);

        Assert.Equal(10, run.Done);
        Assert.Equal(100, run.Percent);
        Assert.Equal(Now, run.FinishedAt);
    }

    [Fact]
    public void RetryKeepsTheCheckpointAndClearsTheError()
    {
        var run = NewRun();
        run.Start(Now);
        run.Checkpoint = "{\"next\":4}";
        run.Fail(Now, "boom");

        run.Requeue();

        Assert.Equal(JobStatus.Queued, run.Status);
        Assert.Null(run.Error);
        Assert.Null(run.FinishedAt);
        Assert.Equal("{\"next\":4}", run.Checkpoint);
    }

    [Fact]
    public void AQueuedRunCannotBeRequeued() => Assert.Throws<InvalidOperationException>(NewRun().Requeue);

    [Fact]
    public void AFinishedRunCannotBeCancelledOrFailed()
    {
        var run = NewRun();
        run.Start(Now);
        run.Succeed(Now);

        Assert.Throws<InvalidOperationException>(() => run.Cancel(Now));
        Assert.Throws<InvalidOperationException>(() => run.Fail(Now, "late"));
    }

    [Fact]
    public void AQueuedRunCanBeCancelledButNotSucceeded()
    {
        var run = NewRun();

        Assert.Throws<InvalidOperationException>(() => run.Succeed(Now));
        run.Cancel(Now);
        Assert.Equal(JobStatus.Cancelled, run.Status);
    }
}
