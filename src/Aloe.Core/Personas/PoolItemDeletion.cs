using Aloe.Core.Audit;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Personas;

/// <summary>What deleting some pool items would take with it, shown to the user before they confirm.</summary>
public sealed record PoolDeletionPreview(int Items, int Generated, int Seed, int Imported, int Personas)
{
    public bool TouchesImported => Imported > 0;

    public string Describe() =>
        $"{Items} pool item{(Items == 1 ? "" : "s")} ({Generated} generated, {Seed} seed, {Imported} imported) and the {Personas} persona{(Personas == 1 ? "" : "s")} built on them";
}

/// <summary>
/// Deletes pool items (one item, or what a generation run added) with the personas paired from
/// them, then relinks nearest neighbours. Imported items (the ALOE pools) are kept unless the
/// caller says so explicitly. Dialogues and benchmark cases keep their own copy of the persona
/// text, so they stay readable.
/// </summary>
internal sealed class PoolItemDeletion(IDbContextFactory<AloeDbContext> dbFactory, PoolService pools, AuditLog audit)
{
    public Task<PoolDeletionPreview> PreviewAsync(IReadOnlyCollection<long> itemIds, CancellationToken cancellationToken = default) =>
        PreviewAsync(db => db.Set<PoolItem>().Where(i => itemIds.Contains(i.Id)), cancellationToken);

    public Task<PoolDeletionPreview> PreviewRunAsync(long generationRunId, CancellationToken cancellationToken = default) =>
        PreviewAsync(db => db.Set<PoolItem>().Where(i => i.GenerationRunId == generationRunId), cancellationToken);

    async Task<PoolDeletionPreview> PreviewAsync(Func<AloeDbContext, IQueryable<PoolItem>> select, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var items = select(db);
        var bySource = await items.GroupBy(i => i.Source).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var ids = items.Select(i => i.Id);
        var personas = await db.Set<Persona>().CountAsync(p => ids.Contains(p.ProfileId) || ids.Contains(p.PersonalityId), cancellationToken);
        int Count(ItemSource s) => bySource.Where(x => x.Key == s).Sum(x => x.Count);
        return new PoolDeletionPreview(bySource.Sum(x => x.Count), Count(ItemSource.Generated), Count(ItemSource.Seed), Count(ItemSource.Imported), personas);
    }

    /// <summary>Deletes the items and their personas; throws when imported items are among them and <paramref name="includeImported"/> is false.</summary>
    public Task<int> DeleteAsync(IReadOnlyCollection<long> itemIds, bool includeImported, CancellationToken cancellationToken = default) =>
        DeleteAsync(db => db.Set<PoolItem>().Where(i => itemIds.Contains(i.Id)), includeImported, cancellationToken);

    /// <summary>Deletes the items a generation run added (never imported ones) and their personas.</summary>
    public Task<int> DeleteRunItemsAsync(long generationRunId, CancellationToken cancellationToken = default) =>
        DeleteAsync(db => db.Set<PoolItem>().Where(i => i.GenerationRunId == generationRunId), includeImported: false, cancellationToken);

    async Task<int> DeleteAsync(Func<AloeDbContext, IQueryable<PoolItem>> select, bool includeImported, CancellationToken cancellationToken)
    {
        List<PoolKind> kinds;
        int deleted;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var items = await select(db).Select(i => new { i.Id, i.Kind, i.Source }).ToListAsync(cancellationToken);
            if (!includeImported && items.Any(i => i.Source == ItemSource.Imported))
                throw new InvalidOperationException("Imported items are protected: confirm deleting imported items explicitly.");
            var ids = items.Select(i => i.Id).ToList();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Set<Persona>().Where(p => ids.Contains(p.ProfileId) || ids.Contains(p.PersonalityId)).ExecuteDeleteAsync(cancellationToken);
            await db.Set<GenerationCandidate>().Where(c => c.PoolItemId != null && ids.Contains(c.PoolItemId.Value))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.PoolItemId, (long?)null), cancellationToken);
            deleted = await db.Set<PoolItem>().Where(i => ids.Contains(i.Id)).ExecuteDeleteAsync(cancellationToken);
            audit.Add(db, AuditActions.Delete, AuditTargets.PoolItems, ids.Count == 1 ? ids[0] : null,
                $"{deleted} pool item(s){(ids.Count > 1 ? $" {ids.Min()}-{ids.Max()}" : "")} and their personas");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            kinds = items.Select(i => i.Kind).Distinct().ToList();
        }
        // The survivors' nearest neighbours may have been among the deleted items.
        foreach (var kind in kinds)
            await pools.RefreshNeighboursAsync(kind, cancellationToken);
        return deleted;
    }
}
