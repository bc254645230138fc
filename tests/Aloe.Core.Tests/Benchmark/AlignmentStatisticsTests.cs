using Aloe.Core.Benchmark;

namespace Aloe.Core.Tests.Benchmark;

public sealed class AlignmentStatisticsTests
{
    static CaseScores Case(string key, params double?[] scores) => new(key, scores);

    [Fact]
    public void AlignmentLevelIsTheMeanScoreOfTheCasesScoredAtThatTurn()
    {
        var report = AlignmentStatistics.Analyze([Case("a", 1, 2, 3), Case("b", 3, 4, null)], turns: 3);

        Assert.Equal([2.0, 3.0, 3.0], report.Turns.Select(t => t.AlignmentLevel!.Value));
        Assert.Equal([2, 2, 1], report.Turns.Select(t => t.N));
        Assert.True(report.NVariesByTurn);
    }

    [Fact]
    public void ACaseThatStoppedEarlyIsReportedAndLeftOutOfTheCompleteCaseSummary()
    {
        var report = AlignmentStatistics.Analyze([Case("a", 1, 2, 3), Case("b", 5, 5, null)], turns: 3);

        Assert.Equal(2, report.Cases);
        Assert.Equal(1, report.CompleteCases);
        Assert.Equal(2.0, report.CompleteCaseSummary!.Average, 1e-12);
        Assert.Equal(1.0, report.CompleteCaseSummary.ImprovementRate, 1e-12);
        Assert.NotEqual(report.Summary!.Average, report.CompleteCaseSummary.Average);
    }

    [Fact]
    public void BootstrapIntervalsContainThePointEstimateAndAreReproducibleWithTheSeed()
    {
        var random = new Random(7);
        var cases = Enumerable.Range(0, 40)
            .Select(i => Case($"c{i}", Enumerable.Range(1, 5).Select(k => (double?)Math.Clamp(k * 0.6 + random.Next(-1, 2), 1, 5)).ToArray()))
            .ToList();

        var first = AlignmentStatistics.Analyze(cases, turns: 5, resamples: 500, seed: 3);
        var again = AlignmentStatistics.Analyze(cases, turns: 5, resamples: 500, seed: 3);

        Assert.Equal(first.AverageInterval, again.AverageInterval);
        Assert.InRange(first.Summary!.Average, first.AverageInterval!.Low, first.AverageInterval.High);
        Assert.InRange(first.Summary.ImprovementRate, first.ImprovementRateInterval!.Low, first.ImprovementRateInterval.High);
        Assert.True(first.ImprovementRateInterval.Low > 0, "a clearly rising curve has an interval above zero");
        foreach (var turn in first.Turns)
        {
            Assert.InRange(turn.AlignmentLevel!.Value, turn.Interval!.Low, turn.Interval.High);
            Assert.True(turn.Interval.High > turn.Interval.Low);
        }
    }

    [Fact]
    public void IdenticalCasesHaveAZeroWidthInterval()
    {
        var report = AlignmentStatistics.Analyze([Case("a", 2, 3), Case("b", 2, 3)], turns: 2, resamples: 100);

        Assert.Equal(new Interval(2.5, 2.5), report.AverageInterval);
        Assert.Equal(new Interval(1, 1), report.ImprovementRateInterval);
    }

    [Fact]
    public void PairedComparisonMatchesCasesByKeyAndIgnoresCasesOnlyOneRunHas()
    {
        var a = new[] { Case("x", 4, 5), Case("y", 3, 4), Case("only-a", 1, 1) };
        var b = new[] { Case("y", 2, 2), Case("x", 3, 3), Case("only-b", 5, 5) };

        var comparison = AlignmentStatistics.Compare(a, b, turns: 2, resamples: 300);

        Assert.Equal(2, comparison.SharedCases);
        Assert.Equal(1.5, comparison.AverageDifference!.Value, 1e-12);
        Assert.Equal(1.0, comparison.ImprovementRateDifference!.Value, 1e-12);
        Assert.InRange(comparison.AverageDifference.Value, comparison.AverageDifferenceInterval!.Low, comparison.AverageDifferenceInterval.High);
        Assert.True(comparison.AverageDifferenceInterval.Low > 0);
    }

    [Fact]
    public void RunsWithNoCasesInCommonHaveNoDifference()
    {
        var comparison = AlignmentStatistics.Compare([Case("a", 1, 2)], [Case("b", 1, 2)], turns: 2);

        Assert.Equal(0, comparison.SharedCases);
        Assert.Null(comparison.AverageDifference);
    }

    [Fact]
    public void ScoreCsvReadsRowsWithOrWithoutAHeader()
    {
        var rows = ScoreCsv.Parse(new StringReader("case,turn,score\na,1,3\na,2,4\nb,1,5\n"));
        var cases = AlignmentStatistics.FromRows(rows);

        Assert.Equal(3, rows.Count);
        Assert.Equal([3.0, 4.0], cases.Single(c => c.CaseKey == "a").Scores.Select(s => s!.Value));
        Assert.Null(cases.Single(c => c.CaseKey == "b").Scores[1]);
    }

    [Fact]
    public void ScoreCsvNamesEveryMalformedLineAndReturnsNothing()
    {
        var error = Assert.Throws<FormatException>(() => ScoreCsv.Parse(new StringReader("a,1,3\na,x,3\nb,2\nb,1,four\na,1,2\n")));

        Assert.Contains("line 2: turn 'x'", error.Message);
        Assert.Contains("line 3: expected 3 columns", error.Message);
        Assert.Contains("line 4: score 'four'", error.Message);
        Assert.Contains("line 5: case 'a' turn 1 appears twice", error.Message);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+1+1")]
    [InlineData("-2")]
    [InlineData("@SUM(A1)")]
    public void CsvTextCellsThatASpreadsheetWouldRunAsAFormulaAreGuardedAndReadBack(string text)
    {
        var cell = Aloe.Core.Data.Csv.Field(text);
        var read = Assert.Single(Aloe.Core.Data.Csv.Read(new StringReader(cell + ",x\n")));
        Assert.StartsWith("'", read.Cells[0]);
        Assert.Equal(text, Aloe.Core.Data.Csv.Unguard(read.Cells[0]));
        Assert.Equal("case-1", Aloe.Core.Data.Csv.Field("case-1"));

        var rows = ScoreCsv.Parse(new StringReader($"case,turn,score\n{cell},1,3\n"));
        Assert.Equal(text, rows.Single().CaseKey);
    }

    [Fact]
    public void CsvReaderKeepsQuotedCommasQuotesAndLineBreaksInOneRecord()
    {
        var records = Aloe.Core.Data.Csv.Read(new StringReader("a,\"b, \"\"c\"\"\nd\",e\r\nf,g\n")).ToList();
        Assert.Equal(2, records.Count);
        Assert.Equal(["a", "b, \"c\"\nd", "e"], records[0].Cells);
        Assert.Equal(3, records[1].Line);
        Assert.Equal(["f", "g"], records[1].Cells);
    }
}
