using System.Globalization;
using System.Text.Json;
using Aloe.Core.Analysis;
using Aloe.Testing;

namespace Aloe.Core.Tests.Analysis;

/// <summary>The sampler against lme4's estimates on its own example data (../shared/testdata/lme4): posterior means within half a standard error.</summary>
public sealed class Lme4ReferenceTests
{
    static (string Folder, JsonElement Reference) Shared()
    {
        var folder = Path.Combine(TestHost.RequireSharedFolder(), "testdata", "lme4");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "reference.json")));
        return (folder, json.RootElement.Clone());
    }

    [SkippableFact]
    public void SleepstudyGaussianMatchesLmer()
    {
        var (folder, reference) = Shared();
        using var reader = new StreamReader(Path.Combine(folder, "sleepstudy.csv"));
        var table = AnalysisTable.ReadCsv(reader);
        var fit = MixedModel.Fit("Reaction ~ Days + (1|Subject)", table, ModelFamily.Gaussian, new SamplerOptions(Seed: 7));

        AssertWithinHalfSe(fit, reference.GetProperty("sleepstudy").GetProperty("fixed"), name => name);
        var subject = fit.Random.Single(r => r.Group == "Subject").SdMean;
        Assert.InRange(subject, 0.8 * 37.12, 1.3 * 37.12); // posterior mean of an SD from 18 subjects sits a little above REML's
        Assert.InRange(fit.Random.Single(r => r.Group == "Residual").SdMean, 0.95 * 30.99, 1.05 * 30.99);
        Assert.True(fit.RhatMax < 1.01, $"R-hat {fit.RhatMax}");
    }

    [SkippableFact]
    public void CbppBernoulliMatchesGlmer()
    {
        var (folder, reference) = Shared();
        using var reader = new StreamReader(Path.Combine(folder, "cbpp.csv"));
        var table = ExpandBinomial(AnalysisTable.ReadCsv(reader));
        var fit = MixedModel.Fit("sick ~ factor(period) + (1|herd)", table, ModelFamily.Bernoulli, new SamplerOptions(Seed: 11));

        // factor(period) names its dummies period2..period4, as R does for a factor column.
        AssertWithinHalfSe(fit, reference.GetProperty("cbpp").GetProperty("fixed"), name => name);
        Assert.InRange(fit.Random.Single().SdMean, 0.5 * 0.642, 1.6 * 0.642);
        Assert.True(fit.RhatMax < 1.01, $"R-hat {fit.RhatMax}");
    }

    static void AssertWithinHalfSe(MixedModelFit fit, JsonElement expected, Func<string, string> name)
    {
        foreach (var term in expected.EnumerateObject())
        {
            var estimate = term.Value.GetProperty("estimate").GetDouble();
            var se = term.Value.GetProperty("se").GetDouble();
            var actual = fit.Fixed.Single(f => f.Name == name(term.Name));
            Assert.True(Math.Abs(actual.Mean - estimate) < se / 2,
                $"{term.Name}: posterior mean {actual.Mean:F4}, lme4 {estimate:F4} +- {se / 2:F4} (half an SE)");
        }
    }

    /// <summary>Each herd-period row of `incidence` cases out of `size` animals becomes `size` Bernoulli rows.</summary>
    static AnalysisTable ExpandBinomial(AnalysisTable table)
    {
        var herd = new List<string>();
        var period = new List<string>();
        var sick = new List<string>();
        var incidence = table.Numbers("incidence")!;
        var size = table.Numbers("size")!;
        for (var i = 0; i < table.RowCount; i++)
            for (var k = 0; k < size[i]; k++)
            {
                herd.Add(table.Text("herd")[i]);
                period.Add(table.Text("period")[i]);
                sick.Add(k < incidence[i] ? "1" : "0");
            }
        return new AnalysisTable(["herd", "period", "sick"], [herd.ToArray(), period.ToArray(), sick.ToArray()]);
    }
}
