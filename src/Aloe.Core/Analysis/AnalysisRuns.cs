using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aloe.Core.Analysis;

/// <summary>The latest analysis run as a page shows it: progress while it runs, the report after.</summary>
internal sealed record AnalysisRunState(int Id, string Source, bool Simulated, SamplerOptions Options, int Rows,
    double Progress, bool Running, string? Error, ConstructivenessReport? Report, DateTimeOffset StartedAt);

/// <summary>
/// Runs the analyses in the background (a fit takes seconds to minutes) and tells listeners of progress.
/// In memory: a report is recomputed from the stored scores, it is not itself stored; one run at a time.
/// </summary>
internal sealed class AnalysisRuns(TimeProvider time)
{
    readonly Lock gate = new();
    CancellationTokenSource? running;
    int lastId;

    public AnalysisRunState? Current { get; private set; }

    /// <summary>Raised on progress and completion (from a worker thread).</summary>
    public event Action? Changed;

    public AnalysisRunState Start(string source, bool simulated, IReadOnlyList<ScoredResponse> rows, SamplerOptions options)
    {
        options.Validate();
        CancellationTokenSource cancel;
        AnalysisRunState state;
        lock (gate)
        {
            running?.Cancel();
            cancel = running = new CancellationTokenSource();
            state = Current = new AnalysisRunState(++lastId, source, simulated, options, rows.Count, 0, true, null, null, time.GetUtcNow());
        }
        Changed?.Invoke();
        var id = state.Id;
        _ = Task.Run(() =>
        {
            var lastReported = -1;
            var progress = new InlineProgress(p =>
            {
                var percent = (int)(p * 100);
                if (percent == lastReported)
                    return;
                lastReported = percent;
                Update(id, s => s with { Progress = p });
            });
            try
            {
                var report = ConstructivenessAnalysis.Run(rows, options, progress, cancel.Token);
                Update(id, s => s with { Progress = 1, Running = false, Report = report });
            }
            catch (OperationCanceledException)
            {
                Update(id, s => s with { Running = false, Error = "Cancelled." });
            }
            catch (Exception ex) when (ex is ModelSpecificationException or InvalidOperationException)
            {
                Update(id, s => s with { Running = false, Error = ex.Message });
            }
        });
        return state;
    }

    void Update(int id, Func<AnalysisRunState, AnalysisRunState> change)
    {
        lock (gate)
        {
            if (Current is null || Current.Id != id)
                return;
            Current = change(Current);
        }
        Changed?.Invoke();
    }
}

public static class AnalysisExtensions
{
    /// <summary>The constructiveness analyses (models in memory; scores come from the scoring feature).</summary>
    public static IHostApplicationBuilder AddAnalysis(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AnalysisRuns>();
        return builder;
    }
}
