using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Jobs;

/// <summary>
/// Analyses every table, checkpoints the WAL and vacuums the SQLite file, reporting its size.
/// Its checkpoint is the next step, so a resumed run skips what is done.
/// </summary>
internal sealed class DatabaseMaintenanceJob(IDbContextFactory<AloeDbContext> dbFactory) : IJobHandler
{
    public const string JobKind = "db.maintenance";
    public string Kind => JobKind;

    public sealed class Options
    {
        /// <summary>Pause after each step (ms), to make progress visible in demos and browser tests.</summary>
        public int StepDelayMs { get; set; }
    }

    /// <summary>Resume state. <paramref name="Completed"/> lists "attempt:step" for each finished step: provenance, and proof that a resumed run skipped what was done.</summary>
    public sealed record State(int NextStep, long SizeBefore, IReadOnlyList<string> Completed);

    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var options = context.Parameters<Options>();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tables = await db.Database.SqlQueryRaw<string>(
            "SELECT name AS Value FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").ToListAsync(cancellationToken);
        var steps = tables.Select(t => ($"Analysing {t}", $"ANALYZE \"{t.Replace("\"", "\"\"")}\";"))
            .Append(("Checkpointing the write-ahead log", "PRAGMA wal_checkpoint(TRUNCATE);"))
            .Append(("Vacuuming", "VACUUM;"))
            .ToList();
        var state = context.Checkpoint<State>() ?? new State(0, FileSize(db), []);
        for (var step = state.NextStep; step < steps.Count; step++)
        {
            var (label, sql) = steps[step];
            await context.ReportAsync(step, steps.Count, label, cancellationToken: cancellationToken);
            await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
            if (options.StepDelayMs > 0)
                await Task.Delay(options.StepDelayMs, cancellationToken);
            state = state with { NextStep = step + 1, Completed = [.. state.Completed, $"{context.Attempt}:{step}"] };
            await context.ReportAsync(step + 1, steps.Count, label, state, cancellationToken);
        }
        await context.ReportAsync(steps.Count, steps.Count,
            $"Database is {Megabytes(FileSize(db))} (was {Megabytes(state.SizeBefore)}).", state, cancellationToken);
    }

    /// <summary>The database file plus its write-ahead log (where recent writes live until a checkpoint).</summary>
    static long FileSize(AloeDbContext db)
    {
        var path = db.DatabasePath();
        return new[] { path, path + "-wal" }.Where(File.Exists).Sum(p => new FileInfo(p).Length);
    }

    static string Megabytes(long bytes) => $"{bytes / 1048576.0:0.00} MB";
}
