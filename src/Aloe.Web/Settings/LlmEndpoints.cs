using Aloe.Core.Llm;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aloe.Web.Settings;

public sealed record LlmRoleView(string Role, string Endpoint, string Model, float Temperature, int MaxTokens, bool Simulated);

public static class LlmEndpoints
{
    public static IEndpointRouteBuilder MapLlm(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/llm");
        api.MapGet("/stats", Stats);
        api.MapGet("/roles", Roles);
        api.MapGet("/endpoints", EndpointList);
        // A (tiny) paid call on a real endpoint: a POST.
        api.MapPost("/endpoints/{name}/test", TestConnection);
        return app;
    }

    static async Task<Ok<IReadOnlyList<LlmRoleStats>>> Stats(LlmStatsService stats, long? runId, CancellationToken cancellationToken) =>
        TypedResults.Ok(await stats.ByRoleAsync(runId, cancellationToken));

    static Ok<IReadOnlyList<LlmRoleView>> Roles(LlmGateway llm) => TypedResults.Ok(RoleViews(llm));

    static async Task<Ok<LlmPingResult>> TestConnection(LlmGateway llm, string name, CancellationToken cancellationToken) =>
        TypedResults.Ok(await llm.TestEndpointAsync(name, cancellationToken));

    static Ok<IReadOnlyList<LlmEndpointStatus>> EndpointList(LlmGateway llm) => TypedResults.Ok(llm.Endpoints());

    internal static IReadOnlyList<LlmRoleView> RoleViews(LlmGateway llm) =>
        llm.ResolveRoles().Select(r => new LlmRoleView(r.Key.ToString(), r.Value.Endpoint, r.Value.Model, r.Value.Temperature, r.Value.MaxTokens, llm.IsSimulated(r.Key))).ToList();
}
