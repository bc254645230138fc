using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Aloe.Core.Jobs;

/// <summary>
/// Executes one <see cref="JobRun"/> with its handler and records how it ended. Used by the
/// Quartz job in the web app and directly by the CLI.
/// </summary>
public sealed class JobRunner(
    IDbContextFactory<AloeDbContext> dbFactory,
    IEnumerable<IJobHandler> handlers,
    TimeProvider time,
    ILogger<JobRunner> logger)
{
    public async Task ExecuteAsync(long runId, CancellationToken cancellationToken)
    {
        JobContext context;
        IJobHandler? handler;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var run = await db.Set<JobRun>().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
            if (run is null || run.Status != JobStatus.Queued)
                return; // cancelled before it started, or already taken
            handler = handlers.FirstOrDefault(h => h.Kind == run.Kind);
            run.Start(time.GetUtcNow());
            if (handler is null)
                run.Fail(time.GetUtcNow(), $"No handler for job kind '{run.Kind}'.");
            await db.SaveChangesAsync(cancellationToken);
            if (handler is null)
                return;
            context = new JobContext(run.Id, run.Attempts, run.ParametersJson, run.Checkpoint, dbFactory);
        }

        string? error = null;
        var cancelled = false;
        try
        {
            await handler.RunAsync(context, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            cancelled = true;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Job run {RunId} ({Kind}) failed", runId, handler.Kind);
            error = ex.Message;
        }

        await using var finish = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var ended = await finish.Set<JobRun>().SingleAsync(r => r.Id == runId, CancellationToken.None);
        if (ended.Status != JobStatus.Running)
            return;
        var now = time.GetUtcNow();
        if (cancelled && !ended.CancelRequested)
            return; // the host is stopping: leave it Running, so start-up resumes it
        if (cancelled)
            ended.Cancel(now);
        else if (error is not null)
            ended.Fail(now, error);
        else
            ended.Succeed(now);
        await finish.SaveChangesAsync(CancellationToken.None);
    }
}
