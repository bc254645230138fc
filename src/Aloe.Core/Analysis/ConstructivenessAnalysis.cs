using System.Globalization;
using System.Text;
using Aloe.Core.Data;

namespace Aloe.Core.Analysis;

/// <summary>
/// One scored model response: the input of the paper's analyses, whatever produced the scores (stored
/// attribute scores of dialogues, benchmark transcripts, annotations, PRISM, a CSV). Attribute keys are
/// the lower-case Perspective names without "_EXPERIMENTAL" (<see cref="ConstructivenessAnalysis.Attributes"/>),
/// probabilities in 0-1. <paramref name="User"/>, <paramref name="Conversation"/> and <paramref name="Model"/>
/// are the random-intercept groups (for our own data: persona, dialogue, evaluated model).
/// </summary>
internal sealed record ScoredResponse(
    string User, string Conversation, string Model, string ConversationType,
    bool? Chosen, double? Score,
    IReadOnlyDictionary<string, double> ResponseAttributes,
    IReadOnlyDictionary<string, double> PromptAttributes,
    IReadOnlyDictionary<string, bool> Moderators);

/// <summary>A labelled fit, or why it could not be fitted (e.g. a subset with one group).</summary>
internal sealed record LabelledFit(string Analysis, string Label, string Formula, MixedModelFit? Fit, string? Skipped)
{
    public string Key => $"{Analysis}: {Label}";
}

/// <summary>A model the analyses will fit: which rows it includes and how.</summary>
internal sealed record PlannedFit(string Analysis, string Label, string Formula, ModelFamily Family, Func<ScoredResponse, bool> Include)
{
    public string Key => $"{Analysis}: {Label}";
}

/// <summary>Spread of one attribute within one group (Figure: attribute distributions by conversation type).</summary>
internal sealed record AttributeDistribution(string Attribute, string Group, int Count, double Mean, double Sd,
    double Q05, double Q25, double Median, double Q75, double Q95, IReadOnlyList<int> Histogram);

/// <summary>Everything the Analysis page shows and the CSV export writes.</summary>
internal sealed record ConstructivenessReport(
    IReadOnlyList<LabelledFit> Preference, IReadOnlyList<LabelledFit> Moderation, IReadOnlyList<LabelledFit> Mirroring,
    IReadOnlyList<AttributeDistribution> Distributions)
{
    public IEnumerable<LabelledFit> All => Preference.Concat(Moderation).Concat(Mirroring);

    /// <summary>All coefficient summaries as CSV: one row per term of every fitted model.</summary>
    public string SummariesCsv() => MixedModelFit.ToCsv(All.Where(f => f.Fit is not null).Select(f => ($"{f.Analysis}: {f.Label}", f.Fit!)));

    public string DistributionsCsv()
    {
        static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
        var text = new StringBuilder().AppendLine("attribute,group,count,mean,sd,q05,q25,median,q75,q95");
        foreach (var d in Distributions)
            text.AppendLine(string.Join(",", Csv.Field(d.Attribute), Csv.Field(d.Group), d.Count.ToString(CultureInfo.InvariantCulture),
                F(d.Mean), F(d.Sd), F(d.Q05), F(d.Q25), F(d.Median), F(d.Q75), F(d.Q95)));
        return text.ToString();
    }
}

/// <summary>
/// The analyses of Kyrychenko et al. (2025) over scored responses: preference (1a logistic on "chosen",
/// 1b linear on log score; all data and per conversation type), moderation (each attribute's interaction
/// with a binary moderator, one model per moderator), mirroring (each response attribute from the
/// prompt's attributes) and attribute distributions by conversation type.
/// </summary>
internal static class ConstructivenessAnalysis
{
    public static readonly string[] Attributes = ["affinity", "compassion", "curiosity", "nuance", "personal_story", "reasoning", "respect", "toxicity"];

    /// <summary>The paper's seven predictors: REASONING and NUANCE (r ~ 0.9) multiplied into one.</summary>
    public static readonly string[] Predictors = ["reasoning_nuance", "curiosity", "personal_story", "respect", "compassion", "affinity", "toxicity"];

    public const string RandomTerms = "(1|user/conversation) + (1|model)";
    public const string UserTerms = "(1|user/conversation)";

    /// <summary>The PRISM moderators (our own data brings persona traits under its own names).</summary>
    public static readonly string[] PrismModerators = ["younger", "male", "white", "high_values"];

    public static ConstructivenessReport Run(IReadOnlyList<ScoredResponse> rows, SamplerOptions options,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var plan = Plan(rows);
        var fits = new List<LabelledFit>();
        for (var m = 0; m < plan.Count; m++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var done = m;
            var inner = progress is null ? null : new InlineProgress(p => progress.Report((done + p) / plan.Count));
            fits.Add(Fit(plan[m], rows, options, inner, cancellationToken));
        }
        progress?.Report(1);
        return Assemble(fits, Distributions(rows));
    }

    /// <summary>The models the analyses fit on these rows, in order (a fit job checkpoints after each).</summary>
    public static IReadOnlyList<PlannedFit> Plan(IReadOnlyList<ScoredResponse> rows)
    {
        var moderators = rows.SelectMany(r => r.Moderators.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var types = rows.Select(r => r.ConversationType).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var plan = new List<PlannedFit>();
        var predictors = string.Join(" + ", Predictors);
        // One evaluated model (our own benchmark, a single-model annotation campaign): no model intercept to estimate.
        var randomTerms = rows.Select(r => r.Model).Distinct(StringComparer.Ordinal).Skip(1).Any() ? RandomTerms : UserTerms;
        // Our preference dialogues: the preferred model's answer is always the chosen one, so the model
        // decides the outcome (complete separation) and its intercept would absorb every effect.
        var choiceTerms = rows.Where(r => r.Chosen is not null).GroupBy(r => r.Model).All(g => g.Select(r => r.Chosen).Distinct().Count() == 1) ? UserTerms : randomTerms;
        foreach (var (label, include) in Subsets(types))
        {
            plan.Add(new("1a preference (chosen, logistic)", label, $"chosen ~ {predictors} + {choiceTerms}", ModelFamily.Bernoulli, r => include(r) && r.Chosen is not null));
            plan.Add(new("1b preference (log score, linear)", label, $"log_score ~ {predictors} + {randomTerms}", ModelFamily.Gaussian, r => include(r) && r.Score > 0));
        }
        foreach (var moderator in moderators)
        {
            var interactions = string.Join(" + ", Predictors.Select(p => $"{p}*{moderator}"));
            plan.Add(new("2 moderation (log score)", moderator, $"log_score ~ {interactions} + {randomTerms}", ModelFamily.Gaussian,
                r => r.Score > 0 && r.Moderators.ContainsKey(moderator)));
        }
        var promptPredictors = string.Join(" + ", Predictors.Select(p => "prompt_" + p));
        foreach (var attribute in Predictors)
            plan.Add(new("3 mirroring (response attribute)", attribute, $"{attribute} ~ {promptPredictors} + {randomTerms}", ModelFamily.Gaussian,
                r => r.PromptAttributes.Count > 0));
        return plan;
    }

    /// <summary>One planned model on the rows it includes; a model that cannot be fitted (no rows, one group) comes back skipped with the reason.</summary>
    public static LabelledFit Fit(PlannedFit planned, IReadOnlyList<ScoredResponse> rows, SamplerOptions options,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        FitOne(planned.Analysis, planned.Label, planned.Formula, planned.Family, rows.Where(planned.Include).ToList(), options, progress, cancellationToken);

    public static ConstructivenessReport Assemble(IReadOnlyList<LabelledFit> fits, IReadOnlyList<AttributeDistribution> distributions) => new(
        fits.Where(f => f.Analysis.StartsWith('1')).ToList(),
        fits.Where(f => f.Analysis.StartsWith('2')).ToList(),
        fits.Where(f => f.Analysis.StartsWith('3')).ToList(),
        distributions);

    static IEnumerable<(string Label, Func<ScoredResponse, bool> Include)> Subsets(List<string> types)
    {
        yield return ("all", _ => true);
        if (types.Count > 1)
            foreach (var type in types)
                yield return (type, r => r.ConversationType == type);
    }

    static LabelledFit FitOne(string analysis, string label, string formula, ModelFamily family, List<ScoredResponse> rows,
        SamplerOptions options, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        try
        {
            return new LabelledFit(analysis, label, formula, MixedModel.Fit(formula, ToTable(rows), family, options, progress, cancellationToken), null);
        }
        catch (ModelSpecificationException ex)
        {
            return new LabelledFit(analysis, label, formula, null, ex.Message);
        }
    }

    /// <summary>
    /// The model table: outcomes (chosen 0/1, log_score), groups, the seven predictors of the response
    /// and of its prompt (prefixed prompt_), and the moderators as 0/1.
    /// </summary>
    public static AnalysisTable ToTable(IReadOnlyList<ScoredResponse> rows)
    {
        var numbers = new Dictionary<string, double[]>(StringComparer.Ordinal)
        {
            ["chosen"] = rows.Select(r => r.Chosen == true ? 1.0 : 0.0).ToArray(),
            ["log_score"] = rows.Select(r => r.Score > 0 ? Math.Log(r.Score.Value) : 0.0).ToArray(),
        };
        foreach (var p in Predictors)
        {
            numbers[p] = rows.Select(r => Predictor(r.ResponseAttributes, p)).ToArray();
            numbers["prompt_" + p] = rows.Select(r => Predictor(r.PromptAttributes, p)).ToArray();
        }
        foreach (var moderator in rows.SelectMany(r => r.Moderators.Keys).Distinct(StringComparer.Ordinal))
            numbers[moderator] = rows.Select(r => r.Moderators.GetValueOrDefault(moderator) ? 1.0 : 0.0).ToArray();
        var text = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["user"] = rows.Select(r => r.User).ToArray(),
            ["conversation"] = rows.Select(r => r.Conversation).ToArray(),
            ["model"] = rows.Select(r => r.Model).ToArray(),
            ["conversation_type"] = rows.Select(r => r.ConversationType).ToArray(),
        };
        return AnalysisTable.FromNumbers(numbers, text);
    }

    static double Predictor(IReadOnlyDictionary<string, double> attributes, string predictor) => predictor == "reasoning_nuance"
        ? attributes.GetValueOrDefault("reasoning") * attributes.GetValueOrDefault("nuance")
        : attributes.GetValueOrDefault(predictor);

    public const int HistogramBins = 20;

    /// <summary>Each response attribute per conversation type (and over all), with a 20-bin histogram on 0-1.</summary>
    public static IReadOnlyList<AttributeDistribution> Distributions(IReadOnlyList<ScoredResponse> rows)
    {
        var result = new List<AttributeDistribution>();
        var groups = rows.GroupBy(r => r.ConversationType).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.ToList())).ToList();
        if (groups.Count > 1)
            groups.Insert(0, ("all", rows.ToList()));
        foreach (var attribute in Attributes)
            foreach (var (group, members) in groups)
            {
                var values = members.Where(r => r.ResponseAttributes.ContainsKey(attribute)).Select(r => r.ResponseAttributes[attribute]).ToArray();
                if (values.Length == 0)
                    continue;
                Array.Sort(values);
                var mean = values.Average();
                var sd = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
                var histogram = new int[HistogramBins];
                foreach (var v in values)
                    histogram[Math.Clamp((int)(v * HistogramBins), 0, HistogramBins - 1)]++;
                result.Add(new AttributeDistribution(attribute, group, values.Length, mean, sd, Quantiles.Of(values, 0.05), Quantiles.Of(values, 0.25),
                    Quantiles.Median(values), Quantiles.Of(values, 0.75), Quantiles.Of(values, 0.95), histogram));
            }
        return result;
    }
}

/// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to a captured context, out of order).</summary>
internal sealed class InlineProgress(Action<double> report) : IProgress<double>
{
    public void Report(double value) => report(value);
}
