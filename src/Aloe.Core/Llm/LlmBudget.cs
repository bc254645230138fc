using Aloe.Core.Audit;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aloe.Core.Llm;

/// <summary>A run's spending cap in US dollars (the run is a job run; spending comes from the call log).</summary>
public sealed class LlmRunBudget
{
    public long RunId { get; set; }
    public double CapUsd { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class LlmRunBudgetConfiguration : IEntityTypeConfiguration<LlmRunBudget>
{
    public void Configure(EntityTypeBuilder<LlmRunBudget> builder)
    {
        builder.ToTable("LlmRunBudgets");
        builder.HasKey(b => b.RunId);
        builder.Property(b => b.RunId).ValueGeneratedNever();
    }
}

/// <summary>A run stopped at its budget; the message says how much was spent and how to go on.</summary>
public sealed class LlmBudgetExceededException(string message) : Exception(message);

/// <summary>
/// The money a run may still spend while it executes: upstream calls are charged as they finish;
/// at the cap the run's token is cancelled, so its work stops the way a cancel stops it (everything
/// finished is stored) and no further upstream call starts. Cache hits cost nothing and stay allowed.
/// </summary>
public sealed class LlmBudget : IDisposable
{
    readonly CancellationTokenSource exhausted = new();
    readonly object gate = new();
    double spent;

    public LlmBudget(double capUsd, double spentUsd)
    {
        CapUsd = capUsd;
        spent = spentUsd;
        if (spent >= CapUsd)
            exhausted.Cancel();
    }

    public double CapUsd { get; }

    public double SpentUsd { get { lock (gate) return spent; } }

    public bool Exhausted => exhausted.IsCancellationRequested;

    public CancellationToken Token => exhausted.Token;

    /// <summary>Refuses a new upstream call once the cap is reached.</summary>
    public void ThrowIfExhausted() => exhausted.Token.ThrowIfCancellationRequested();

    public void Charge(double usd)
    {
        bool reached;
        lock (gate)
        {
            spent += usd;
            reached = spent >= CapUsd;
        }
        if (reached)
            exhausted.Cancel();
    }

    public void Dispose() => exhausted.Dispose();
}

/// <summary>Refuses upstream calls of a run over its budget and charges each one's cost (between the cache and the cost middleware).</summary>
internal sealed class BudgetChatClient(Microsoft.Extensions.AI.IChatClient inner) : Microsoft.Extensions.AI.DelegatingChatClient(inner)
{
    public override async Task<Microsoft.Extensions.AI.ChatResponse> GetResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages,
        Microsoft.Extensions.AI.ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (LlmRunScope.Budget is not { } budget)
            return await base.GetResponseAsync(messages, options, cancellationToken);
        budget.ThrowIfExhausted();
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        if (LlmChatOptions.Of(options) is { } state)
            budget.Charge(state.Cost);
        return response;
    }
}

/// <summary>The sampling and spending scope of one executing run: its seed, its budget and the token its work must use.</summary>
public sealed class LlmRunSampling : IDisposable
{
    readonly IDisposable scope;
    readonly CancellationTokenSource? linked;

    /// <summary>
    /// Opens the scope on the caller's flow (synchronously: a scope opened inside an async method
    /// would end with that method). Calls under it use the seed and are charged to the budget.
    /// </summary>
    /// <param name="seed">The run's sample seed; null when the work opens its own seed scope inside (the budget carries over).</param>
    public static LlmRunSampling Begin(int? seed, LlmBudget? budget, CancellationToken cancellationToken) => new(seed, budget, cancellationToken);

    LlmRunSampling(int? seed, LlmBudget? budget, CancellationToken cancellationToken)
    {
        Budget = budget;
        scope = LlmRunScope.Begin(seed, budget);
        linked = budget is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        Token = linked?.Token ?? cancellationToken;
    }

    public LlmBudget? Budget { get; }

    /// <summary>Cancelled when the caller cancels or the budget is spent.</summary>
    public CancellationToken Token { get; }

    /// <summary>True when the run stopped because its budget is spent (not because it was cancelled).</summary>
    public bool StoppedByBudget(CancellationToken original) => Budget is { Exhausted: true } && !original.IsCancellationRequested;

    public LlmBudgetExceededException Exceeded(long runId) => new(
        $"Stopped at the budget cap: ${Budget!.SpentUsd:0.####} spent of ${Budget.CapUsd:0.####}. Everything finished is kept; " +
        $"raise the budget (aloe llm budget {runId} USD, or PUT /api/llm/runs/{runId}/budget) and resume the run.");

    public void Dispose()
    {
        scope.Dispose();
        linked?.Dispose();
        Budget?.Dispose();
    }
}

public static class LlmRunSamplingExtensions
{
    /// <summary>
    /// A run's budget (cap from the table, spending so far from the call log, earlier attempts
    /// included), or null without a cap or where the budget service is not registered (hosts without
    /// the call log, such as tests with a scripted gateway). Pass it to <see cref="LlmRunSampling.Begin"/>.
    /// </summary>
    public static async Task<LlmBudget?> LlmBudgetAsync(this IServiceProvider services, long runId, CancellationToken cancellationToken) =>
        services.GetService(typeof(LlmBudgetService)) is LlmBudgetService budgets ? await budgets.BudgetAsync(runId, cancellationToken) : null;
}

/// <summary>Budgets per run: set or raise a cap, read spending from the call log, open a run's sampling scope.</summary>
internal sealed class LlmBudgetService(IDbContextFactory<AloeDbContext> dbFactory, LlmCallLog log, AuditLog audit, TimeProvider time)
{
    /// <summary>Sets (or with null removes) the cap of a job run.</summary>
    public async Task SetAsync(long runId, double? capUsd, CancellationToken cancellationToken = default)
    {
        if (capUsd is < 0)
            throw new ArgumentException("A budget cannot be negative.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var budget = await db.Set<LlmRunBudget>().SingleOrDefaultAsync(b => b.RunId == runId, cancellationToken);
        if (capUsd is null)
        {
            if (budget is not null)
                db.Remove(budget);
        }
        else if (budget is null)
            db.Add(new LlmRunBudget { RunId = runId, CapUsd = capUsd.Value, UpdatedAt = time.GetUtcNow() });
        else
            (budget.CapUsd, budget.UpdatedAt) = (capUsd.Value, time.GetUtcNow());
        audit.Add(db, AuditActions.Settings, AuditTargets.Job, runId, capUsd is null ? "budget cap removed" : $"budget cap ${capUsd.Value:0.00}");
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<LlmBudgetStatus> GetAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cap = await db.Set<LlmRunBudget>().Where(b => b.RunId == runId).Select(b => (double?)b.CapUsd).SingleOrDefaultAsync(cancellationToken);
        var spent = await SpentAsync(runId, cancellationToken);
        return new LlmBudgetStatus(runId, cap, spent, cap is { } c && spent >= c);
    }

    async Task<double> SpentAsync(long runId, CancellationToken cancellationToken)
    {
        await log.FlushAsync();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<LlmCall>().Where(c => c.RunId == runId).SumAsync(c => c.Cost, cancellationToken);
    }

    public async Task<LlmBudget?> BudgetAsync(long runId, CancellationToken cancellationToken)
    {
        var status = await GetAsync(runId, cancellationToken);
        return status.CapUsd is { } cap ? new LlmBudget(cap, status.SpentUsd) : null;
    }
}

public sealed record LlmBudgetStatus(long RunId, double? CapUsd, double SpentUsd, bool Reached);
