using Aloe.Core.Analysis;

namespace Aloe.Core.Tests.Analysis;

public sealed class ConstructivenessAnalysisTests
{
    static List<ScoredResponse> Simulate() => SimulatedScores.Generate();

    [Fact]
    public void RunsThePapersAnalysesOnScoredResponses()
    {
        var rows = Simulate();
        var report = ConstructivenessAnalysis.Run(rows, new SamplerOptions(Chains: 2, Warmup: 200, Draws: 300, Seed: 1));

        // 1a and 1b on all data and on each of the two conversation types.
        Assert.Equal(6, report.Preference.Count);
        var logistic = report.Preference.Single(f => f.Analysis.StartsWith("1a") && f.Label == "all").Fit!;
        var reasoning = logistic.Fixed.Single(f => f.Name == "reasoning_nuance");
        Assert.True(reasoning.Q05 > 0 && reasoning.Evidence == Evidence.Significant, $"reasoning_nuance {reasoning.Mean} [{reasoning.Q05}, {reasoning.Q95}]");
        Assert.True(logistic.Fixed.Single(f => f.Name == "personal_story").Q95 < 0);
        Assert.NotNull(reasoning.OddsRatioPer10Percent);

        // Moderation: toxicity hurts the young more.
        var moderation = report.Moderation.Single(f => f.Label == "younger").Fit!;
        Assert.True(moderation.Fixed.Single(f => f.Name == "toxicity:younger").Q95 < 0);

        // Mirroring: one model per response attribute; compassion follows the prompt's.
        Assert.Equal(ConstructivenessAnalysis.Predictors.Length, report.Mirroring.Count);
        var compassion = report.Mirroring.Single(f => f.Label == "compassion").Fit!;
        Assert.True(compassion.Fixed.Single(f => f.Name == "prompt_compassion").Mean > 0.3);

        // Distributions: each attribute over all and per type; histograms count every value.
        var toxicity = report.Distributions.Where(d => d.Attribute == "toxicity").ToList();
        Assert.Equal(["all", "unguided", "values guided"], toxicity.Select(d => d.Group));
        Assert.Equal(rows.Count, toxicity[0].Count);
        Assert.Equal(toxicity[0].Count, toxicity[0].Histogram.Sum());

        var csv = report.SummariesCsv().TrimEnd().Split('\n');
        Assert.Equal(MixedModelFit.CsvHeader, csv[0]);
        Assert.Equal(report.All.Sum(f => f.Fit!.Fixed.Count + f.Fit.Random.Count), csv.Length - 1);
        Assert.Contains(csv, line => line.StartsWith("\"1a preference (chosen, logistic): all\",reasoning_nuance,fixed,"));
    }

    [Fact]
    public void ASubsetThatCannotBeFittedIsReportedNotThrown()
    {
        var rows = Simulate().Select(r => r with { Moderators = new Dictionary<string, bool> { ["male"] = true } }).ToList();
        var report = ConstructivenessAnalysis.Run(rows, new SamplerOptions(Chains: 1, Warmup: 20, Draws: 20, Seed: 1));
        var male = Assert.Single(report.Moderation);
        Assert.Null(male.Fit);
        Assert.Contains("'male'", male.Skipped);
    }
}
