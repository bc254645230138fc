using Aloe.Core.Personas;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Core.Benchmark;

/// <summary>
/// The paper's evaluation set from the persona pools (<see cref="PersonaService.BuildAloeBenchmarkSetAsync"/>:
/// the imported ALOE evaluation profiles x the first 5 evaluation personalities). Where the pools
/// do not hold them yet, the ALOE files are read directly. Case keys are positions in the 20 x 5
/// grid, so runs from either source pair up in comparisons.
/// </summary>
internal sealed class PersonaPoolCaseSource(IServiceProvider services, AloeEvaluationPoolCaseSource files) : IBenchmarkCaseSource
{
    public async Task<BenchmarkCaseSet> GetEvaluationSetAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<PersonaService>() is { } personas)
        {
            try
            {
                var set = await personas.BuildAloeBenchmarkSetAsync(cancellationToken);
                return new BenchmarkCaseSet(
                    $"persona pools: {PersonaService.BenchmarkProfiles} evaluation profiles x {PersonaService.BenchmarkPersonalities} personalities",
                    set.Select((p, i) => new BenchmarkCaseInput(
                        AloeEvaluationPoolCaseSource.Key(i / PersonaService.BenchmarkPersonalities, i % PersonaService.BenchmarkPersonalities), p.Text)).ToList());
            }
            catch (InvalidOperationException)
            {
                // The evaluation pools are not imported: fall through to the files.
            }
        }
        return await files.GetEvaluationSetAsync(cancellationToken);
    }
}
