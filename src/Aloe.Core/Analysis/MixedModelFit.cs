using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Aloe.Core.Data;

namespace Aloe.Core.Analysis;

/// <summary>How strong the one-sided evidence is, by the paper's thresholds on the evidence ratio.</summary>
public enum Evidence { None, Marginal, Significant }

/// <summary>
/// A coefficient as the paper reports it: posterior mean and SD, one-sided 95% bounds (the 5th and
/// 95th percentiles, i.e. a two-sided 90% interval), the evidence ratio P(b &gt; 0) / P(b &lt; 0), and
/// the effect of a 10% (0.1) increase of a 0-1 attribute (for the logit link also as an odds ratio).
/// </summary>
public sealed record CoefficientSummary(
    string Name, double Mean, double Sd, double Q05, double Q95,
    [property: JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double EvidenceRatio,
    Evidence Evidence, double Per10Percent, double? OddsRatioPer10Percent, double Rhat, double EssBulk, double EssTail)
{
    public const double SignificantRatio = 100;
    public const double MarginalRatio = 10;

    internal static CoefficientSummary Of(string name, double[][] chains, ModelFamily family)
    {
        var pooled = chains.SelectMany(c => c).ToArray();
        Array.Sort(pooled);
        var mean = pooled.Average();
        var sd = Math.Sqrt(pooled.Sum(v => (v - mean) * (v - mean)) / (pooled.Length - 1));
        var positive = pooled.Count(v => v > 0);
        var negative = pooled.Count(v => v < 0);
        // No draw on one side: the ratio is unbounded (brms prints Inf); JSON writes "Infinity".
        var ratio = negative == 0 ? (positive == 0 ? 1 : double.PositiveInfinity) : (double)positive / negative;
        var strength = Math.Max(ratio, 1 / ratio);
        var evidence = strength > SignificantRatio ? Evidence.Significant : strength > MarginalRatio ? Evidence.Marginal : Evidence.None;
        return new CoefficientSummary(name, mean, sd, Quantiles.Of(pooled, 0.05), Quantiles.Of(pooled, 0.95), ratio, evidence,
            0.1 * mean, family == ModelFamily.Bernoulli ? Math.Exp(0.1 * mean) : null,
            Diagnostics.Rhat(chains), Diagnostics.EssBulk(chains), Diagnostics.EssTail(chains));
    }
}

/// <summary>A random-intercept SD (or the residual SD, group "Residual") with its diagnostics.</summary>
public sealed record VarianceSummary(string Group, int Levels, double SdMean, double SdQ05, double SdQ95, double Rhat, double EssBulk, double EssTail);

/// <summary>A fitted model: summaries, diagnostics, warnings and the kept draws (for trace plots).</summary>
public sealed record MixedModelFit(
    string Formula, ModelFamily Family, int Rows, SamplerOptions Options,
    IReadOnlyList<CoefficientSummary> Fixed, IReadOnlyList<VarianceSummary> Random,
    double RhatMax, double EssBulkMin, double EssTailMin, IReadOnlyList<string> Warnings, double Seconds,
    [property: JsonIgnore] Posterior Posterior)
{
    internal static MixedModelFit Summarise(string formula, ModelFamily family, ModelData data, SamplerOptions options, Posterior posterior, TimeSpan elapsed)
    {
        var fixedEffects = data.FixedNames.Select((name, j) => CoefficientSummary.Of(name, posterior.Draws[j], family)).ToList();
        var random = new List<VarianceSummary>();
        for (var j = data.FixedCount; j < posterior.Parameters.Length; j++)
        {
            var k = j - data.FixedCount;
            var group = k < data.Random.Length ? data.Random[k].Name : "Residual";
            var levels = k < data.Random.Length ? data.Random[k].LevelCount : data.Rows;
            var sorted = posterior.Pooled(j);
            Array.Sort(sorted);
            random.Add(new VarianceSummary(group, levels, sorted.Average(), Quantiles.Of(sorted, 0.05), Quantiles.Of(sorted, 0.95),
                Diagnostics.Rhat(posterior.Draws[j]), Diagnostics.EssBulk(posterior.Draws[j]), Diagnostics.EssTail(posterior.Draws[j])));
        }
        var rhats = fixedEffects.Select(f => f.Rhat).Concat(random.Select(r => r.Rhat)).Where(double.IsFinite).ToList();
        var bulk = fixedEffects.Select(f => f.EssBulk).Concat(random.Select(r => r.EssBulk)).Where(double.IsFinite).ToList();
        var tail = fixedEffects.Select(f => f.EssTail).Concat(random.Select(r => r.EssTail)).Where(double.IsFinite).ToList();
        var warnings = new List<string>();
        var names = fixedEffects.Select(f => (f.Name, f.Rhat, f.EssBulk, f.EssTail)).Concat(random.Select(r => ($"sd({r.Group})", r.Rhat, r.EssBulk, r.EssTail)));
        foreach (var (name, rhat, essBulk, essTail) in names)
        {
            if (options.Chains > 1 && rhat > Diagnostics.RhatThreshold)
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"R-hat of {name} is {rhat:F3} (> {Diagnostics.RhatThreshold}): the chains have not mixed; run longer."));
            if (Math.Min(essBulk, essTail) < Diagnostics.EssThreshold)
                warnings.Add(string.Create(CultureInfo.InvariantCulture, $"ESS of {name} is {Math.Min(essBulk, essTail):F0} (bulk {essBulk:F0}, tail {essTail:F0}; < {Diagnostics.EssThreshold}): draw more."));
        }
        return new MixedModelFit(formula, family, data.Rows, options, fixedEffects, random,
            rhats.DefaultIfEmpty(double.NaN).Max(), bulk.DefaultIfEmpty(double.NaN).Min(), tail.DefaultIfEmpty(double.NaN).Min(),
            warnings, elapsed.TotalSeconds, posterior);
    }

    /// <summary>The CLI's JSON shape (issue 12): names as in the CSV header, "(Intercept)" for the intercept.</summary>
    public FitJson ToJson() => new(
        Fixed.ToDictionary(f => f.Name, f => new FixedJson(f.Mean, f.Sd, f.Q05, f.Q95, f.EvidenceRatio)),
        Random.Where(r => r.Group != "Residual").ToDictionary(r => r.Group, r => new RandomJson(r.SdMean)),
        RhatMax, EssBulkMin, Math.Round(Seconds, 3));

    public const string CsvHeader = "model,term,kind,mean,sd,q05,q95,evidence_ratio,evidence,per_10_percent,odds_ratio_per_10_percent,rhat,ess_bulk,ess_tail";

    /// <summary>Summary rows for CSV export; <paramref name="model"/> labels the fit (e.g. "1a all").</summary>
    public IEnumerable<string> CsvRows(string model)
    {
        static string F(double? v) => v is null ? "" : double.IsPositiveInfinity(v.Value) ? "Inf" : v.Value.ToString("G6", CultureInfo.InvariantCulture);
        foreach (var f in Fixed)
            yield return string.Join(",", Csv.Field(model), Csv.Field(f.Name), "fixed", F(f.Mean), F(f.Sd), F(f.Q05), F(f.Q95), F(f.EvidenceRatio),
                f.Evidence.ToString().ToLowerInvariant(), F(f.Per10Percent), F(f.OddsRatioPer10Percent), F(f.Rhat), F(f.EssBulk), F(f.EssTail));
        foreach (var r in Random)
            yield return string.Join(",", Csv.Field(model), Csv.Field($"sd({r.Group})"), "sd", F(r.SdMean), "", F(r.SdQ05), F(r.SdQ95), "", "", "", "",
                F(r.Rhat), F(r.EssBulk), F(r.EssTail));
    }

    public static string ToCsv(IEnumerable<(string Model, MixedModelFit Fit)> fits)
    {
        var text = new StringBuilder().AppendLine(CsvHeader);
        foreach (var (model, fit) in fits)
            foreach (var row in fit.CsvRows(model))
                text.AppendLine(row);
        return text.ToString();
    }
}

/// <summary>`aloe analysis fit --json`: {"fixed": {NAME: {mean, sd, q05, q95, evidence_ratio}}, "random": {GROUP: {sd_mean}}, "rhat_max", "ess_bulk_min", "seconds"}.</summary>
public sealed record FitJson(
    [property: JsonPropertyName("fixed")] IReadOnlyDictionary<string, FixedJson> Fixed,
    [property: JsonPropertyName("random")] IReadOnlyDictionary<string, RandomJson> Random,
    [property: JsonPropertyName("rhat_max"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double RhatMax,
    [property: JsonPropertyName("ess_bulk_min"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double EssBulkMin,
    [property: JsonPropertyName("seconds")] double Seconds);

public sealed record FixedJson(
    [property: JsonPropertyName("mean")] double Mean,
    [property: JsonPropertyName("sd")] double Sd,
    [property: JsonPropertyName("q05")] double Q05,
    [property: JsonPropertyName("q95")] double Q95,
    [property: JsonPropertyName("evidence_ratio"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double EvidenceRatio);

public sealed record RandomJson([property: JsonPropertyName("sd_mean")] double SdMean);
