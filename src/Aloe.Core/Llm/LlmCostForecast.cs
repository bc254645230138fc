using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aloe.Core.Llm;

/// <summary>What a run will ask of one role: how many calls and how many tokens in and out.</summary>
public sealed record RoleWorkload(LlmRole Role, RoleBinding Binding, int Calls, long InputTokens, long OutputTokens);

/// <summary>A role's share of a forecast; Priced is false when its model has no price in the configuration (its cost then counts as 0).</summary>
public sealed record RoleForecast(LlmRole Role, string Endpoint, string Model, int Calls, long InputTokens, long OutputTokens, double Cost, bool Priced, bool Simulated);

/// <summary>
/// A run's forecast before it starts: calls, tokens and cost by role and in total (US dollars, from
/// the endpoints' price tables). Retries and cache hits are not predicted: retries add, a replay
/// with the same seed costs nothing.
/// </summary>
public sealed record CostForecast(IReadOnlyList<RoleForecast> Roles, int Calls, long InputTokens, long OutputTokens, double Cost, bool FullyPriced, string Basis);

/// <summary>
/// Turns a run's workload into a forecast. Output sizes come from the call log (the mean output of
/// this role and model so far) or, without history, from the role's max tokens (an upper bound);
/// features build the workload from their prompt sizes and the run's shape.
/// </summary>
internal sealed class LlmCostForecaster(IOptions<LlmOptions> options, IDbContextFactory<AloeDbContext> dbFactory)
{
    /// <summary>Tokens of a text, at four characters a token (the gateway's estimate when a server reports none).</summary>
    public static long Tokens(string text) => CostChatClient.EstimateTokens(text.Length);

    /// <summary>The expected output tokens of a role's call: the logged mean for this role and model, else the role's max tokens.</summary>
    public async Task<int> ExpectedOutputAsync(LlmRole role, RoleBinding binding, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mean = await db.Set<LlmCall>().Where(c => c.Role == role && c.Model == binding.Model && c.Error == null && c.OutputTokens > 0)
            .Select(c => (double?)c.OutputTokens).AverageAsync(cancellationToken);
        return mean is { } m ? (int)Math.Ceiling(Math.Min(m, binding.MaxTokens)) : binding.MaxTokens;
    }

    public CostForecast Forecast(IEnumerable<RoleWorkload> workload, string basis)
    {
        var roles = workload.Select(w =>
        {
            var endpoint = options.Value.Endpoints.GetValueOrDefault(w.Binding.Endpoint);
            var simulated = endpoint is null or { Type: LlmEndpointType.Simulated };
            var prices = endpoint?.Prices ?? new Dictionary<string, ModelPrice>();
            var priced = simulated || prices.ContainsKey(w.Binding.Model);
            return new RoleForecast(w.Role, w.Binding.Endpoint, w.Binding.Model, w.Calls, w.InputTokens, w.OutputTokens,
                CostChatClient.Cost(prices, w.Binding.Model, w.InputTokens, w.OutputTokens), priced, simulated);
        }).ToList();
        return new CostForecast(roles, roles.Sum(r => r.Calls), roles.Sum(r => r.InputTokens), roles.Sum(r => r.OutputTokens), roles.Sum(r => r.Cost),
            roles.All(r => r.Priced), basis);
    }
}
