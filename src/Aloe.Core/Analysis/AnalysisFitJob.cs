using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aloe.Core.Analysis.Scoring;
using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aloe.Core.Analysis;

/// <summary>What an analysis run was asked to do: which scores, which sampler settings, by which build.</summary>
public sealed class AnalysisFitParameters
{
    /// <summary>A scoring source (dialogues, benchmark, annotations, prism) or <see cref="AnalysisFits.Demo"/>.</summary>
    public string Source { get; set; } = AnalysisFits.Demo;
    public string? Scorer { get; set; }
    /// <summary>Resolved when the run is queued, so a resumed run reads the same scores.</summary>
    public string? ScorerVersion { get; set; }
    public int Chains { get; set; } = 4;
    public int Warmup { get; set; } = 1000;
    public int Draws { get; set; } = 1000;
    public ulong Seed { get; set; } = new SamplerOptions().Seed;
    public string AppVersion { get; set; } = AnalysisFits.AppVersion;

    [JsonIgnore] public SamplerOptions Options => new(Chains, Warmup, Draws, Seed);
    /// <summary>Demo data, or scores of the Simulated scorer: not a measurement.</summary>
    [JsonIgnore] public bool Simulated => Source == AnalysisFits.Demo || Scorer == SimulatedAttributeScorer.ScorerId;
    [JsonIgnore] public string DataLabel => Source == AnalysisFits.Demo ? "Simulated demo data" : $"{Source} scored by {Scorer} {ScorerVersion}";
}

/// <summary>
/// The job's checkpoint, which is also its stored result: the fits finished so far (a resumed run
/// skips them), the input's size and, once complete, the distributions. Trace plots keep at most
/// <see cref="AnalysisFitJob.TraceDraws"/> draws per chain, of the preference models only.
/// </summary>
internal sealed record AnalysisCheckpoint(int Rows, int Responses, int MissingAttributes, int WithoutPrompt, IReadOnlyList<string> Planned,
    IReadOnlyList<LabelledFit> Fits, IReadOnlyDictionary<string, Posterior> Traces, IReadOnlyList<AttributeDistribution>? Distributions);

/// <summary>The last analysis run as the page and `aloe analysis report` show it.</summary>
internal sealed record StoredAnalysis(JobRun Run, AnalysisFitParameters Parameters, AnalysisCheckpoint? Result)
{
    /// <summary>Everything fitted so far (all of it once the run succeeded); null before the first model finished.</summary>
    public ConstructivenessReport? Report => Result is { Fits.Count: > 0 } r
        ? ConstructivenessAnalysis.Assemble(r.Fits.Select(f => f.Fit is null ? f : f with { Fit = f.Fit with { Posterior = r.Traces.GetValueOrDefault(f.Key) ?? Posterior.None } }).ToList(),
            r.Distributions ?? [])
        : null;

    /// <param name="origin">"stored" (the last run that finished, read back) or "ran" (run by this command).</param>
    public AnalysisReportJson ToJson(string origin) => new(origin, Run.Id, Run.Status.ToString(), Parameters.Source, Parameters.Scorer, Parameters.ScorerVersion,
        Parameters.Simulated, Parameters.Seed, Parameters.Chains, Parameters.Warmup, Parameters.Draws, Parameters.AppVersion, Result?.Rows ?? 0, Run.FinishedAt,
        (Result?.Fits ?? []).Select(f => new ModelReportJson(f.Analysis, f.Label, f.Formula, f.Fit?.ToJson(), f.Skipped, f.Fit?.Warnings ?? [])).ToList());
}

/// <summary>`aloe analysis report --json`: one run's models with the fit command's summaries, and where they came from.</summary>
public sealed record AnalysisReportJson(
    [property: JsonPropertyName("origin")] string Origin,
    [property: JsonPropertyName("run_id")] long RunId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("scorer")] string? Scorer,
    [property: JsonPropertyName("scorer_version")] string? ScorerVersion,
    [property: JsonPropertyName("simulated")] bool Simulated,
    [property: JsonPropertyName("seed")] ulong Seed,
    [property: JsonPropertyName("chains")] int Chains,
    [property: JsonPropertyName("warmup")] int Warmup,
    [property: JsonPropertyName("draws")] int Draws,
    [property: JsonPropertyName("app_version")] string AppVersion,
    [property: JsonPropertyName("rows")] int Rows,
    [property: JsonPropertyName("finished_at")] DateTimeOffset? FinishedAt,
    [property: JsonPropertyName("models")] IReadOnlyList<ModelReportJson> Models);

public sealed record ModelReportJson(
    [property: JsonPropertyName("analysis")] string Analysis,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("formula")] string Formula,
    [property: JsonPropertyName("fit")] FitJson? Fit,
    [property: JsonPropertyName("skipped")] string? Skipped,
    [property: JsonPropertyName("warnings")] IReadOnlyList<string> Warnings);

/// <summary>
/// Runs the paper's analyses (<see cref="ConstructivenessAnalysis"/>) as a job: one model after the
/// other, progress in chain iterations, a checkpoint after each model (the stored result), and a
/// cancel seen within about a second even in the middle of a fit.
/// </summary>
internal sealed class AnalysisFitJob(AnalysisFits fits, TimeProvider time) : IJobHandler
{
    public const string JobKind = "analysis-fit";
    public const int TraceDraws = 250;
    public string Kind => JobKind;

    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters<AnalysisFitParameters>();
        var options = parameters.Options;
        options.Validate();
        var input = await fits.LoadRowsAsync(parameters, cancellationToken);
        var rows = input.Rows;
        var plan = ConstructivenessAnalysis.Plan(rows);
        var previous = AnalysisFits.ReadCheckpoint(context.Checkpoint<JsonElement?>());
        // Resume: keep the fits of models this run finished before (the plan is the same, as the scores are pinned by version).
        var done = (previous?.Fits ?? []).Where(f => plan.Any(p => p.Key == f.Key)).ToList();
        var traces = new Dictionary<string, Posterior>(previous?.Traces ?? new Dictionary<string, Posterior>());
        long perModel = (long)options.Chains * options.Iterations;
        var total = (int)Math.Min(int.MaxValue, perModel * plan.Count);
        AnalysisCheckpoint Checkpoint(IReadOnlyList<AttributeDistribution>? distributions) =>
            new(rows.Count, input.Responses, input.MissingAttributes, input.WithoutPrompt, plan.Select(p => p.Key).ToList(), done.ToList(), traces, distributions);
        int Units(double modelsDone) => (int)Math.Min(total, modelsDone * perModel);
        string Message(int model, PlannedFit planned) => string.Create(CultureInfo.InvariantCulture,
            $"Model {model + 1} of {plan.Count}: {planned.Key} ({rows.Count:N0} rows of {parameters.DataLabel}{(parameters.Simulated ? ", simulated" : "")})");

        foreach (var (planned, m) in plan.Select((p, i) => (p, i)))
        {
            if (done.Any(f => f.Key == planned.Key))
                continue;
            var progress = 0.0;
            using var fitCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var fitTask = Task.Run(() => ConstructivenessAnalysis.Fit(planned, rows, options, new InlineProgress(p => Volatile.Write(ref progress, p)), fitCancel.Token), CancellationToken.None);
            while (!fitTask.IsCompleted)
            {
                await Task.WhenAny(fitTask, Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken));
                if (fitTask.IsCompleted)
                    break;
                try
                {
                    // The progress write is also where a cancel request from the page or CLI is seen.
                    await context.ReportAsync(Units(done.Count + Volatile.Read(ref progress)), total, Message(m, planned), cancellationToken: cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    await fitCancel.CancelAsync();
                    try { await fitTask; } catch (OperationCanceledException) { }
                    throw;
                }
            }
            var fit = await fitTask;
            if (fit.Fit is { } f && planned.Analysis.StartsWith('1'))
                traces[planned.Key] = f.Posterior.Thinned(TraceDraws);
            done.Add(fit);
            await context.ReportAsync(Units(done.Count), total, Message(m, planned), AnalysisFits.WriteCheckpoint(Checkpoint(null)), cancellationToken);
        }
        var finished = string.Create(CultureInfo.InvariantCulture,
            $"{done.Count(f => f.Fit is not null)} of {plan.Count} models fitted on {rows.Count:N0} rows of {parameters.DataLabel}{(parameters.Simulated ? " (simulated)" : "")}");
        await context.ReportAsync(total, total, finished, AnalysisFits.WriteCheckpoint(Checkpoint(ConstructivenessAnalysis.Distributions(rows))), cancellationToken);
    }
}

/// <summary>Starts analysis runs, loads their input (stored scores or the demo data) and reads back the last run.</summary>
internal sealed class AnalysisFits(IDbContextFactory<AloeDbContext> dbFactory, JobService jobs, ScoredTableService tables)
{
    /// <summary>The source name of <see cref="SimulatedScores"/>: generated rows, no stored scores.</summary>
    public const string Demo = "demo";

    public static readonly string AppVersion = typeof(AnalysisFits).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    // NaN (an R-hat of one chain) and Infinity (an evidence ratio with every draw on one side) are valid summaries.
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    internal static JsonElement WriteCheckpoint(AnalysisCheckpoint checkpoint) => JsonSerializer.SerializeToElement(checkpoint, Json);

    internal static AnalysisCheckpoint? ReadCheckpoint(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Object } e ? e.Deserialize<AnalysisCheckpoint>(Json) : null;

    /// <summary>Queues a run; the scorer version is pinned to the one that scored last, so the run (and a resume) reads one set of scores.</summary>
    public async Task<JobRun> StartAsync(AnalysisFitParameters parameters, CancellationToken cancellationToken = default)
    {
        parameters.Options.Validate();
        parameters.AppVersion = AppVersion;
        if (parameters.Source == Demo)
            (parameters.Scorer, parameters.ScorerVersion) = (null, null);
        else
        {
            if (!ScoringSources.All.Contains(parameters.Source))
                throw new ArgumentException(AttributeScoringService.UnknownSource(parameters.Source));
            if (string.IsNullOrEmpty(parameters.Scorer))
                throw new ArgumentException("Choose the scorer whose scores the analyses use.");
            if (parameters.ScorerVersion is null)
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                parameters.ScorerVersion = await db.Set<AttributeScore>().Where(s => s.ScorerId == parameters.Scorer && s.Status == AttributeScoreStatus.Scored)
                    .OrderByDescending(s => s.Id).Select(s => s.ScorerVersion).FirstOrDefaultAsync(cancellationToken)
                    ?? throw new ArgumentException($"No scores by '{parameters.Scorer}' yet: score the {parameters.Source} first.");
            }
            var rows = await LoadRowsAsync(parameters, cancellationToken);
            if (rows.Rows.Count == 0)
                throw new ArgumentException($"No {parameters.Source} response has all eight attributes scored by {parameters.Scorer} {parameters.ScorerVersion} ({rows.Responses} responses, {rows.MissingAttributes} lacking a score).");
        }
        return await jobs.EnqueueAsync(AnalysisFitJob.JobKind, $"Analysis: {parameters.DataLabel}", parameters, cancellationToken);
    }

    public async Task<AnalysisRows> LoadRowsAsync(AnalysisFitParameters parameters, CancellationToken cancellationToken)
    {
        if (parameters.Source == Demo)
        {
            var demo = SimulatedScores.Generate();
            return new AnalysisRows(demo, demo.Count, 0, 0);
        }
        var table = await tables.GetAsync(parameters.Source, parameters.Scorer!, parameters.ScorerVersion, cancellationToken);
        return ScoredResponses.From(table);
    }

    /// <summary>The newest analysis run (running, failed, cancelled or done) with what it stored; null when there is none.</summary>
    public async Task<StoredAnalysis?> LatestAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Set<JobRun>().AsNoTracking().Where(r => r.Kind == AnalysisFitJob.JobKind).OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        return run is null ? null : Read(run);
    }

    /// <summary>The newest run that finished every model (the report's default).</summary>
    public async Task<StoredAnalysis?> LatestSucceededAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Set<JobRun>().AsNoTracking().Where(r => r.Kind == AnalysisFitJob.JobKind && r.Status == JobStatus.Succeeded)
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        return run is null ? null : Read(run);
    }

    static StoredAnalysis Read(JobRun run) => new(run,
        JsonSerializer.Deserialize<AnalysisFitParameters>(run.ParametersJson, Json) ?? new AnalysisFitParameters(),
        run.Checkpoint is null ? null : ReadCheckpoint(JsonDocument.Parse(run.Checkpoint).RootElement));
}

public static class AnalysisExtensions
{
    /// <summary>The constructiveness analyses as jobs (needs <see cref="ScoringExtensions.AddAnalysisScoring"/> for the scores).</summary>
    public static IHostApplicationBuilder AddAnalysis(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AnalysisFits>();
        builder.Services.AddSingleton<IJobHandler, AnalysisFitJob>();
        return builder;
    }
}
