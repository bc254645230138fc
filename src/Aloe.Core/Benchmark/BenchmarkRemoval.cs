using Aloe.Core.Audit;
using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Benchmark;

/// <summary>
/// Deletes a benchmark run with its cases, transcripts and every scoring of them. Job records and
/// their model-call logs stay (the cost history). A run with a job still queued or running (its
/// own or a re-judging) cannot be deleted: cancel it first.
/// </summary>
internal sealed class BenchmarkRemoval(IDbContextFactory<AloeDbContext> dbFactory, AuditLog audit)
{
    public async Task<DeletionPreview?> PreviewAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Set<BenchmarkRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
            return null;
        var cases = db.Set<BenchmarkCase>().Where(c => c.RunId == runId);
        var turns = db.Set<BenchmarkTurn>().Where(t => cases.Any(c => c.Id == t.CaseId));
        var scorings = await db.Set<BenchmarkScoring>().AsNoTracking().Where(s => s.RunId == runId).ToListAsync(cancellationToken);
        var scoringIds = scorings.Select(s => s.Id).ToList();
        var scores = await db.Set<BenchmarkScore>().CountAsync(s => scoringIds.Contains(s.ScoringId), cancellationToken);
        var jobIds = scorings.Select(s => s.JobRunId).Append(run.JobRunId).OfType<long>().Distinct().ToList();
        var active = await db.Set<JobRun>().Active().Where(j => jobIds.Contains(j.Id))
            .Select(j => j.Id).OrderBy(id => id).ToListAsync(cancellationToken);
        return new DeletionPreview($"Benchmark run {run.Id}: {run.Name}",
            [DeletionPreview.Count(await cases.CountAsync(cancellationToken), "case"), DeletionPreview.Count(await turns.CountAsync(cancellationToken), "transcript turn"),
             $"{DeletionPreview.Count(scorings.Count, "scoring")} with {DeletionPreview.Count(scores, "judge score")}"],
            jobIds.Count == 0 ? [] : [$"{(jobIds.Count == 1 ? "job" : "jobs")} {string.Join(", ", jobIds)} and their model-call log (tokens and cost stay counted)"],
            active.Count == 0 ? null : $"Job {string.Join(", ", active)} is still working on this run: cancel it first.");
    }

    /// <summary>False when the run does not exist; throws when one of its jobs is still active.</summary>
    public async Task<bool> DeleteAsync(long runId, CancellationToken cancellationToken = default)
    {
        var preview = await PreviewAsync(runId, cancellationToken);
        if (preview is null)
            return false;
        if (preview.Blocked is { } reason)
            throw new InvalidOperationException(reason);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Child tables first, explicitly: the result does not depend on the provider's cascade settings.
        var scorings = db.Set<BenchmarkScoring>().Where(s => s.RunId == runId);
        var cases = db.Set<BenchmarkCase>().Where(c => c.RunId == runId);
        await db.Set<BenchmarkScore>().Where(s => scorings.Any(x => x.Id == s.ScoringId)).ExecuteDeleteAsync(cancellationToken);
        await scorings.ExecuteDeleteAsync(cancellationToken);
        await db.Set<BenchmarkTurn>().Where(t => cases.Any(c => c.Id == t.CaseId)).ExecuteDeleteAsync(cancellationToken);
        await cases.ExecuteDeleteAsync(cancellationToken);
        await db.Set<BenchmarkRun>().Where(r => r.Id == runId).ExecuteDeleteAsync(cancellationToken);
        audit.Add(db, AuditActions.Delete, AuditTargets.BenchmarkRun, runId, $"{preview.Title}: {string.Join(", ", preview.GoesWith)}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
