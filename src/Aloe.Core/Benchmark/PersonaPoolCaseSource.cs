using Aloe.Core.Personas;

namespace Aloe.Core.Benchmark;

/// <summary>
/// The paper's evaluation set from the persona pools (<see cref="PersonaService.BuildAloeBenchmarkSetAsync"/>:
/// the first 20 evaluation profiles x the first 5 evaluation personalities). With the ALOE
/// evaluation pools imported that is the paper's set; on a fresh install, the project's own
/// evaluation seeds. A case's key is its place in the 20 x 5 grid, prefixed by where the grid
/// came from, so runs pair up in comparisons only when they conversed as the same personas.
/// The preview is the same set without pairing the personas not made yet (the form and the forecast).
/// </summary>
internal sealed class PersonaPoolCaseSource(PersonaService personas) : IBenchmarkCaseSource
{
    public async Task<BenchmarkCaseSet> GetEvaluationSetAsync(CancellationToken cancellationToken) =>
        Cases(await personas.BuildAloeBenchmarkSetAsync(cancellationToken));

    public async Task<BenchmarkCaseSet> PreviewEvaluationSetAsync(CancellationToken cancellationToken) =>
        Cases(await personas.PreviewAloeBenchmarkSetAsync(cancellationToken));

    static BenchmarkCaseSet Cases(EvaluationGrid grid)
    {
        var (prefix, origin) = grid.SeedItems switch
        {
            0 => ("aloe-eval", "imported"),
            EvaluationGrid.Items => ("seed-eval", "the project's seeds"),
            var n => ("mixed-eval", $"{n} of them the project's seeds"),
        };
        if (grid.SimulatedItems > 0)
            origin += $"; {grid.SimulatedItems} written by the Simulated provider";
        return new BenchmarkCaseSet(
            $"{prefix}: {PersonaService.BenchmarkProfiles} evaluation profiles x {PersonaService.BenchmarkPersonalities} personalities ({origin})",
            grid.Personas.Select((p, i) => new BenchmarkCaseInput(
                Key(prefix, i / PersonaService.BenchmarkPersonalities, i % PersonaService.BenchmarkPersonalities), p.Text)).ToList());
    }

    public static string Key(string prefix, int profileIndex, int personalityIndex) => $"{prefix}/p{profileIndex + 1:00}-q{personalityIndex + 1}";
}
