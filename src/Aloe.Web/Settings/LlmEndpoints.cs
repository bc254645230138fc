using Aloe.Core.Llm;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aloe.Web.Settings;

public sealed record BudgetRequest(double? CapUsd);

public sealed record LlmRoleView(string Role, string Endpoint, string Model, float Temperature, int MaxTokens, bool Simulated);

public static class LlmEndpoints
{
    public static IEndpointRouteBuilder MapLlm(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/llm");
        api.MapGet("/stats", Stats);
        api.MapGet("/runs/{runId:long}/calls", RunCalls);
        api.MapGet("/runs/{runId:long}/budget", GetBudget);
        api.MapPut("/runs/{runId:long}/budget", SetBudget);
        api.MapGet("/roles", Roles);
        api.MapGet("/endpoints", EndpointList);
        // A (tiny) paid call on a real endpoint: a POST.
        api.MapPost("/endpoints/{name}/test", TestConnection);
        return app;
    }

    static async Task<Ok<IReadOnlyList<LlmRoleStats>>> Stats(LlmStatsService stats, long? runId, CancellationToken cancellationToken) =>
        TypedResults.Ok(await stats.ByRoleAsync(runId, cancellationToken));

    /// <summary>A job run's calls in total, with how many came from the cache (the run pages show it).</summary>
    static async Task<Ok<LlmRunCalls>> RunCalls(LlmStatsService stats, long runId, CancellationToken cancellationToken) =>
        TypedResults.Ok(LlmRunCalls.From(await stats.ByRoleAsync(runId, cancellationToken)));

    static async Task<Ok<LlmBudgetStatus>> GetBudget(LlmBudgetService budgets, long runId, CancellationToken cancellationToken) =>
        TypedResults.Ok(await budgets.GetAsync(runId, cancellationToken));

    /// <summary>Sets, raises or (with a null cap) removes a run's cap; a run stopped at its cap resumes after it is raised.</summary>
    static async Task<Results<Ok<LlmBudgetStatus>, ProblemHttpResult>> SetBudget(LlmBudgetService budgets, long runId, BudgetRequest body, CancellationToken cancellationToken)
    {
        try
        {
            await budgets.SetAsync(runId, body.CapUsd, cancellationToken);
            return TypedResults.Ok(await budgets.GetAsync(runId, cancellationToken));
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    static Ok<IReadOnlyList<LlmRoleView>> Roles(LlmGateway llm) => TypedResults.Ok(RoleViews(llm));

    static async Task<Ok<LlmPingResult>> TestConnection(LlmGateway llm, string name, CancellationToken cancellationToken) =>
        TypedResults.Ok(await llm.TestEndpointAsync(name, cancellationToken));

    static Ok<IReadOnlyList<LlmEndpointStatus>> EndpointList(LlmGateway llm) => TypedResults.Ok(llm.Endpoints());

    internal static IReadOnlyList<LlmRoleView> RoleViews(LlmGateway llm) =>
        llm.ResolveRoles().Select(r => new LlmRoleView(r.Key.ToString(), r.Value.Endpoint, r.Value.Model, r.Value.Temperature, r.Value.MaxTokens, llm.IsSimulated(r.Key))).ToList();
}
