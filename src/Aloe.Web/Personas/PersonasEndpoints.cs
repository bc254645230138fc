using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aloe.Web.Personas;

/// <param name="Note">How it was chosen (default "set by hand (API)").</param>
public sealed record ThresholdRequest(double? Threshold, string? Note = null);

public static class PersonasEndpoints
{
    public static IEndpointRouteBuilder MapPersonas(this IEndpointRouteBuilder app)
    {
        // Downloads (the pages link to them with the download attribute).
        var pages = app.MapGroup("/personas");
        pages.MapGet("/export/{kind}.jsonl", ExportJsonl);
        pages.MapGet("/export/{kind}.csv", ExportCsv);

        var api = app.MapGroup("/api/personas");
        api.MapGet("/stats", Stats);
        api.MapGet("/items", Items);
        api.MapGet("/", Personas);
        api.MapGet("/runs/{id:long}", Run);
        api.MapGet("/leakage", Leakage);
        api.MapGet("/calibration", Calibration);
        api.MapPut("/calibration/threshold", SaveThreshold);
        api.MapDelete("/calibration/threshold", ResetThreshold);
        return app;
    }

    static async Task<IResult> ExportJsonl(PoolService pools, PersonaService personas, string kind, bool? eval)
    {
        var split = eval == true ? PoolSplit.Eval : PoolSplit.Train;
        string? body = kind switch
        {
            "profile" => await pools.ExportJsonlAsync(PoolKind.Profile, split),
            "personality" => await pools.ExportJsonlAsync(PoolKind.Personality, split),
            "personas" => await personas.ExportJsonlAsync(split),
            _ => null,
        };
        return body is null ? TypedResults.NotFound() : new Download(TypedResults.Text(body, "application/jsonl"), $"{kind}{(eval == true ? "_eval" : "")}.jsonl");
    }

    static async Task<IResult> ExportCsv(PoolService pools, PersonaService personas, string kind, bool? eval) => kind switch
    {
        "profile" => new Download(TypedResults.Text(await pools.ExportCsvAsync(PoolKind.Profile), "text/csv"), "profiles.csv"),
        "personality" => new Download(TypedResults.Text(await pools.ExportCsvAsync(PoolKind.Personality), "text/csv"), "personalities.csv"),
        "personas" => new Download(TypedResults.Text(await personas.ExportCsvAsync(eval == true ? PoolSplit.Eval : PoolSplit.Train), "text/csv"), "personas.csv"),
        _ => TypedResults.NotFound(),
    };

    /// <summary>Adds Content-Disposition so the browser saves the export under a useful name.</summary>
    sealed class Download(IResult inner, string fileName) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
            return inner.ExecuteAsync(httpContext);
        }
    }

    static async Task<Ok<PoolStats>> Stats(PoolService pools) => TypedResults.Ok(await pools.StatsAsync());

    /// <summary>The configured embedder's calibration: paraphrase vs unrelated similarities, the separating threshold, what it would drop.</summary>
    static async Task<Ok<EmbedderCalibration>> Calibration(EmbedderCalibrationService calibration, CancellationToken cancellationToken) =>
        TypedResults.Ok(await calibration.CalibrateAsync(cancellationToken));

    /// <summary>Stores a threshold for the configured embedder (it wins over configuration); 400 outside 0 to 1.</summary>
    static async Task<Results<Ok<ThresholdChoice>, ProblemHttpResult>> SaveThreshold(EmbedderThresholds thresholds, PoolService pools, ThresholdRequest body, CancellationToken cancellationToken)
    {
        if (body.Threshold is not { } threshold)
            return TypedResults.Problem("The body needs a threshold between 0 and 1.", statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
        try
        {
            return TypedResults.Ok(await thresholds.SaveAsync(pools.EmbedderId, threshold, body.Note ?? "set by hand (API)", cancellationToken));
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
        }
    }

    /// <summary>Removes the configured embedder's stored threshold; returns the one now in force (configuration, shipped or the paper's).</summary>
    static async Task<Ok<ThresholdChoice>> ResetThreshold(EmbedderThresholds thresholds, PoolService pools, CancellationToken cancellationToken) =>
        TypedResults.Ok(await thresholds.ResetAsync(pools.EmbedderId, cancellationToken));

    static async Task<Ok<PoolItemPage>> Items(PoolService pools, PoolKind kind, PoolSplit? split, string? q, int? page, int? pageSize) =>
        TypedResults.Ok(await pools.ListAsync(kind, split, null, q, page ?? 1, pageSize ?? 50));

    static async Task<Ok<IReadOnlyList<PersonaRecord>>> Personas(PersonaService personas, PoolSplit? split, int? count) =>
        TypedResults.Ok(await personas.GetPersonasAsync(split ?? PoolSplit.Train, count));

    static async Task<Results<Ok<GenerationRunSummary>, NotFound>> Run(GenerationService generation, long id) =>
        await generation.GetAsync(id) is { } run ? TypedResults.Ok(run) : TypedResults.NotFound();

    static async Task<Ok<IReadOnlyList<LeakageRow>>> Leakage(PoolService pools, double? threshold) =>
        TypedResults.Ok(await pools.LeakageAsync(threshold));
}
