using System.Collections.Concurrent;

namespace Aloe.Core.Data;

/// <summary>
/// Derived results that are costly to compute from many rows (a run's disclosure curve, a pool's
/// similarity index, the whole call log's latencies) kept until their source changes. The caller
/// reads a cheap stamp from the database first (counts, the largest id, the latest update), so a
/// write from any process (the CLI, another worker) is seen on the next read, and nothing has to
/// remember to invalidate. Concurrent readers of a missing or stale entry share one computation,
/// so 50 users opening the same page compute it once. One entry per key (a run, a pool kind): the
/// cache is bounded by the number of keys; a result that failed is not kept.
/// </summary>
public sealed class StampedCache<TKey, TStamp, TValue> where TKey : notnull
{
    readonly ConcurrentDictionary<TKey, (TStamp Stamp, Lazy<Task<TValue>> Value)> entries = new();
    readonly int capacity;

    /// <param name="capacity">More keys than this and the cache starts over (keys are runs or pool kinds: a handful are read at a time).</param>
    public StampedCache(int capacity = 256) => this.capacity = capacity;

    public async Task<TValue> GetAsync(TKey key, TStamp stamp, Func<Task<TValue>> compute)
    {
        if (entries.Count > capacity)
            entries.Clear();
        var entry = entries.AddOrUpdate(key,
            _ => (stamp, new Lazy<Task<TValue>>(compute)),
            (_, old) => EqualityComparer<TStamp>.Default.Equals(old.Stamp, stamp) ? old : (stamp, new Lazy<Task<TValue>>(compute)));
        try
        {
            return await entry.Value.Value;
        }
        catch
        {
            entries.TryRemove(new KeyValuePair<TKey, (TStamp, Lazy<Task<TValue>>)>(key, entry));
            throw;
        }
    }
}
