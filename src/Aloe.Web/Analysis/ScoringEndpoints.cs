using System.Text;
using Aloe.Core.Analysis.Scoring;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aloe.Web.Analysis;

/// <summary>What POST /api/analysis/scoring takes: a source, a scorer and optionally some attributes (comma-separated).</summary>
public sealed record ScoringRequest(string Source, string Scorer, string? Attributes);

/// <summary>A scoring run was queued; poll <see cref="Url"/> for its progress.</summary>
public sealed record ScoringAccepted(ScoringStarted Run, string Url);

/// <summary>JSON API of attribute scoring (constructiveness analysis): status, start a run, a run's progress, the scored table as CSV.</summary>
public static class ScoringEndpoints
{
    public static IEndpointRouteBuilder MapScoring(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/analysis/scoring");
        api.MapGet("", Status);
        api.MapPost("", Start);
        api.MapGet("/runs/{id:long}", Progress);
        api.MapGet("/table.csv", TableCsv);
        return app;
    }

    static async Task<Ok<ScoringStatus>> Status(AttributeScoringService scoring, CancellationToken cancellationToken) =>
        TypedResults.Ok(await scoring.StatusAsync(cancellationToken));

    static async Task<Results<Accepted<ScoringAccepted>, ProblemHttpResult>> Start(AttributeScoringService scoring, ScoringRequest body, CancellationToken cancellationToken)
    {
        try
        {
            var started = await scoring.StartAsync(body.Source, body.Scorer, body.Attributes, cancellationToken);
            var url = $"/api/analysis/scoring/runs/{started.JobRunId}";
            return TypedResults.Accepted(url, new ScoringAccepted(started, url));
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    static async Task<Results<Ok<ScoringProgress>, NotFound>> Progress(AttributeScoringService scoring, long id, CancellationToken cancellationToken) =>
        await scoring.ProgressAsync(id, cancellationToken) is { } progress ? TypedResults.Ok(progress) : TypedResults.NotFound();

    static async Task<Results<FileContentHttpResult, ProblemHttpResult>> TableCsv(ScoredTableService tables, string source, string scorer, string? version, CancellationToken cancellationToken)
    {
        try
        {
            var table = await tables.GetAsync(source, scorer, version, cancellationToken);
            var output = new StringWriter();
            ScoredTableService.WriteResponsesCsv(table, output);
            return TypedResults.File(Encoding.UTF8.GetBytes(output.ToString()), "text/csv", $"scored-{source}-{scorer}.csv");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }
}
