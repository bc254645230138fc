using Aloe.Core.Llm;
using Aloe.Core.Prompts;

namespace Aloe.Core.Personas;

/// <summary>
/// The cost of a self-generation run before it starts (the generation form, `aloe personas generate
/// --dry-run`): at most MaxRounds x CallsPerRound Generator calls, each the generator prompt with
/// ExamplesPerCall items of the pool (sized as the seed pool's average item). A run usually stops
/// earlier (the pool's bottleneck, patience or a target size), so this is an upper bound.
/// </summary>
internal sealed class GenerationForecast(ILlmGateway llm, PromptLibrary prompts, LlmCostForecaster forecaster)
{
    public async Task<CostForecast> ForecastAsync(GenerationParameters p, CancellationToken cancellationToken = default)
    {
        p.Validate();
        var binding = llm.ResolveRoles()[LlmRole.Generator];
        var template = LlmCostForecaster.Tokens(prompts.Get(p.Kind == PoolKind.Profile ? PromptNames.GeneratorProfile : PromptNames.GeneratorPersonality).Template);
        var example = (long)Math.Ceiling(SeedPools.Read(p.Kind).Average(t => LlmCostForecaster.Tokens(t)));
        var output = await forecaster.ExpectedOutputAsync(LlmRole.Generator, binding, cancellationToken);
        var calls = p.MaxRounds * p.CallsPerRound;
        return forecaster.Forecast([new RoleWorkload(LlmRole.Generator, binding, calls, calls * (template + p.ExamplesPerCall * example), (long)calls * output)],
            $"at most {p.MaxRounds} rounds x {p.CallsPerRound} calls, {p.ExamplesPerCall} examples per call (a run stops earlier at its bottleneck, patience or target: an upper bound); output sizes from the call log's mean or the role's max tokens");
    }
}
