using System.Threading.Channels;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Aloe.Core.Llm;

/// <summary>
/// Writes call-log rows and new cache entries in batches from one background loop, so a call
/// never waits on the database. <see cref="FlushAsync"/> (and dispose) waits until everything queued is stored.
/// </summary>
internal sealed class LlmCallLog : IAsyncDisposable, IDisposable
{
    readonly Channel<object> queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    readonly DbContextOptions<AloeDbContext> dbOptions;
    readonly ILogger logger;
    readonly Task loop;
    int disposed;

    // Own options over the same connection, not the factory: the last batch is written while the
    // container disposes, when contexts bound to the application's services can no longer be made.
    readonly LlmCacheStore cache;

    public LlmCallLog(AloeDatabase database, LlmCacheStore cache, ILogger<LlmCallLog> logger)
    {
        this.cache = cache;
        dbOptions = (DbContextOptions<AloeDbContext>)database.Configure(new DbContextOptionsBuilder<AloeDbContext>()).Options;
        this.logger = logger;
        loop = Task.Run(RunAsync);
    }

    public void Add(LlmCall call) => queue.Writer.TryWrite(call);

    public void Add(LlmCacheEntry entry) => queue.Writer.TryWrite(entry);

    /// <summary>Completes when every row queued before the call is in the database.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return queue.Writer.TryWrite(done) ? done.Task : Task.CompletedTask;
    }

    async Task RunAsync()
    {
        var calls = new List<LlmCall>();
        var entries = new Dictionary<string, LlmCacheEntry>(StringComparer.Ordinal);
        var flushes = new List<TaskCompletionSource>();
        while (await queue.Reader.WaitToReadAsync())
        {
            while (calls.Count + entries.Count < 1000 && queue.Reader.TryRead(out var item))
            {
                switch (item)
                {
                    case LlmCall call: calls.Add(call); break;
                    case LlmCacheEntry entry: entries.TryAdd(entry.Key, entry); break;
                    case TaskCompletionSource flush: flushes.Add(flush); break;
                }
            }
            try
            {
                await WriteAsync(calls, entries.Values.ToList());
            }
            catch (Exception e)
            {
                // The log must never take a run down; a lost batch is reported, not rethrown.
                logger.LogError(e, "Could not store {Calls} LLM call log rows and {Entries} cache entries.", calls.Count, entries.Count);
            }
            calls.Clear();
            entries.Clear();
            foreach (var flush in flushes)
                flush.TrySetResult();
            flushes.Clear();
        }
    }

    async Task WriteAsync(List<LlmCall> calls, IReadOnlyCollection<LlmCacheEntry> entries)
    {
        await cache.AddAsync(entries);
        if (calls.Count == 0)
            return;
        await using var db = new AloeDbContext(dbOptions);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.Set<LlmCall>().AddRange(calls);
        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
            return;
        queue.Writer.TryComplete();
        await loop;
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
