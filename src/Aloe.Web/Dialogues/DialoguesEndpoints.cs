using Aloe.Core.Llm;
using Aloe.Core.Dialogues;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aloe.Web.Dialogues;

public sealed record DialogueTurnJson(long Id, long? ParentId, string? ParentBranch, int Index, string UserMessage, string Preferred, string Rejected,
    string? InferredProfile, string? InferredPersonality, bool Verified, bool Swapped, string Chosen);

public sealed record DialogueJson(long Id, long RunId, string PersonaKey, string Profile, string Personality, string Status, string? Error, int MaxTurns,
    IReadOnlyList<long> MainPath, IReadOnlyList<DialogueTurnJson> Turns);

public sealed record DialogueRunJobJson(long Id, string Status, int Done, int Total, string? Error);

public sealed record DialogueRunJson(DialogueRun Run, DialogueRunJobJson? Job, IReadOnlyDictionary<string, int> ByStatus, int TurnsDone, int TurnsPlanned,
    int Swapped, int Verified, long InputTokens, long OutputTokens, double Cost, IReadOnlyList<Aloe.Core.Llm.LlmRoleStats> Calls, IReadOnlyList<RunFailure> Failures);

/// <summary>The dialogues JSON API (the pages call the Core services directly).</summary>
public static class DialoguesEndpoints
{
    public static IEndpointRouteBuilder MapDialogues(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/dialogues");
        api.MapGet("/", List);
        api.MapGet("/{id:long}", Get);
        api.MapDelete("/{id:long}", Delete);
        api.MapGet("/runs/{id:long}", Run);
        api.MapDelete("/runs/{id:long}", DeleteRun);
        api.MapGet("/export/{format}", Export);
        api.MapGet("/export/{format}/manifest", ExportManifest);
        api.MapPost("/forecast", Forecast);
        return app;
    }

    static async Task<Ok<DialogueListPage>> List(DialogueQueries queries, long? run, string? persona, DialogueStatus? status, string? q, int? page, int? pageSize,
        DialogueSort? sort, bool? descending) =>
        TypedResults.Ok(await queries.ListAsync(new DialogueFilter(run, persona, status, q, page ?? 1, pageSize ?? 50, sort ?? DialogueSort.Id, descending ?? true)));

    static async Task<Results<Ok<DialogueJson>, NotFound>> Get(DialogueQueries queries, long id)
    {
        if (await queries.GetAsync(id) is not { } found)
            return TypedResults.NotFound();
        var (tree, run) = found;
        var d = tree.Dialogue;
        return TypedResults.Ok(new DialogueJson(d.Id, d.RunId, d.PersonaKey, d.Profile, d.Personality, d.Status.ToString(), d.Error, run.MaxTurns,
            tree.MainPath().Select(t => t.Id).ToList(),
            tree.Turns.Select(t => new DialogueTurnJson(t.Id, t.ParentId, t.ParentBranch?.ToString(), t.Index, t.UserMessage, t.Preferred, t.Rejected,
                t.InferredProfile, t.InferredPersonality, t.Verified, t.Swapped, t.Chosen.ToString())).ToList()));
    }

    static async Task<Results<Ok<DialogueRunJson>, NotFound>> Run(DialogueQueries queries, long id) =>
        await queries.RunAsync(id) is { } s
            ? TypedResults.Ok(new DialogueRunJson(s.Run, s.Job is null ? null : new DialogueRunJobJson(s.Job.Id, s.Job.Status.ToString(), s.Job.Done, s.Job.Total, s.Job.Error),
                s.ByStatus.ToDictionary(p => p.Key.ToString(), p => p.Value), s.TurnsDone, s.TurnsPlanned, s.Swapped, s.Verified, s.InputTokens, s.OutputTokens, s.Cost, s.Calls, s.Failures))
            : TypedResults.NotFound();

    // A body on the 404, so the status-code page (meant for browsers) leaves it alone.
    static async Task<Results<NoContent, NotFound<string>, Conflict<string>>> Delete(DialogueRemoval removal, long id)
    {
        try
        {
            return await removal.DeleteDialogueAsync(id) ? TypedResults.NoContent() : TypedResults.NotFound($"Dialogue {id} does not exist.");
        }
        catch (InvalidOperationException e)
        {
            return TypedResults.Conflict(e.Message);
        }
    }

    static async Task<Results<NoContent, NotFound<string>, Conflict<string>>> DeleteRun(DialogueRemoval removal, long id)
    {
        try
        {
            return await removal.DeleteRunAsync(id) ? TypedResults.NoContent() : TypedResults.NotFound($"Dialogue run {id} does not exist.");
        }
        catch (InvalidOperationException e)
        {
            return TypedResults.Conflict(e.Message);
        }
    }

    /// <summary>The training file, written to the response as it is produced (no temporary file).</summary>
    /// <summary>Calls, tokens and cost a build with these settings would take, before starting it.</summary>
    static async Task<Results<Ok<CostForecast>, ProblemHttpResult>> Forecast(DialogueForecast forecast, BuildRequest body, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await forecast.ForecastAsync(body, cancellationToken));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }

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

    /// <summary>Where the browser downloads an export of one run (or of all runs).</summary>
    internal static string ExportHref(string format, long? run, bool manifest = false) =>
        $"/api/dialogues/export/{format}{(manifest ? "/manifest" : "")}{(run is { } r ? $"?run={r}" : "")}";

    static string UnknownFormat(string format) => $"Unknown format '{format}' (use {string.Join(", ", ExportFormats.ByName.Keys)}).";
}
