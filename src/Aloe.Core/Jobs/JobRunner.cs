using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aloe.Core.Jobs;

/// <summary>
/// Executes one <see cref="JobRun"/> with its handler and records how it ended. Used by the
/// Hangfire job in the web app and the worker, and directly by the CLI. Several processes may
/// be handed the same run (a second Hangfire fetch, a CLI and a web app over one database):
/// only the one whose claim succeeds runs it, and it keeps its lease alive while it does.
/// </summary>
public sealed class JobRunner(
    IDbContextFactory<AloeDbContext> dbFactory,
    IEnumerable<IJobHandler> handlers,
    JobClaims claims,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<JobRunner> logger)
{
    /// <returns>False when this call did not run it: another process holds it, it was cancelled, or it does not exist.</returns>
    public async Task<bool> ExecuteAsync(long runId, CancellationToken cancellationToken)
    {
        if (!await claims.TryClaimAsync(runId, cancellationToken))
            return false;

        JobContext context;
        IJobHandler? handler;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var run = await db.Set<JobRun>().SingleAsync(r => r.Id == runId, cancellationToken);
            handler = handlers.FirstOrDefault(h => h.Kind == run.Kind);
            if (handler is null)
            {
                run.Fail(time.GetUtcNow(), $"No handler for job kind '{run.Kind}'.");
                run.LeaseExpiresAt = null;
                await db.SaveChangesAsync(cancellationToken);
                return true;
            }
            context = new JobContext(run.Id, run.Attempts, run.ParametersJson, run.Checkpoint, dbFactory);
        }

        using var lease = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = HeartbeatAsync(runId, lease);
        string? error = null;
        var cancelled = false;
        try
        {
            await handler.RunAsync(context, lease.Token);
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
        finally
        {
            await lease.CancelAsync();
            await heartbeat;
        }

        await using var finish = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var ended = await finish.Set<JobRun>().SingleAsync(r => r.Id == runId, CancellationToken.None);
        if (ended.Status != JobStatus.Running || ended.Owner != claims.Owner)
            return true; // the lease was lost and someone else resumed it: theirs to finish
        var now = time.GetUtcNow();
        if (cancelled && !ended.CancelRequested)
        {
            // The host is stopping: give the lease up now, so the next sweep (here after a
            // restart, or in another worker at once) resumes it from its checkpoint.
            ended.LeaseExpiresAt = now;
            await finish.SaveChangesAsync(CancellationToken.None);
            return true;
        }
        if (cancelled)
            ended.Cancel(now);
        else if (error is not null)
            ended.Fail(now, error);
        else
            ended.Succeed(now);
        ended.LeaseExpiresAt = null;
        await finish.SaveChangesAsync(CancellationToken.None);
        return true;
    }

    /// <summary>
    /// Renews the lease every third of its length until the run ends. Stops the handler when the
    /// lease was lost (this process stalled past it and another took the run over) or a user asked
    /// to cancel, so a handler that reports rarely still stops promptly.
    /// </summary>
    async Task HeartbeatAsync(long runId, CancellationTokenSource lease)
    {
        using var timer = new PeriodicTimer(options.Value.Lease / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(lease.Token))
            {
                var state = await claims.RenewAsync(runId, lease.Token);
                if (state != LeaseState.Held)
                {
                    if (state == LeaseState.Lost)
                        logger.LogWarning("Job run {RunId}: lease lost; stopping here", runId);
                    await lease.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception ex)
        {
            // A database hiccup: keep running; the lease outlives several missed beats.
            logger.LogWarning(ex, "Job run {RunId}: heartbeat failed", runId);
        }
    }
}
