using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Aloe.Web.Tests.Support;

/// <summary>
/// Times each circuit's disconnect request (a tab that leaves a page or closes sends one) and checks
/// at a browser fixture's end that every circuit ended promptly. Ending a circuit disposes its charts;
/// a chart whose first draw was in flight when the tab left waited for an answer that never came and
/// held the circuit, its disconnect and the app's shutdown without end, until PendingJsCalls.
/// </summary>
public sealed class CircuitDisconnects : IStartupFilter
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    readonly ConcurrentQueue<TimeSpan> finished = new();
    int started;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (!context.Request.Path.StartsWithSegments("/_blazor/disconnect"))
            {
                await nextMiddleware();
                return;
            }
            Interlocked.Increment(ref started);
            var clock = Stopwatch.StartNew();
            try { await nextMiddleware(); }
            finally { finished.Enqueue(clock.Elapsed); }
        });
        next(app);
    };

    /// <summary>Waits for the disconnects under way to end and fails if one took longer than <see cref="Limit"/>.</summary>
    public async Task CheckAsync()
    {
        var waited = Stopwatch.StartNew();
        while (finished.Count < Volatile.Read(ref started) && waited.Elapsed < Limit + TimeSpan.FromSeconds(5))
            await Task.Delay(100);
        var open = Volatile.Read(ref started) - finished.Count;
        var slowest = finished.DefaultIfEmpty().Max();
        if (open > 0 || slowest > Limit)
            throw new InvalidOperationException(
                $"Circuits did not end promptly: {open} disconnect request(s) still open, the slowest of {finished.Count} took {slowest.TotalSeconds:0.0} s (limit {Limit.TotalSeconds} s).");
    }
}
