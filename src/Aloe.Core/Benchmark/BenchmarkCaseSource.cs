using Aloe.Core.Conversations;

namespace Aloe.Core.Benchmark;

/// <summary>One evaluation case: a stable key (to pair runs) and the persona the simulated user plays.</summary>
public sealed record BenchmarkCaseInput(string CaseKey, PersonaText Persona);

/// <summary>An evaluation set and a short description stored on each run.</summary>
public sealed record BenchmarkCaseSet(string Name, IReadOnlyList<BenchmarkCaseInput> Cases);

/// <summary>Where evaluation personas come from: the persona pools (<see cref="PersonaPoolCaseSource"/>) or, in tests, a fixed set.</summary>
public interface IBenchmarkCaseSource
{
    /// <summary>The paper's construction: every evaluation profile x the first 5 evaluation personalities, profile-major.</summary>
    Task<BenchmarkCaseSet> GetEvaluationSetAsync(CancellationToken cancellationToken);

    /// <summary>The same cases, read-only: creates nothing (the form, the forecast, any GET).</summary>
    Task<BenchmarkCaseSet> PreviewEvaluationSetAsync(CancellationToken cancellationToken);
}
