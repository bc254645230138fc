using Aloe.Core.Llm;
using Aloe.Core.Dialogues;
using Aloe.Web.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aloe.Web.Dialogues;

public static class DialoguesEndpoints
{
    public static IEndpointRouteBuilder MapDialogues(this IEndpointRouteBuilder app)
    {
        var actions = app.MapGroup("/dialogues").RequireAntiforgeryToken();
        actions.MapPost("/build", Build).DisableAntiforgery();
        actions.MapPost("/turns/{id:long}/expand", Expand).DisableAntiforgery();
        actions.MapPost("/runs/{id:long}/resume", Resume).DisableAntiforgery();

        var api = app.MapGroup("/api/dialogues");
        api.MapGet("/", List);
        api.MapGet("/{id:long}", Get);
        api.MapGet("/runs/{id:long}", Run);
        api.MapGet("/export/{format}", Export);
        api.MapGet("/export/{format}/manifest", ExportManifest);
        api.MapPost("/forecast", Forecast);
        return app;
    }

    /// <summary>Calls, tokens and cost a build with these settings would take, before starting it.</summary>
    static async Task<Results<Ok<CostForecast>, ProblemHttpResult>> Forecast(DialogueForecast forecast, BuildRequest body, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await forecast.ForecastAsync(body, cancellationToken));
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    // The antiforgery token is checked by the filter (header sent by site.js), so the
    // framework's form check is off for these htmx posts.
    static async Task<Results<RazorComponentResult<BuildMessage>, NoContent>> Build(HttpContext http, DialogueConstruction construction)
    {
        try
        {
            // Read by hand: an empty field means "default", and a bad number gets a message, not a bare 400.
            var form = await http.Request.ReadFormAsync();
            int? Number(string name) => string.IsNullOrWhiteSpace(form[name]) ? null
                : int.TryParse(form[name], out var n) ? n : throw new ArgumentException($"The field {name} must be a whole number.");
            var split = form["split"].ToString() is { Length: > 0 } s ? s : "train";
            var (run, _) = await construction.StartBuildAsync(new BuildRequest(
                new PersonaSelection(split, Number("personas"), Number("seed") ?? LlmRunScope.NewSeed()), Number("turns") ?? 10, form["verify"] == "on" || form["verify"] == "true"));
            http.Response.HtmxRedirect($"/dialogues/runs/{run.Id}");
            return TypedResults.NoContent();
        }
        catch (Exception ex) when (ex is ArgumentException or FileNotFoundException or InvalidOperationException)
        {
            return new RazorComponentResult<BuildMessage>(new { Text = ex.Message, IsError = true });
        }
    }

    static async Task<RazorComponentResult<BuildMessage>> Expand(DialogueConstruction construction, long id)
    {
        try
        {
            var job = await construction.StartExpandAsync(id);
            return new RazorComponentResult<BuildMessage>(new { Text = $"Growing this branch (run {job.Id}); reload to see it.", Href = $"/jobs/{job.Id}" });
        }
        catch (ArgumentException ex)
        {
            return new RazorComponentResult<BuildMessage>(new { Text = ex.Message, IsError = true });
        }
    }

    static async Task<Results<RazorComponentResult<BuildMessage>, NoContent>> Resume(HttpContext http, DialogueConstruction construction, long id)
    {
        try
        {
            await construction.StartResumeAsync(id);
            http.Response.Headers["HX-Refresh"] = "true";
            return TypedResults.NoContent();
        }
        catch (ArgumentException ex)
        {
            return new RazorComponentResult<BuildMessage>(new { Text = ex.Message, IsError = true });
        }
    }

    static async Task<Ok<DialogueListPage>> List(DialogueQueries queries, long? run, string? persona, DialogueStatus? status, string? q, int? page, int? pageSize) =>
        TypedResults.Ok(await queries.ListAsync(new DialogueFilter(run, persona, status, q, page ?? 1, pageSize ?? 50)));

    static async Task<Results<Ok<object>, NotFound>> Get(DialogueQueries queries, long id)
    {
        if (await queries.GetAsync(id) is not { } found)
            return TypedResults.NotFound();
        var (tree, run) = found;
        return TypedResults.Ok<object>(new
        {
            tree.Dialogue.Id,
            tree.Dialogue.RunId,
            tree.Dialogue.PersonaKey,
            tree.Dialogue.Profile,
            tree.Dialogue.Personality,
            Status = tree.Dialogue.Status.ToString(),
            tree.Dialogue.Error,
            run.MaxTurns,
            MainPath = tree.MainPath().Select(t => t.Id),
            Turns = tree.Turns.Select(t => new
            {
                t.Id, t.ParentId, ParentBranch = t.ParentBranch?.ToString(), t.Index, t.UserMessage, t.Preferred, t.Rejected,
                t.InferredProfile, t.InferredPersonality, t.Verified, t.Swapped, Chosen = t.Chosen.ToString(),
            }),
        });
    }

    static async Task<Results<Ok<object>, NotFound>> Run(DialogueQueries queries, long id) =>
        await queries.RunAsync(id) is { } s
            ? TypedResults.Ok<object>(new
            {
                s.Run, Job = s.Job is null ? null : new { s.Job.Id, Status = s.Job.Status.ToString(), s.Job.Done, s.Job.Total, s.Job.Error },
                ByStatus = s.ByStatus.ToDictionary(p => p.Key.ToString(), p => p.Value), s.TurnsDone, s.TurnsPlanned, s.Swapped, s.Verified, s.InputTokens, s.OutputTokens, s.Cost, s.Calls, s.Failures,
            })
            : TypedResults.NotFound();

    // Streamed to the response: a download leaves nothing on disk.
    static Results<PushStreamHttpResult, BadRequest<string>> Export(DialogueExports exports, string format, long? run, bool? branches)
    {
        if (!ExportFormats.ByName.TryGetValue(format, out var parsed))
            return TypedResults.BadRequest(UnknownFormat(format));
        var scope = new ExportScope(run, branches ?? false);
        return TypedResults.Stream(body => exports.StreamAsync(parsed, scope, body), "application/jsonl", DialogueExports.FileName(parsed, scope));
    }

    static async Task<Results<FileContentHttpResult, BadRequest<string>>> ExportManifest(DialogueExports exports, string format, long? run, bool? branches, CancellationToken cancellationToken)
    {
        if (!ExportFormats.ByName.TryGetValue(format, out var parsed))
            return TypedResults.BadRequest(UnknownFormat(format));
        var scope = new ExportScope(run, branches ?? false);
        var name = DialogueExports.FileName(parsed, scope);
        var manifest = await exports.ManifestAsync(parsed, scope, name, cancellationToken);
        return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(manifest), "application/json", DialogueExports.ManifestPath(name));
    }

    static string UnknownFormat(string format) => $"Unknown format '{format}' (use {string.Join(", ", ExportFormats.ByName.Keys)}).";
}
