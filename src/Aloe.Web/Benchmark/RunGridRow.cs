using Aloe.Core.Benchmark;
using Aloe.Core.Jobs;

namespace Aloe.Web.Benchmark;

/// <summary>
/// A runs-grid row with one flat property per sortable column: the grid names a sort by the
/// column's property, which <see cref="BenchmarkRunsGrid"/> maps to the query's sort keys.
/// </summary>
public sealed record RunGridRow(BenchmarkRunRow Source)
{
    public BenchmarkRun Run => Source.Run;
    public JobRun? Job => Source.Job;
    public string Name => Run.Name;
    public string Status => Job?.Status.ToString() ?? "";
    public double? Average => Source.Summary?.Average;
    public double? ImprovementRate => Source.Summary?.ImprovementRate;
    public string Judge => Source.JudgeModel;
    public int Cases => Run.CaseCount;
    public DateTimeOffset Created => Run.CreatedAt;
}
