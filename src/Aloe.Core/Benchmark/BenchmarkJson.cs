using System.Text.Json.Serialization;
using Aloe.Core.Llm;

namespace Aloe.Core.Benchmark;

/// <summary>Table 1's metric columns, as the CLI and the JSON API print them.</summary>
public sealed record AlignmentJson(
    [property: JsonPropertyName("average")] double? Average,
    [property: JsonPropertyName("ir")] double? Ir,
    [property: JsonPropertyName("n_ir")] double? NIr,
    [property: JsonPropertyName("r2")] double? R2,
    [property: JsonPropertyName("n_r2")] double? NR2)
{
    public static AlignmentJson? From(AlignmentSummary? s) =>
        s is null ? null : new(Round(s.Average), Round(s.ImprovementRate), Round(s.NormalizedImprovementRate), Round(s.RSquared), Round(s.NormalizedRSquared));

    internal static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;
}

public sealed record TurnJson(
    [property: JsonPropertyName("k")] int K,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("al")] double? Al,
    [property: JsonPropertyName("low")] double? Low,
    [property: JsonPropertyName("high")] double? High);

/// <summary>Metrics of a score table: Table 1 columns plus AL(k) with n and 95% bootstrap intervals.</summary>
public sealed record AlignmentReportJson(
    [property: JsonPropertyName("average")] double? Average,
    [property: JsonPropertyName("ir")] double? Ir,
    [property: JsonPropertyName("n_ir")] double? NIr,
    [property: JsonPropertyName("r2")] double? R2,
    [property: JsonPropertyName("n_r2")] double? NR2,
    [property: JsonPropertyName("average_ci")] double?[]? AverageCi,
    [property: JsonPropertyName("ir_ci")] double?[]? IrCi,
    [property: JsonPropertyName("cases")] int Cases,
    [property: JsonPropertyName("complete_cases")] int CompleteCases,
    [property: JsonPropertyName("complete_case_metrics")] AlignmentJson? CompleteCaseMetrics,
    [property: JsonPropertyName("turns")] IReadOnlyList<TurnJson> Turns,
    [property: JsonPropertyName("resamples")] int Resamples,
    [property: JsonPropertyName("seed")] int Seed)
{
    public static AlignmentReportJson From(AlignmentReport r)
    {
        var s = AlignmentJson.From(r.Summary);
        return new(s?.Average, s?.Ir, s?.NIr, s?.R2, s?.NR2, Ci(r.AverageInterval), Ci(r.ImprovementRateInterval), r.Cases, r.CompleteCases,
            r.NVariesByTurn ? AlignmentJson.From(r.CompleteCaseSummary) : null,
            r.Turns.Select(t => new TurnJson(t.Turn, t.N, AlignmentJson.Round(t.AlignmentLevel), AlignmentJson.Round(t.Interval?.Low), AlignmentJson.Round(t.Interval?.High))).ToList(),
            r.Resamples, r.Seed);
    }

    static double?[]? Ci(Interval? i) => i is null ? null : [AlignmentJson.Round(i.Low), AlignmentJson.Round(i.High)];
}

public sealed record BenchmarkRunJson(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("evaluated_model")] string EvaluatedModel,
    [property: JsonPropertyName("evaluated_endpoint")] string EvaluatedEndpoint,
    [property: JsonPropertyName("judge_mode")] string JudgeMode,
    [property: JsonPropertyName("turns")] int Turns,
    [property: JsonPropertyName("cases")] int Cases,
    [property: JsonPropertyName("case_set")] string CaseSet,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("simulated")] bool Simulated,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("done")] int Done,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("app_version")] string? AppVersion)
{
    public static BenchmarkRunJson From(BenchmarkRun run, Jobs.JobRun? job) => new(run.Id, run.Name, run.EvaluatedModel, run.EvaluatedEndpoint,
        run.JudgeMode.ToString().ToLowerInvariant(), run.Turns, run.CaseCount, run.CaseSet, run.Seed, run.Simulated,
        job?.Status.ToString() ?? "Unknown", job?.Done ?? 0, job?.Total ?? 0, run.CreatedAt, run.Provenance.AppVersion);
}

public sealed record ScoringJson(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("judge_mode")] string JudgeMode,
    [property: JsonPropertyName("judge_model")] string JudgeModel,
    [property: JsonPropertyName("prompt_hash")] string PromptHash);

/// <summary>`aloe bench report --json` and GET /api/benchmark/runs/{id}.</summary>
public sealed record BenchmarkReportJson(
    [property: JsonPropertyName("run")] BenchmarkRunJson Run,
    [property: JsonPropertyName("roles")] IReadOnlyDictionary<string, Jobs.RoleProvenance> Roles,
    [property: JsonPropertyName("prompt_hashes")] IReadOnlyDictionary<string, string> PromptHashes,
    [property: JsonPropertyName("scoring")] ScoringJson Scoring,
    [property: JsonPropertyName("scorings")] IReadOnlyList<ScoringJson> Scorings,
    [property: JsonPropertyName("failed_cases")] int FailedCases,
    [property: JsonPropertyName("failed_scores")] int FailedScores,
    [property: JsonPropertyName("metrics")] AlignmentReportJson Metrics)
{
    public static BenchmarkReportJson From(BenchmarkRunDetail d) => new(
        BenchmarkRunJson.From(d.Run, d.Job), d.Roles, d.PromptHashes, ToJson(d.Scoring), d.Scorings.Select(ToJson).ToList(),
        d.Cases.Count(c => c.Case.Status == BenchmarkCaseStatus.Failed), d.FailedScores, AlignmentReportJson.From(d.Report));

    static ScoringJson ToJson(BenchmarkScoring s) => new(s.Id, s.JudgeMode.ToString().ToLowerInvariant(), s.JudgeModel, s.PromptHash);
}

public sealed record PairedJson(
    [property: JsonPropertyName("run")] long Run,
    [property: JsonPropertyName("baseline")] long Baseline,
    [property: JsonPropertyName("shared_cases")] int SharedCases,
    [property: JsonPropertyName("average_difference")] double? AverageDifference,
    [property: JsonPropertyName("average_difference_ci")] double?[]? AverageDifferenceCi,
    [property: JsonPropertyName("ir_difference")] double? IrDifference,
    [property: JsonPropertyName("ir_difference_ci")] double?[]? IrDifferenceCi);

/// <summary>`aloe bench compare --json` and GET /api/benchmark/compare.</summary>
public sealed record BenchmarkComparisonJson(
    [property: JsonPropertyName("runs")] IReadOnlyList<BenchmarkReportJson> Runs,
    [property: JsonPropertyName("paired")] IReadOnlyList<PairedJson> Paired)
{
    public static BenchmarkComparisonJson From(BenchmarkComparison c) => new(
        c.Runs.Select(BenchmarkReportJson.From).ToList(),
        c.Runs.Select((r, i) => (Run: r, Paired: c.VersusFirst[i])).Where(x => x.Paired is not null).Select(x => new PairedJson(
            x.Run.Run.Id, c.Runs[0].Run.Id, x.Paired!.SharedCases, AlignmentJson.Round(x.Paired.AverageDifference),
            x.Paired.AverageDifferenceInterval is { } a ? [AlignmentJson.Round(a.Low), AlignmentJson.Round(a.High)] : null,
            AlignmentJson.Round(x.Paired.ImprovementRateDifference),
            x.Paired.ImprovementRateDifferenceInterval is { } b ? [AlignmentJson.Round(b.Low), AlignmentJson.Round(b.High)] : null)).ToList());
}
