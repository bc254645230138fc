using System.Text.Json;
using Aloe.Core.Benchmark;
using Aloe.Testing;
using Xunit.Abstractions;

namespace Aloe.Core.Tests.Benchmark;

public sealed class AlignmentMetricsTests(ITestOutputHelper output)
{
    // Paper, Table 1: Qwen2-7B-Instruct, Base.
    static readonly double[] QwenBase = [2.87, 2.94, 2.88, 3.10, 3.65, 4.13, 4.50, 4.65, 4.63, 4.70];

    // Table 1 prints the average with 2 decimals, so the mean of the printed ALs can differ from
    // it by half a unit in the last place (Qwen2 Base: 3.805 -> 3.81); IR, N-IR and R2 have 3.
    const double PrintedAveragePrecision = 0.005 + 1e-9;

    [Fact]
    public void ReproducesThePublishedQwen2BaseRow()
    {
        var summary = AlignmentMetrics.Summarize(QwenBase);

        // The average is printed to 2 decimals (3.805 prints as 3.81): compare at that precision.
        Assert.Equal(3.81, summary.Average, PrintedAveragePrecision);
        Assert.Equal(0.254, summary.ImprovementRate, 0.002);
        Assert.Equal(0.138, summary.NormalizedImprovementRate!.Value, 0.002);
        Assert.Equal(0.917, summary.RSquared!.Value, 0.002);
        Assert.Equal(0.918, summary.NormalizedRSquared!.Value, 0.002);
    }

    [SkippableFact]
    public void ReproducesEveryPublishedTable1Row_Shared()
    {
        var path = SharedTestData("aloe-table1-subset.json");
        Skip.If(path is null, "../shared/testdata/aloe-table1-subset.json is absent (set ALOE_SHARED to the shared folder).");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var rows = document.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var name = $"{row.GetProperty("model").GetString()} ({row.GetProperty("type").GetString()})";
            var al = row.GetProperty("al").EnumerateArray().Select(a => a.GetDouble()).ToList();
            var summary = AlignmentMetrics.Summarize(al);
            output.WriteLine($"{name}: average {summary.Average:0.0000} IR {summary.ImprovementRate:0.0000} N-IR {summary.NormalizedImprovementRate:0.0000} R2 {summary.RSquared:0.0000}");
            Assert.True(Math.Abs(summary.Average - row.GetProperty("average").GetDouble()) <= PrintedAveragePrecision, $"{name}: average {summary.Average}");
            Assert.True(Math.Abs(summary.ImprovementRate - row.GetProperty("ir").GetDouble()) <= 0.002 + 1e-9, $"{name}: IR {summary.ImprovementRate}");
            Assert.True(Math.Abs(summary.NormalizedImprovementRate!.Value - row.GetProperty("n_ir").GetDouble()) <= 0.002 + 1e-9, $"{name}: N-IR {summary.NormalizedImprovementRate}");
            Assert.True(Math.Abs(summary.RSquared!.Value - row.GetProperty("r2").GetDouble()) <= 0.002 + 1e-9, $"{name}: R2 {summary.RSquared}");
            // Min-max scaling is affine, so N-R2 equals R2; the printed N-R2 differs by up to 0.007.
            Assert.Equal(summary.RSquared!.Value, summary.NormalizedRSquared!.Value, 1e-9);
            Assert.True(Math.Abs(summary.NormalizedRSquared!.Value - row.GetProperty("n_r2").GetDouble()) <= 0.008, $"{name}: N-R2 {summary.NormalizedRSquared}");
        }
    }

    [Fact]
    public void AStraightLineHasItsSlopeAndAPerfectFit()
    {
        var summary = AlignmentMetrics.Summarize([1.0, 1.5, 2.0, 2.5]);

        Assert.Equal(0.5, summary.ImprovementRate, 1e-12);
        Assert.Equal(1.0, summary.RSquared!.Value, 1e-12);
        Assert.Equal(1.0 / 3, summary.NormalizedImprovementRate!.Value, 1e-12);
    }

    [Fact]
    public void AFlatCurveHasZeroRateAndNoNormalisedValues()
    {
        var summary = AlignmentMetrics.Summarize([3.0, 3.0, 3.0]);

        Assert.Equal(0, summary.ImprovementRate, 1e-12);
        Assert.Null(summary.RSquared);
        Assert.Null(summary.NormalizedImprovementRate);
        Assert.Null(summary.NormalizedRSquared);
    }

    [Fact]
    public void RefusesACurveOfOneTurn() =>
        Assert.Throws<ArgumentException>(() => AlignmentMetrics.Summarize([3.0]));

    internal static string? SharedTestData(string name)
    {
        var shared = TestHost.SharedFolder();
        var path = shared is null ? null : Path.Combine(shared, "testdata", name);
        return path is not null && File.Exists(path) ? path : null;
    }
}
