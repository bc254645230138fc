using Aloe.Core.Audit;
using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Dialogues;

/// <summary>
/// Deletes dialogue runs and single dialogues with their turns (expanded branches included).
/// The build job's record and its model-call log stay: they are the cost history of the lab.
/// A run whose job is still queued or running cannot be deleted (cancel it first).
/// </summary>
internal sealed class DialogueRemoval(IDbContextFactory<AloeDbContext> dbFactory, AuditLog audit)
{
    public async Task<DeletionPreview?> PreviewRunAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Set<DialogueRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
            return null;
        var dialogues = db.Set<Dialogue>().Where(d => d.RunId == runId);
        var count = await dialogues.CountAsync(cancellationToken);
        var turns = await db.Set<DialogueTurn>().CountAsync(t => dialogues.Any(d => d.Id == t.DialogueId), cancellationToken);
        return new DeletionPreview($"Dialogue run {run.Id}: {run.Title}",
            [DeletionPreview.Count(count, "dialogue"), DeletionPreview.Count(turns, "turn") + " (expanded branches included)"],
            run.JobRunId is null ? [] : [$"job {run.JobRunId} and its model-call log (tokens and cost stay counted)"],
            await ActiveJobAsync(db, run.JobRunId, cancellationToken));
    }

    public async Task<DeletionPreview?> PreviewDialogueAsync(long dialogueId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dialogue = await db.Set<Dialogue>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == dialogueId, cancellationToken);
        if (dialogue is null)
            return null;
        var run = await db.Set<DialogueRun>().AsNoTracking().SingleAsync(r => r.Id == dialogue.RunId, cancellationToken);
        var turns = await db.Set<DialogueTurn>().CountAsync(t => t.DialogueId == dialogueId, cancellationToken);
        return new DeletionPreview($"Dialogue {dialogue.Id}: {dialogue.PersonaKey}",
            [DeletionPreview.Count(turns, "turn") + " (expanded branches included)"],
            [$"run {run.Id} and its other dialogues"],
            await ActiveJobAsync(db, run.JobRunId, cancellationToken));
    }

    /// <summary>False when the run does not exist; throws when its job is still active.</summary>
    public async Task<bool> DeleteRunAsync(long runId, CancellationToken cancellationToken = default)
    {
        var preview = await PreviewRunAsync(runId, cancellationToken);
        if (preview is null)
            return false;
        if (preview.Blocked is { } reason)
            throw new InvalidOperationException(reason);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Explicit deletes, child tables first: the result does not depend on the provider's cascade settings.
        var dialogues = db.Set<Dialogue>().Where(d => d.RunId == runId);
        await db.Set<DialogueTurn>().Where(t => dialogues.Any(d => d.Id == t.DialogueId)).ExecuteDeleteAsync(cancellationToken);
        await dialogues.ExecuteDeleteAsync(cancellationToken);
        await db.Set<DialogueRun>().Where(r => r.Id == runId).ExecuteDeleteAsync(cancellationToken);
        audit.Add(db, AuditActions.Delete, AuditTargets.DialogueRun, runId, $"{preview.Title}: {string.Join(", ", preview.GoesWith)}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> DeleteDialogueAsync(long dialogueId, CancellationToken cancellationToken = default)
    {
        var preview = await PreviewDialogueAsync(dialogueId, cancellationToken);
        if (preview is null)
            return false;
        if (preview.Blocked is { } reason)
            throw new InvalidOperationException(reason);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Set<DialogueTurn>().Where(t => t.DialogueId == dialogueId).ExecuteDeleteAsync(cancellationToken);
        await db.Set<Dialogue>().Where(d => d.Id == dialogueId).ExecuteDeleteAsync(cancellationToken);
        audit.Add(db, AuditActions.Delete, AuditTargets.Dialogue, dialogueId, $"{preview.Title}: {string.Join(", ", preview.GoesWith)}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    static async Task<string?> ActiveJobAsync(AloeDbContext db, long? jobId, CancellationToken cancellationToken) =>
        jobId is { } id && await db.Set<JobRun>().Active().AnyAsync(j => j.Id == id, cancellationToken)
            ? $"Job {id} is still building this run: cancel it first."
            : null;
}
