using Aloe.Core.Jobs;

namespace Aloe.Core.Personas;

/// <summary>
/// Embeds a pool's new items and recomputes every item's nearest neighbour, as a job of its own
/// after an import: the import commits at once, and the refresh (quadratic in the pool size)
/// shows its progress and can be cancelled or retried. Safe to re-run: it embeds only what lacks a vector.
/// </summary>
internal sealed class PoolRefreshJob(PoolService pools) : IJobHandler
{
    public const string JobKind = "personas.refresh";
    public string Kind => JobKind;

    public sealed class Parameters
    {
        public PoolKind Kind { get; set; }
    }

    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var kind = context.Parameters<Parameters>().Kind;
        var total = 0;
        await pools.EnsureEmbeddingsAsync(kind, cancellationToken, async (done, count) =>
        {
            total = count + 1;
            await context.ReportAsync(done, total, $"Embedding {done:N0} of {count:N0} items", cancellationToken: cancellationToken);
        });
        await context.ReportAsync(Math.Max(0, total - 1), Math.Max(1, total), "Computing nearest neighbours", cancellationToken: cancellationToken);
        await pools.RefreshNeighboursAsync(kind, cancellationToken);
        await context.ReportAsync(Math.Max(1, total), Math.Max(1, total), "Nearest neighbours up to date", cancellationToken: cancellationToken);
    }
}
