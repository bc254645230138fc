using System.ComponentModel.DataAnnotations;

namespace Aloe.Core.Benchmark;

public sealed class BenchmarkOptions
{
    public const string Section = "Benchmark";

    /// <summary>
    /// Cases conversing at once in a run. The gateway limits calls per endpoint; having more cases
    /// than that limit keeps the endpoint busy while other cases save their turns (measured in
    /// docs/performance.md).
    /// </summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 64;

    /// <summary>Tries per call (role-play, evaluated, judge) before the item is marked failed.</summary>
    [Range(1, 10)]
    public int Attempts { get; set; } = 3;
}
