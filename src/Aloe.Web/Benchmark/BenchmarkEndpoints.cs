using Aloe.Core.Llm;
using System.Globalization;
using System.Text;
using Aloe.Core.Benchmark;
using Aloe.Core.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Aloe.Web.Benchmark;

public sealed record BenchmarkStarted(long Id, long JobRunId, string Url);

public sealed record TranscriptTurnJson(int Turn, string UserMessage, string Response, int? Score, string? ScoreStatus, string? RawJudgeOutput, int? JudgeAttempts, string? JudgeError);

public sealed record TranscriptJson(long RunId, long CaseId, string CaseKey, string Profile, string Personality, string Status, string? Error, long ScoringId, IReadOnlyList<TranscriptTurnJson> Turns);

public sealed record BenchmarkRunListItem(BenchmarkRunJson Run, AlignmentJson? Metrics);

public sealed record BenchmarkJobJson(long Id, string Status);

public sealed record RejudgeRequest(string? JudgeMode, string? JudgeModel, string? JudgeEndpoint);

public static class BenchmarkEndpoints
{
    public static IEndpointRouteBuilder MapBenchmark(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/benchmark");
        api.MapGet("/runs", List);
        api.MapPost("/runs", Start);
        api.MapPost("/forecast", Forecast);
        api.MapGet("/runs/{id:long}", Get);
        api.MapDelete("/runs/{id:long}", Delete);
        api.MapPost("/runs/{id:long}/rejudge", Rejudge);
        api.MapPost("/runs/{id:long}/retry-failed-scores", RetryFailedScores);
        api.MapGet("/runs/{id:long}/cases/{caseId:long}", Transcript);
        api.MapGet("/runs/{id:long}/scores.csv", ScoresCsv);
        api.MapGet("/runs/{id:long}/metrics.csv", MetricsCsv);
        api.MapGet("/compare", Compare);
        api.MapGet("/compare.csv", CompareCsv);
        return app;
    }

    static async Task<Ok<IReadOnlyList<BenchmarkRunListItem>>> List(BenchmarkReports reports, int? page, string? q, BenchmarkRunSort? sort, bool? descending)
    {
        var runs = await reports.ListAsync(page ?? 1, 50, q, sort ?? BenchmarkRunSort.Created, descending ?? true);
        return TypedResults.Ok<IReadOnlyList<BenchmarkRunListItem>>(runs.Rows.Select(r => new BenchmarkRunListItem(BenchmarkRunJson.From(r.Run, r.Job), AlignmentJson.From(r.Summary))).ToList());
    }

    // A body on the 404, so the status-code page (meant for browsers) leaves it alone.
    static async Task<Results<NoContent, NotFound<string>, Conflict<string>>> Delete(BenchmarkRemoval removal, long id)
    {
        try
        {
            return await removal.DeleteAsync(id) ? TypedResults.NoContent() : TypedResults.NotFound($"Benchmark run {id} does not exist.");
        }
        catch (InvalidOperationException e)
        {
            return TypedResults.Conflict(e.Message);
        }
    }

    static async Task<Results<Accepted<BenchmarkJobJson>, ProblemHttpResult>> RetryFailedScores(IServiceProvider services, long id, long? scoring)
    {
        try
        {
            var job = await services.GetRequiredService<BenchmarkService>().RetryFailedScoresAsync(id, scoring);
            return TypedResults.Accepted($"/api/benchmark/runs/{id}", new BenchmarkJobJson(job.Id, job.Status.ToString()));
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException)
        {
            return TypedResults.Problem(e.Message, statusCode: e is KeyNotFoundException ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict);
        }
    }

    /// <summary>Calls, tokens and cost a run with these settings would take, before starting it.</summary>
    static async Task<Results<Ok<CostForecast>, ProblemHttpResult>> Forecast(IServiceProvider services, BenchmarkRunRequest body)
    {
        try
        {
            return TypedResults.Ok(await services.GetRequiredService<BenchmarkForecast>().ForecastAsync(body));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return TypedResults.Problem(Explain(e), statusCode: StatusCodes.Status400BadRequest);
        }
    }

    static async Task<Results<Accepted<BenchmarkStarted>, ProblemHttpResult>> Start(IServiceProvider services, BenchmarkRunRequest body)
    {
        try
        {
            var run = await services.GetRequiredService<BenchmarkService>().StartRunAsync(body);
            return TypedResults.Accepted($"/api/benchmark/runs/{run.Id}", new BenchmarkStarted(run.Id, run.JobRunId!.Value, $"/benchmark/runs/{run.Id}"));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return TypedResults.Problem(Explain(e), statusCode: StatusCodes.Status400BadRequest);
        }
    }

    static async Task<Results<Accepted<ScoringJson>, ProblemHttpResult>> Rejudge(IServiceProvider services, long id, RejudgeRequest body)
    {
        try
        {
            var s = await services.GetRequiredService<BenchmarkService>().RejudgeAsync(id, ParseMode(body.JudgeMode), body.JudgeModel, body.JudgeEndpoint);
            return TypedResults.Accepted($"/api/benchmark/runs/{id}?scoring={s.Id}", new ScoringJson(s.Id, s.JudgeMode.ToString().ToLowerInvariant(), s.JudgeModel, s.PromptHash));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            return TypedResults.Problem(Explain(e), statusCode: e is KeyNotFoundException ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
        }
    }

    static async Task<Results<Ok<BenchmarkReportJson>, NotFound>> Get(BenchmarkReports reports, long id, long? scoring) =>
        await reports.GetAsync(id, scoring) is { } detail ? TypedResults.Ok(BenchmarkReportJson.From(detail)) : TypedResults.NotFound();

    static async Task<Results<Ok<TranscriptJson>, NotFound>> Transcript(BenchmarkReports reports, long id, long caseId, long? scoring)
    {
        if (await reports.TranscriptAsync(id, caseId, scoring) is not { } t)
            return TypedResults.NotFound();
        return TypedResults.Ok(new TranscriptJson(t.Run.Id, t.Case.Id, t.Case.CaseKey, t.Case.Profile, t.Case.Personality, t.Case.Status.ToString(), t.Case.Error, t.Scoring.Id,
            t.Turns.Select(x => new TranscriptTurnJson(x.Turn.Turn, x.Turn.UserMessage, x.Turn.Response, x.Score?.Score, x.Score?.Status.ToString(), x.Score?.RawOutput, x.Score?.Attempts, x.Score?.Error)).ToList()));
    }

    static async Task<Results<FileContentHttpResult, NotFound>> ScoresCsv(BenchmarkReports reports, long id, long? scoring) =>
        await reports.GetAsync(id, scoring) is { } detail
            ? TypedResults.File(Encoding.UTF8.GetBytes(BenchmarkReports.ScoresCsv(detail)), "text/csv", $"benchmark-{id}-scoring-{detail.Scoring.Id}-scores.csv")
            : TypedResults.NotFound();

    static async Task<Results<FileContentHttpResult, NotFound>> MetricsCsv(BenchmarkReports reports, long id, long? scoring) =>
        await reports.GetAsync(id, scoring) is { } detail
            ? TypedResults.File(Encoding.UTF8.GetBytes(BenchmarkReports.MetricsCsv([detail])), "text/csv", $"benchmark-{id}-metrics.csv")
            : TypedResults.NotFound();

    static async Task<Ok<BenchmarkComparisonJson>> Compare(BenchmarkReports reports, [FromQuery] long[] runs) =>
        TypedResults.Ok(BenchmarkComparisonJson.From(await reports.CompareAsync(runs)));

    static async Task<FileContentHttpResult> CompareCsv(BenchmarkReports reports, [FromQuery] long[] runs) =>
        TypedResults.File(Encoding.UTF8.GetBytes(BenchmarkReports.MetricsCsv((await reports.CompareAsync(runs)).Runs)), "text/csv", "benchmark-comparison.csv");

    static JudgeMode ParseMode(string? mode) => string.Equals(mode, "history", StringComparison.OrdinalIgnoreCase) ? JudgeMode.History : JudgeMode.Paper;

    internal static string Explain(Exception e) => e.Message.Contains("ILlmGateway", StringComparison.Ordinal)
        ? "No language model gateway is configured, so no run can start."
        : e.Message;
}
