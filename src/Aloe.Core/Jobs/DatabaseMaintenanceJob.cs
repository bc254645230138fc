using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Jobs;

/// <summary>
/// Analyses every table of the model, checkpoints the WAL (SQLite) and vacuums, reporting the
/// database's size. Its checkpoint is the next step, so a resumed run skips what is done.
/// </summary>
internal sealed class DatabaseMaintenanceJob(IDbContextFactory<AloeDbContext> dbFactory, AloeDatabase database) : IJobHandler
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
        // The model's tables (the same on both providers), plus the migrations history.
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>()
            .Append("__EFMigrationsHistory").Distinct().Order(StringComparer.Ordinal).ToList();
        var steps = tables.Select(t => ($"Analysing {t}", $"ANALYZE \"{t.Replace("\"", "\"\"")}\";")).ToList();
        if (database.IsSqlite)
            steps.Add(("Checkpointing the write-ahead log", "PRAGMA wal_checkpoint(TRUNCATE);"));
        steps.Add(("Vacuuming", "VACUUM;"));
        var state = context.Checkpoint<State>() ?? new State(0, await SizeAsync(db, cancellationToken), []);
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
            $"Database is {Megabytes(await SizeAsync(db, cancellationToken))} (was {Megabytes(state.SizeBefore)}).", state, cancellationToken);
    }

    /// <summary>SQLite: the file plus its write-ahead log (where recent writes live until a checkpoint). PostgreSQL: the database's size.</summary>
    async Task<long> SizeAsync(AloeDbContext db, CancellationToken cancellationToken)
    {
        if (!database.IsSqlite)
            return await db.Database.SqlQueryRaw<long>("SELECT pg_database_size(current_database()) AS \"Value\"").SingleAsync(cancellationToken);
        var path = db.DatabasePath();
        return new[] { path, path + "-wal" }.Where(File.Exists).Sum(p => new FileInfo(p).Length);
    }

    static string Megabytes(long bytes) => $"{bytes / 1048576.0:0.00} MB";
}
