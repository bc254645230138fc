using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.Core.Prompts;

namespace Aloe.Core.Dialogues;

/// <summary>
/// The cost of a dialogue build before it starts (`aloe dialogues build --dry-run`, POST
/// /api/dialogues/forecast): per persona and turn one role-play, induction, preferred and rejected
/// call, and a verifier call when verifying. Every role but the verifier sees the conversation so
/// far, which grows by one exchange per turn. Prompt sizes are the templates' plus the persona's.
/// Read-only: the personas come from <see cref="IDialoguePersonaSource.EstimateAsync"/> (those there
/// are, plus the ones the build would pair, sized by the pool items), so nothing is paired for a forecast.
/// </summary>
internal sealed class DialogueForecast(IDialoguePersonaSource personas, ILlmGateway llm, PromptLibrary prompts, LlmCostForecaster forecaster)
{
    public async Task<CostForecast> ForecastAsync(BuildRequest request, CancellationToken cancellationToken = default)
    {
        if (request.MaxTurns < 1)
            throw new ArgumentException("Turns must be at least 1.");
        var (count, personaTokens) = await personas.EstimateAsync(request.Personas, cancellationToken);
        var roles = llm.ResolveRoles();
        var output = new Dictionary<LlmRole, int>();
        foreach (var role in new[] { LlmRole.RolePlay, LlmRole.Induction, LlmRole.Preferred, LlmRole.Rejected, LlmRole.Verifier })
            output[role] = await forecaster.ExpectedOutputAsync(role, roles[role], cancellationToken);
        long Template(string name) => LlmCostForecaster.Tokens(prompts.Get(name).Template);
        var (u, a, i, v) = (output[LlmRole.RolePlay], output[LlmRole.Preferred], output[LlmRole.Induction], output[LlmRole.Verifier]);
        var k = (long)request.MaxTurns;
        var history = k * (k - 1) / 2 * (u + a);
        var calls = (int)(count * k);
        List<RoleWorkload> workload =
        [
            new(LlmRole.RolePlay, roles[LlmRole.RolePlay], calls, count * (k * (Template(PromptNames.RolePlay) + personaTokens) + history), (long)calls * u),
            new(LlmRole.Induction, roles[LlmRole.Induction], calls,
                count * (k * (Template(InductionExamples.PromptName) + Template(PromptNames.Induction) + personaTokens + u) + history), (long)calls * i),
            new(LlmRole.Preferred, roles[LlmRole.Preferred], calls, count * (k * (Template(PromptNames.Preferred) + u + i) + history), (long)calls * a),
            new(LlmRole.Rejected, roles[LlmRole.Rejected], calls, count * (k * (Template(PromptNames.Rejected) + u) + history), (long)calls * a),
        ];
        if (request.Verify)
            workload.Add(new(LlmRole.Verifier, roles[LlmRole.Verifier], calls, count * k * (Template(PromptNames.Verifier) + personaTokens + u + 2 * a), (long)calls * v));
        return forecaster.Forecast(workload, $"{count} personas x {k} turns{(request.Verify ? ", verified" : "")}; output sizes from the call log's means or the roles' max tokens; retries and expansions not included");
    }
}
