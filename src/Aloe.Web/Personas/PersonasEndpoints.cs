using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.Web.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Aloe.Web.Personas;

public static class PersonasEndpoints
{
    public static IEndpointRouteBuilder MapPersonas(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/personas");
        // Plain HTML forms (post, redirect, get). The token is checked by the shared filter rather
        // than the built-in form check, whose failure surfaces as an exception while binding the
        // form (a 500) instead of a 400 that tells the user to reload.
        var forms = pages.MapGroup("").DisableAntiforgery().RequireAntiforgeryToken();
        forms.MapPost("/import", Import);
        forms.MapPost("/generate", Generate);
        forms.MapPost("/pair", Pair);
        forms.MapPost("/benchmark-set", BenchmarkSet);
        forms.MapPost("/refresh", Refresh);
        pages.MapGet("/export/{kind}.jsonl", ExportJsonl);
        pages.MapGet("/export/{kind}.csv", ExportCsv);

        var api = app.MapGroup("/api/personas");
        api.MapGet("/stats", Stats);
        api.MapGet("/items", Items);
        api.MapGet("/", Personas);
        api.MapGet("/runs/{id:long}", Run);
        api.MapGet("/leakage", Leakage);
        api.MapGet("/calibration", Calibration);
        return app;
    }

    static string Back(string tab, string key, string message) => $"/personas?tab={tab}&{key}={Uri.EscapeDataString(message)}";

    static async Task<RedirectHttpResult> Import(PoolService pools, [FromForm] PoolKind kind, [FromForm] bool? eval, IFormFile? file)
    {
        var tab = kind == PoolKind.Profile ? "profiles" : "personalities";
        if (file is null || file.Length == 0)
            return TypedResults.Redirect(Back(tab, "error", "Choose a .jsonl file to import."));
        using var reader = new StreamReader(file.OpenReadStream());
        try
        {
            var result = await pools.ImportAsync(kind, eval == true ? PoolSplit.Eval : PoolSplit.Train, await reader.ReadToEndAsync(), refreshInBackground: true);
            var message = $"Imported {result.Imported} from {file.FileName}" + (result.Duplicates > 0 ? $"; {result.Duplicates} already in the pool" : "") + ". "
                + (result.RefreshJobId is { } job ? $"Nearest neighbours are being refreshed (job {job}). " : "") + string.Join(" ", result.Warnings);
            return TypedResults.Redirect(Back(tab, "message", message.Trim()));
        }
        catch (PoolImportException ex)
        {
            return TypedResults.Redirect(Back(tab, "error", $"{file.FileName}: {ex.Message}"));
        }
    }

    // Form fields arrive as text: an empty optional field ("target size: none") must mean null, not a binding error.
    static int? Int(string? value) => int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    static async Task<RedirectHttpResult> Generate(GenerationService generation, [FromForm] PoolKind kind, [FromForm] string? threshold, [FromForm] string? maxRounds,
        [FromForm] string? patience, [FromForm] string? minAdded, [FromForm] string? targetSize, [FromForm] string? callsPerRound, [FromForm] string? seed)
    {
        var parameters = new GenerationParameters
        {
            Kind = kind,
            Threshold = double.TryParse(threshold, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : null,
            MaxRounds = Int(maxRounds) ?? 30, Patience = Int(patience) ?? 3, MinAddedPerRound = Int(minAdded) ?? 2,
            TargetSize = Int(targetSize), CallsPerRound = Int(callsPerRound) ?? 2, Seed = Int(seed) ?? LlmRunScope.NewSeed(),
        };
        try
        {
            var run = await generation.StartAsync(parameters);
            return TypedResults.Redirect($"/personas/runs/{run.Id}");
        }
        catch (ArgumentException ex)
        {
            return TypedResults.Redirect(Back("generation", "error", ex.Message));
        }
    }

    static async Task<RedirectHttpResult> Pair(PersonaService personas, [FromForm] int count, [FromForm] int seed, [FromForm] bool? eval)
    {
        try
        {
            var result = await personas.PairAsync(count, seed, eval == true ? PoolSplit.Eval : PoolSplit.Train);
            return TypedResults.Redirect(Back("personas", "message", $"Paired {result.Created} personas (seed {seed}); {result.Available} more pairs are possible."));
        }
        catch (ArgumentException ex)
        {
            return TypedResults.Redirect(Back("personas", "error", ex.Message));
        }
    }

    static async Task<RedirectHttpResult> BenchmarkSet(PersonaService personas)
    {
        try
        {
            var set = await personas.BuildAloeBenchmarkSetAsync();
            return TypedResults.Redirect(Back("personas", "message", $"The ALOE benchmark set holds {set.Describe()}."));
        }
        catch (InvalidOperationException ex)
        {
            return TypedResults.Redirect(Back("personas", "error", ex.Message));
        }
    }

    static async Task<RedirectHttpResult> Refresh(PoolService pools, [FromForm] PoolKind kind)
    {
        await pools.RefreshAsync(kind);
        return TypedResults.Redirect($"/personas/analysis?kind={kind}");
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

    static async Task<Ok<PoolItemPage>> Items(PoolService pools, PoolKind kind, PoolSplit? split, string? q, int? page, int? pageSize) =>
        TypedResults.Ok(await pools.ListAsync(kind, split, null, q, page ?? 1, pageSize ?? 50));

    static async Task<Ok<IReadOnlyList<PersonaRecord>>> Personas(PersonaService personas, PoolSplit? split, int? count) =>
        TypedResults.Ok(await personas.GetPersonasAsync(split ?? PoolSplit.Train, count));

    static async Task<Results<Ok<GenerationRunSummary>, NotFound>> Run(GenerationService generation, long id) =>
        await generation.GetAsync(id) is { } run ? TypedResults.Ok(run) : TypedResults.NotFound();

    static async Task<Ok<IReadOnlyList<LeakageRow>>> Leakage(PoolService pools, double? threshold) =>
        TypedResults.Ok(await pools.LeakageAsync(threshold));
}
