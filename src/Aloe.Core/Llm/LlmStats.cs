using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Llm;

/// <summary>Call statistics of one role. Latency percentiles cover upstream calls only (cache hits excluded), in milliseconds.</summary>
public sealed record LlmRoleStats(LlmRole Role, int Calls, long InputTokens, long OutputTokens, double Cost, int CacheHits, int Errors,
    double? P50LatencyMs, double? P95LatencyMs);

/// <summary>A run's calls in total: how many, how many the cache answered (no upstream call, no cost), tokens and cost.</summary>
public sealed record LlmRunCalls(int Calls, int FromCache, int Errors, long InputTokens, long OutputTokens, double Cost)
{
    public static LlmRunCalls From(IReadOnlyList<LlmRoleStats> byRole) => new(byRole.Sum(r => r.Calls), byRole.Sum(r => r.CacheHits), byRole.Sum(r => r.Errors),
        byRole.Sum(r => r.InputTokens), byRole.Sum(r => r.OutputTokens), byRole.Sum(r => r.Cost));
}

/// <summary>Aggregates the call log for the settings page, the JSON API and `aloe llm stats`.</summary>
internal sealed class LlmStatsService(IDbContextFactory<AloeDbContext> dbFactory, LlmCallLog log)
{
    /// <summary>Every call, or those of one run (a job run's id).</summary>
    public Task<IReadOnlyList<LlmRoleStats>> ByRoleAsync(long? runId = null, CancellationToken cancellationToken = default) =>
        ByRoleAsync(runId is { } id ? [id] : null, cancellationToken);

    /// <summary>Every call, or those of the given runs together (e.g. a benchmark run's job and its re-judging jobs).</summary>
    public async Task<IReadOnlyList<LlmRoleStats>> ByRoleAsync(IReadOnlyCollection<long>? runIds, CancellationToken cancellationToken = default)
    {
        await log.FlushAsync();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stamp = await Calls(db, runIds).GroupBy(_ => 1).Select(g => new { Count = g.Count(), MaxId = g.Max(c => c.Id) }).SingleOrDefaultAsync(cancellationToken);
        var key = runIds is null ? "" : string.Join(',', runIds.Order());
        return await cache.GetAsync(key, (stamp?.Count ?? 0, stamp?.MaxId ?? 0), () => ComputeAsync(runIds, CancellationToken.None));
    }

    // The percentiles read every call's latency: on the settings page (the whole log) that was tens of ms
    // per request at 6,000 calls and grows with the log. Kept until a call is logged or removed.
    readonly StampedCache<string, (int Count, long MaxId), IReadOnlyList<LlmRoleStats>> cache = new();

    static IQueryable<LlmCall> Calls(AloeDbContext db, IReadOnlyCollection<long>? runIds)
    {
        var calls = db.Set<LlmCall>().AsNoTracking();
        return runIds is null ? calls : calls.Where(c => c.RunId != null && runIds.Contains(c.RunId.Value));
    }

    async Task<IReadOnlyList<LlmRoleStats>> ComputeAsync(IReadOnlyCollection<long>? runIds, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var calls = Calls(db, runIds);
        var totals = await calls.GroupBy(c => c.Role).Select(g => new
        {
            Role = g.Key,
            Calls = g.Count(),
            Input = g.Sum(c => (long)c.InputTokens),
            Output = g.Sum(c => (long)c.OutputTokens),
            Cost = g.Sum(c => c.Cost),
            Hits = g.Count(c => c.CacheHit),
            Errors = g.Count(c => c.Error != null),
        }).ToListAsync(cancellationToken);
        var latencies = (await calls.Where(c => !c.CacheHit && c.Error == null).Select(c => new { c.Role, c.LatencyMs }).ToListAsync(cancellationToken))
            .GroupBy(c => c.Role).ToDictionary(g => g.Key, g => g.Select(c => c.LatencyMs).Order().ToArray());
        return totals.OrderBy(t => t.Role).Select(t =>
        {
            var sorted = latencies.GetValueOrDefault(t.Role) ?? [];
            return new LlmRoleStats(t.Role, t.Calls, t.Input, t.Output, t.Cost, t.Hits, t.Errors, Percentile(sorted, 0.50), Percentile(sorted, 0.95));
        }).ToList();
    }

    /// <summary>Nearest-rank percentile of sorted values; null when there are none.</summary>
    internal static double? Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? null : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)], 1);
}
