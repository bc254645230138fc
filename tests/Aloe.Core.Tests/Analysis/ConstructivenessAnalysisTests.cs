using Aloe.Core.Analysis;

namespace Aloe.Core.Tests.Analysis;

public sealed class ConstructivenessAnalysisTests
{
    /// <summary>
    /// PRISM-like rows: 60 users x 2 conversations x 3 turns x 2 responses; "chosen" and the score
    /// rise with reasoning x nuance and fall with personal story; the response's compassion mirrors the
    /// prompt's; the young prefer less toxicity.
    /// </summary>
    internal static List<ScoredResponse> Simulate(ulong seed = 5)
    {
        var rng = new Rng(seed);
        var rows = new List<ScoredResponse>();
        for (var user = 0; user < 60; user++)
        {
            var younger = user % 2 == 0;
            for (var conversation = 0; conversation < 2; conversation++)
            {
                var type = conversation == 0 ? "unguided" : "values guided";
                var prompt = Enumerable.ToDictionary(ConstructivenessAnalysis.Attributes, a => a, _ => rng.Uniform());
                for (var turn = 0; turn < 3; turn++)
                {
                    var utilities = new double[2];
                    var attributes = new Dictionary<string, double>[2];
                    for (var k = 0; k < 2; k++)
                    {
                        attributes[k] = ConstructivenessAnalysis.Attributes.ToDictionary(a => a, _ => rng.Uniform());
                        attributes[k]["compassion"] = Math.Clamp(0.3 + 0.6 * prompt["compassion"] + 0.1 * rng.Normal(), 0, 1);
                        utilities[k] = 3 * attributes[k]["reasoning"] * attributes[k]["nuance"] - 2 * attributes[k]["personal_story"]
                            - (younger ? 2.5 : 0) * attributes[k]["toxicity"] + rng.Normal();
                    }
                    for (var k = 0; k < 2; k++)
                        rows.Add(new ScoredResponse($"u{user}", $"u{user}-c{conversation}", $"m{(user + k) % 4}", type,
                            utilities[k] > utilities[1 - k], Math.Clamp(50 + 12 * utilities[k], 1, 100), attributes[k], prompt,
                            new Dictionary<string, bool> { ["younger"] = younger }));
                }
            }
        }
        return rows;
    }

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
        var moderation = Assert.Single(report.Moderation).Fit!;
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
