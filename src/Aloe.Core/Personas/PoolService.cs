using Aloe.Core.Audit;
using System.Globalization;
using System.Text;
using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Core.Personas;

internal sealed class PersonasOptions
{
    public const string Section = "Personas";

    /// <summary>The paper's threshold, which belongs to its embedder (paraphrase-MiniLM-L6-v2).</summary>
    public const double PaperThreshold = 0.6;

    /// <summary>
    /// Filter thresholds per embedder id (or id prefix; the longest match wins), for deployments that
    /// prefer configuration to a threshold stored from the pool analysis page or `aloe personas
    /// calibrate --save` (a stored one wins: <see cref="EmbedderThresholds"/>).
    /// </summary>
    public Dictionary<string, double> Thresholds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>For an embedder without a calibrated threshold: the paper's.</summary>
    [System.ComponentModel.DataAnnotations.Range(0.0, 1.0)]
    public double FallbackThreshold { get; set; } = PaperThreshold;
}

internal sealed class PoolImportException(IReadOnlyList<string> errors)
    : Exception("Nothing was imported: " + string.Join(" ", errors.Take(5)) + (errors.Count > 5 ? $" (and {errors.Count - 5} more)" : ""))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <param name="RefreshJobId">The background job that embeds the new items and refreshes nearest neighbours, when the import queued one.</param>
public sealed record ImportResult(int Imported, int Duplicates, IReadOnlyList<string> Warnings, long? RefreshJobId = null);

public sealed record PoolItemView(long Id, PoolKind Kind, string Text, ItemSource Source, PoolSplit Split,
    long? NearestId, float? NearestSimilarity, string? NearestText);

public sealed record PoolItemPage(IReadOnlyList<PoolItemView> Items, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

public sealed record SimilarItem(long Id, string Text, PoolSplit Split, float Similarity);

public sealed record SweepPoint(double Threshold, int Kept);

public sealed record LeakageRow(PoolKind Kind, long EvalId, string EvalText, long TrainId, string TrainText, float Similarity);

public sealed record PoolSizes(PoolKind Kind, int Train, int Eval, int Seed, int Generated, int Imported);

public sealed record SimilarityQuantiles(PoolKind Kind, int Items, float? Min, float? P25, float? Median, float? P75, float? P95, float? Max);

/// <param name="ThresholdSource">Where <paramref name="Threshold"/> came from (<see cref="ThresholdChoice.Description"/>).</param>
public sealed record PoolStats(string EmbedderId, double Threshold, string ThresholdSource, IReadOnlyList<PoolSizes> Sizes,
    IReadOnlyList<SimilarityQuantiles> NearestNeighbour, int LeakageCount, int TrainPersonas, int EvalPersonas);

/// <summary>
/// The profile and personality pools: import/export, embeddings (computed once per embedder),
/// nearest neighbours, similarity histogram, threshold sweep, leakage check and stats.
/// </summary>
internal sealed class PoolService(IDbContextFactory<AloeDbContext> dbFactory, ILlmGateway llm, EmbedderThresholds thresholds, AuditLog audit, TimeProvider time, IServiceProvider services)
{
    const int EmbedBatch = 64;
    const int ImportBatch = 5_000;

    public string EmbedderId => llm.EmbedderId;

    /// <summary>The filter threshold in force for the configured embedder, and where it came from.</summary>
    public Task<ThresholdChoice> ThresholdAsync(CancellationToken cancellationToken = default) => thresholds.ResolveAsync(llm.EmbedderId, cancellationToken);

    /// <summary>How many of the pool's items (in id order) the incremental filter keeps at each threshold.</summary>
    public async Task<IReadOnlyList<int>> KeptAtAsync(PoolKind kind, IReadOnlyList<double> thresholds, CancellationToken cancellationToken = default)
    {
        await EnsureFreshAsync(kind, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (_, index) = await LoadIndexAsync(db, kind, cancellationToken);
        return index.KeptAtThresholds(thresholds);
    }

    /// <summary>
    /// Imports a whole ALOE jsonl file or nothing (one transaction): any error leaves the pool
    /// untouched. Exact duplicates of stored items are skipped. The embedding and nearest-neighbour
    /// refresh, quadratic in the pool size, is then its own job (<paramref name="refreshInBackground"/>:
    /// queued, with progress, and the web request returns) or done here.
    /// </summary>
    public async Task<ImportResult> ImportAsync(PoolKind kind, PoolSplit split, string content, ItemSource source = ItemSource.Imported,
        CancellationToken cancellationToken = default, bool refreshInBackground = false)
    {
        var read = AloeJsonl.Read(content);
        if (!read.Ok)
            throw new PoolImportException(read.Errors);
        if (read.Records.Count == 0)
            throw new PoolImportException(["The file holds no records."]);
        var added = await AddAsync(kind, split, source, read.Records.Select(r => r.Text), cancellationToken);
        // The seed pools load at start-up; that is set-up, not someone's write.
        if (source != ItemSource.Seed)
            await audit.RecordAsync(AuditActions.Import, AuditTargets.PoolItems, null, $"{added} {kind.ToString().ToLowerInvariant()} item(s) into {split.ToString().ToLowerInvariant()}, {read.Records.Count - added} duplicate(s)", cancellationToken);
        var warnings = PoolKindCheck.Warning(kind, read.Records.Select(r => r.Text).ToList()) is { } wrongKind ? [wrongKind, .. read.Warnings] : read.Warnings;
        long? job = null;
        if (refreshInBackground)
            job = (await services.GetRequiredService<JobService>().EnqueueAsync(PoolRefreshJob.JobKind, $"Refresh {kind.ToString().ToLowerInvariant()} neighbours",
                new PoolRefreshJob.Parameters { Kind = kind }, cancellationToken)).Id;
        else
            await RefreshAsync(kind, cancellationToken);
        return new ImportResult(added, read.Records.Count - added, warnings, job);
    }

    /// <summary>Adds texts not already in the pool of that kind; returns how many were added.</summary>
    internal async Task<int> AddAsync(PoolKind kind, PoolSplit split, ItemSource source, IEnumerable<string> texts, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = (await db.Set<PoolItem>().Where(i => i.Kind == kind).Select(i => i.Text).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var added = 0;
        // One transaction (all or nothing, even if the process is killed), saved in batches with the
        // change tracker cleared, so memory does not grow with the file.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var text in texts)
        {
            if (!existing.Add(text)) continue;
            db.Add(new PoolItem { Kind = kind, Split = split, Source = source, Text = text, CreatedAt = now });
            if (++added % ImportBatch == 0)
            {
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    /// <summary>Embeds the items that have no vector from the current embedder, then recomputes nearest neighbours.</summary>
    public async Task RefreshAsync(PoolKind kind, CancellationToken cancellationToken = default)
    {
        await EnsureEmbeddingsAsync(kind, cancellationToken);
        await RefreshNeighboursAsync(kind, cancellationToken);
    }

    /// <summary>Embeds and links items added without vectors (seeds, or after switching embedders); does nothing when all are current.</summary>
    public async Task EnsureFreshAsync(PoolKind kind, CancellationToken cancellationToken = default)
    {
        var embedder = llm.EmbedderId;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Set<PoolItem>().AnyAsync(i => i.Kind == kind && (i.EmbedderId == null || i.EmbedderId != embedder), cancellationToken))
            await RefreshAsync(kind, cancellationToken);
    }

    internal async Task EnsureEmbeddingsAsync(PoolKind kind, CancellationToken cancellationToken, Func<int, int, Task>? progress = null)
    {
        var embedder = llm.EmbedderId;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var missing = await db.Set<PoolItem>().Where(i => i.Kind == kind && (i.EmbedderId == null || i.EmbedderId != embedder))
            .OrderBy(i => i.Id).ToListAsync(cancellationToken);
        var done = 0;
        foreach (var batch in missing.Chunk(EmbedBatch))
        {
            if (progress is not null)
                await progress(done, missing.Count);
            done += batch.Length;
            var vectors = await llm.EmbedAsync(batch.Select(i => i.Text).ToList(), cancellationToken);
            for (var k = 0; k < batch.Length; k++)
            {
                batch[k].Embedding = EmbeddingBlob.ToBytes(vectors[k]);
                batch[k].EmbedderId = embedder;
            }
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>A pool's embedded items (id order) and their vectors, read-only: what the pages' similarity figures are computed from.</summary>
    internal sealed record PoolSnapshot(IReadOnlyList<(long Id, string Text, PoolSplit Split)> Items, SimilarityIndex Index)
    {
        readonly Lazy<IReadOnlyList<SweepPoint>> sweep = new(() =>
        {
            var kept = Index.KeptAtThresholds(SweepThresholds);
            return SweepThresholds.Select((t, i) => new SweepPoint(t, kept[i])).ToList();
        });

        public IReadOnlyList<SweepPoint> Sweep => sweep.Value;

        readonly Lazy<IReadOnlyList<(int Eval, int Train, float Similarity)>> evalNearest = new(() =>
        {
            var train = new SimilarityIndex(Index.Dimensions, Items.Count);
            var trainAt = new List<int>();
            for (var i = 0; i < Items.Count; i++)
                if (Items[i].Split == PoolSplit.Train)
                {
                    train.Add(Items[i].Id, Index.Row(i));
                    trainAt.Add(i);
                }
            var nearest = new List<(int, int, float)>();
            for (var i = 0; i < Items.Count; i++)
                if (Items[i].Split == PoolSplit.Eval && train.Nearest(Index.Row(i)) is { Index: >= 0 } n)
                    nearest.Add((i, trainAt[n.Index], n.Similarity));
            return nearest;
        });

        /// <summary>Each evaluation item's most similar training item (positions in <see cref="Items"/>), found once per snapshot: the leakage check reads it at any threshold.</summary>
        public IReadOnlyList<(int Eval, int Train, float Similarity)> EvalNearest => evalNearest.Value;
    }

    // Reading every vector of a pool (hundreds of blobs) took most of /personas, a pool item's page and
    // the analysis page, at each request. The snapshot is kept per pool and embedder until an item of it is
    // added or removed (its count or largest id moves); items are never re-embedded under the same embedder.
    readonly StampedCache<(PoolKind, string), (int Count, long MaxId), PoolSnapshot> snapshots = new();

    internal async Task<PoolSnapshot> SnapshotAsync(PoolKind kind, CancellationToken cancellationToken)
    {
        var embedder = llm.EmbedderId;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stamp = await db.Set<PoolItem>().Where(i => i.Kind == kind && i.EmbedderId == embedder).GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), MaxId = g.Max(i => i.Id) }).SingleOrDefaultAsync(cancellationToken);
        return await snapshots.GetAsync((kind, embedder), (stamp?.Count ?? 0, stamp?.MaxId ?? 0), async () =>
        {
            await using var read = await dbFactory.CreateDbContextAsync();
            var (items, index) = await LoadIndexAsync(read, kind, CancellationToken.None, tracked: false);
            return new PoolSnapshot(items.Select(i => (i.Id, i.Text, i.Split)).ToList(), index);
        });
    }

    /// <summary>The embedded items of a kind (ordered by id) and their vectors in one index.</summary>
    internal async Task<(List<PoolItem> Items, SimilarityIndex Index)> LoadIndexAsync(AloeDbContext db, PoolKind kind, CancellationToken cancellationToken, bool tracked = true)
    {
        var embedder = llm.EmbedderId;
        var items = await (tracked ? db.Set<PoolItem>() : db.Set<PoolItem>().AsNoTracking()).Where(i => i.Kind == kind && i.EmbedderId == embedder).OrderBy(i => i.Id).ToListAsync(cancellationToken);
        var dimensions = items.Count == 0 ? 1 : items[0].Embedding!.Length / sizeof(float);
        var index = new SimilarityIndex(dimensions, items.Count);
        foreach (var item in items)
            index.Add(item.Id, EmbeddingBlob.ToVector(item.Embedding!));
        return (items, index);
    }

    internal async Task RefreshNeighboursAsync(PoolKind kind, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (items, index) = await LoadIndexAsync(db, kind, cancellationToken);
        var neighbours = index.NearestNeighbours();
        for (var i = 0; i < items.Count; i++)
        {
            var n = neighbours[i];
            items[i].NearestId = n.Index < 0 ? null : index.Ids[n.Index];
            items[i].NearestSimilarity = n.Index < 0 ? null : n.Similarity;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<PoolItemPage> ListAsync(PoolKind kind, PoolSplit? split = null, ItemSource? source = null, string? search = null,
        int page = 1, int pageSize = 25, CancellationToken cancellationToken = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 200);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<PoolItem>().AsNoTracking().Where(i => i.Kind == kind);
        if (split is not null) query = query.Where(i => i.Split == split);
        if (source is not null) query = query.Where(i => i.Source == source);
        if (!string.IsNullOrWhiteSpace(search))
            query = query.Where(i => EF.Functions.Like(i.Text, "%" + search.Trim() + "%"));
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(i => i.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(i => new PoolItemView(i.Id, i.Kind, i.Text, i.Source, i.Split, i.NearestId, i.NearestSimilarity,
                db.Set<PoolItem>().Where(n => n.Id == i.NearestId).Select(n => n.Text).FirstOrDefault()))
            .ToListAsync(cancellationToken);
        return new PoolItemPage(rows, total, page, pageSize);
    }

    public async Task<PoolItem?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<PoolItem>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
    }

    /// <summary>Whether the Simulated provider wrote the item (<see cref="SimulatedItems"/>).</summary>
    public async Task<bool> IsSimulatedAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await SimulatedItems.ItemIds(db).ContainsAsync(id, cancellationToken);
    }

    /// <summary>The <paramref name="count"/> most similar items of the same kind.</summary>
    public async Task<IReadOnlyList<SimilarItem>> NeighboursAsync(long id, int count = 5, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await db.Set<PoolItem>().AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (item?.Embedding is null || item.EmbedderId != llm.EmbedderId) return [];
        var (items, index) = await SnapshotAsync(item.Kind, cancellationToken);
        var vector = EmbeddingBlob.ToVector(item.Embedding);
        return items.Select((other, i) => (other, similarity: System.Numerics.Tensors.TensorPrimitives.Dot<float>(vector, index.Row(i))))
            .Where(x => x.other.Id != id).OrderByDescending(x => x.similarity).Take(count)
            .Select(x => new SimilarItem(x.other.Id, x.other.Text, x.other.Split, x.similarity)).ToList();
    }

    /// <summary>Each item's nearest-neighbour similarity (the histogram of the pool).</summary>
    public async Task<IReadOnlyList<float>> NearestSimilaritiesAsync(PoolKind kind, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<PoolItem>().Where(i => i.Kind == kind && i.NearestSimilarity != null)
            .Select(i => i.NearestSimilarity!.Value).ToListAsync(cancellationToken);
    }

    public static IReadOnlyList<double> SweepThresholds { get; } = Enumerable.Range(0, 13).Select(i => Math.Round(0.30 + 0.05 * i, 2)).ToList();

    /// <summary>How many items the incremental filter would keep (items in id order) at each threshold from 0.30 to 0.90.</summary>
    public async Task<IReadOnlyList<SweepPoint>> SweepAsync(PoolKind kind, CancellationToken cancellationToken = default)
    {
        return (await SnapshotAsync(kind, cancellationToken)).Sweep;
    }

    /// <summary>Every evaluation item whose similarity to some training item of the same kind exceeds the threshold, with its closest training item.</summary>
    public async Task<IReadOnlyList<LeakageRow>> LeakageAsync(double? threshold = null, CancellationToken cancellationToken = default)
    {
        var limit = (float)(threshold ?? (await ThresholdAsync(cancellationToken)).Threshold);
        var rows = new List<LeakageRow>();
        foreach (var kind in Enum.GetValues<PoolKind>())
        {
            var snapshot = await SnapshotAsync(kind, cancellationToken);
            var items = snapshot.Items;
            foreach (var (eval, train, similarity) in snapshot.EvalNearest)
                if (similarity > limit)
                    rows.Add(new LeakageRow(kind, items[eval].Id, items[eval].Text, items[train].Id, items[train].Text, similarity));
        }
        return rows.OrderByDescending(r => r.Similarity).ToList();
    }

    // The tiles above /personas (and the generation form) read every pool several times: about 30 ms of
    // CPU per request with the ALOE pools and 10,000 personas. Kept until the pools or personas change:
    // an item added or removed (count, largest id), neighbours refreshed (how many are linked and the sum
    // of their similarities), a persona paired or removed, another embedder or threshold in force.
    readonly StampedCache<int, (string Embedder, ThresholdChoice Threshold, int Items, long MaxItem, int Linked, double Nearest, int Personas, long MaxPersona), PoolStats> statsCache = new(1);

    public async Task<PoolStats> StatsAsync(CancellationToken cancellationToken = default)
    {
        var embedder = llm.EmbedderId;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var items = await db.Set<PoolItem>().GroupBy(_ => 1).Select(g => new
        {
            Count = g.Count(), MaxId = g.Max(i => i.Id), Stale = g.Count(i => i.EmbedderId == null || i.EmbedderId != embedder),
            Linked = g.Count(i => i.NearestSimilarity != null), Nearest = g.Sum(i => (double?)i.NearestSimilarity) ?? 0,
        }).SingleOrDefaultAsync(cancellationToken);
        if (items is { Stale: > 0 })
            return await ComputeStatsAsync(cancellationToken); // embeds and links the new items first
        var personas = await db.Set<Persona>().GroupBy(_ => 1).Select(g => new { Count = g.Count(), MaxId = g.Max(p => p.Id) }).SingleOrDefaultAsync(cancellationToken);
        var stamp = (embedder, await ThresholdAsync(cancellationToken), items?.Count ?? 0, items?.MaxId ?? 0, items?.Linked ?? 0, Math.Round(items?.Nearest ?? 0, 4), personas?.Count ?? 0, personas?.MaxId ?? 0);
        return await statsCache.GetAsync(0, stamp, () => ComputeStatsAsync(CancellationToken.None));
    }

    async Task<PoolStats> ComputeStatsAsync(CancellationToken cancellationToken)
    {
        foreach (var kind in Enum.GetValues<PoolKind>())
            await EnsureFreshAsync(kind, cancellationToken);
        var sizes = new List<PoolSizes>();
        var quantiles = new List<SimilarityQuantiles>();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var counts = await db.Set<PoolItem>().GroupBy(i => new { i.Kind, i.Split, i.Source })
                .Select(g => new { g.Key.Kind, g.Key.Split, g.Key.Source, Count = g.Count() }).ToListAsync(cancellationToken);
            foreach (var kind in Enum.GetValues<PoolKind>())
            {
                var of = counts.Where(c => c.Kind == kind).ToList();
                sizes.Add(new PoolSizes(kind, of.Where(c => c.Split == PoolSplit.Train).Sum(c => c.Count), of.Where(c => c.Split == PoolSplit.Eval).Sum(c => c.Count),
                    of.Where(c => c.Source == ItemSource.Seed).Sum(c => c.Count), of.Where(c => c.Source == ItemSource.Generated).Sum(c => c.Count),
                    of.Where(c => c.Source == ItemSource.Imported).Sum(c => c.Count)));
            }
        }
        foreach (var kind in Enum.GetValues<PoolKind>())
        {
            var sims = (await NearestSimilaritiesAsync(kind, cancellationToken)).Order().ToList();
            quantiles.Add(new SimilarityQuantiles(kind, sims.Count, Quantile(sims, 0), Quantile(sims, 0.25), Quantile(sims, 0.5), Quantile(sims, 0.75), Quantile(sims, 0.95), Quantile(sims, 1)));
        }
        var leakage = await LeakageAsync(cancellationToken: cancellationToken);
        await using var db2 = await dbFactory.CreateDbContextAsync(cancellationToken);
        var train = await db2.Set<Persona>().CountAsync(p => p.Split == PoolSplit.Train, cancellationToken);
        var eval = await db2.Set<Persona>().CountAsync(p => p.Split == PoolSplit.Eval, cancellationToken);
        var threshold = await ThresholdAsync(cancellationToken);
        return new PoolStats(llm.EmbedderId, threshold.Threshold, threshold.Description, sizes, quantiles, leakage.Count, train, eval);
    }

    /// <summary>Linear interpolation between order statistics (numpy's default), on sorted values.</summary>
    internal static float? Quantile(IReadOnlyList<float> sorted, double q)
    {
        if (sorted.Count == 0) return null;
        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return (float)(sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower));
    }

    public async Task<string> ExportJsonlAsync(PoolKind kind, PoolSplit split, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var texts = await db.Set<PoolItem>().Where(i => i.Kind == kind && i.Split == split).OrderBy(i => i.Id).Select(i => i.Text).ToListAsync(cancellationToken);
        await audit.RecordAsync(AuditActions.Export, AuditTargets.PoolItems, null, $"{texts.Count} {kind.ToString().ToLowerInvariant()} item(s) as JSONL", cancellationToken);
        return AloeJsonl.Write(texts);
    }

    public async Task<string> ExportCsvAsync(PoolKind? kind = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<PoolItem>().AsNoTracking();
        if (kind is not null) query = query.Where(i => i.Kind == kind);
        var items = await query.OrderBy(i => i.Kind).ThenBy(i => i.Id).ToListAsync(cancellationToken);
        await audit.RecordAsync(AuditActions.Export, AuditTargets.PoolItems, null, $"{items.Count} item(s) as CSV", cancellationToken);
        var csv = new StringBuilder("id,kind,split,source,text,nearest_id,nearest_similarity\n");
        foreach (var i in items)
            csv.Append(CultureInfo.InvariantCulture, $"{i.Id},{i.Kind.ToString().ToLowerInvariant()},{i.Split.ToString().ToLowerInvariant()},{i.Source.ToString().ToLowerInvariant()},{Csv.Field(i.Text)},{i.NearestId},{i.NearestSimilarity?.ToString("0.0000", CultureInfo.InvariantCulture)}\n");
        return csv.ToString();
    }
}
