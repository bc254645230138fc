using System.Text.Json;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Jobs;

/// <summary>What a running handler sees of its run: parameters, checkpoint, progress reporting.</summary>
public sealed class JobContext(long runId, int attempt, string parametersJson, string? checkpointJson, IDbContextFactory<AloeDbContext> dbFactory)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public long RunId { get; } = runId;

    /// <summary>1 on the first execution, then one more for each resume or retry.</summary>
    public int Attempt { get; } = attempt;

    public T Parameters<T>() where T : new() =>
        JsonSerializer.Deserialize<T>(parametersJson, Json) ?? new T();

    public T? Checkpoint<T>() =>
        checkpointJson is null ? default : JsonSerializer.Deserialize<T>(checkpointJson, Json);

    /// <summary>
    /// Persists progress (and optionally the resume checkpoint) in one write. Throws
    /// <see cref="OperationCanceledException"/> when a user asked to cancel the run, from
    /// this process or another (the CLI and the web app share the database).
    /// </summary>
    public async Task ReportAsync(int done, int total, string? message = null, object? checkpoint = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Set<JobRun>().SingleAsync(r => r.Id == RunId, cancellationToken);
        run.Done = done;
        run.Total = total;
        run.Message = message;
        if (checkpoint is not null)
        {
            checkpointJson = JsonSerializer.Serialize(checkpoint, Json);
            run.Checkpoint = checkpointJson;
        }
        await db.SaveChangesAsync(cancellationToken);
        if (run.CancelRequested)
            throw new OperationCanceledException($"Job run {RunId} was cancelled.");
    }
}
