using Aloe.Core.Analysis;
using Aloe.Web.Shared;
using Plotly.Blazor;
using Plotly.Blazor.Traces;

namespace Aloe.Web.Analysis;

/// <summary>The Analysis page's charts (Kyrychenko et al. 2025, Figures 1a/1b, 1c and 2): records in, ChartSpec out.</summary>
internal static class AnalysisCharts
{
    const string Grey = "#8a948f";

    static string Colour(Evidence evidence) => evidence switch
    {
        Evidence.Significant => ChartLayout.Green,
        Evidence.Marginal => ChartLayout.Orange,
        _ => Grey,
    };

    static string Mark(Evidence evidence) => evidence switch { Evidence.Significant => "**", Evidence.Marginal => "*", _ => "" };

    /// <summary>Forest plot: each coefficient but the intercept, posterior mean with its 90% interval, coloured and starred by evidence ratio.</summary>
    public static ChartSpec Forest(MixedModelFit fit)
    {
        var terms = fit.Fixed.Where(f => f.Name != "(Intercept)").Reverse().ToList();
        var layout = ChartLayout.Axes(fit.Family == ModelFamily.Bernoulli ? "log-odds per unit (90% interval)" : "effect per unit (90% interval)", "");
        layout.Margin!.L = 150;
        layout.YAxis[0].RangeMode = null;
        layout.XAxis[0].ZeroLine = true;
        var trace = new Scatter
        {
            Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers | Plotly.Blazor.Traces.ScatterLib.ModeFlag.Text,
            X = terms.Select(t => (object)t.Mean).ToList(),
            Y = terms.Select(t => (object)t.Name).ToList(),
            TextArray = terms.Select(t => Mark(t.Evidence)).ToList(),
            TextPosition = Plotly.Blazor.Traces.ScatterLib.TextPositionEnum.TopCenter,
            ErrorX = new Plotly.Blazor.Traces.ScatterLib.ErrorX
            {
                Type = Plotly.Blazor.Traces.ScatterLib.ErrorXLib.TypeEnum.Data,
                Symmetric = false,
                Array = terms.Select(t => (object)(t.Q95 - t.Mean)).ToList(),
                ArrayMinus = terms.Select(t => (object)(t.Mean - t.Q05)).ToList(),
                Color = Grey,
            },
            Marker = new Plotly.Blazor.Traces.ScatterLib.Marker { Size = 10, ColorArray = terms.Select(t => (object)Colour(t.Evidence)).ToList() },
            HoverTemplate = "%{y}: %{x:.3f}<extra></extra>",
        };
        return new ChartSpec([trace], layout);
    }

    /// <summary>Heatmap of coefficient means, rows x columns, each cell labelled with its mean and evidence stars.</summary>
    static ChartSpec Heatmap(IReadOnlyList<string> rows, IReadOnlyList<string> columns, Func<string, string, CoefficientSummary?> cell, string xTitle, string yTitle)
    {
        var z = new List<object>();
        var text = new List<object>();
        foreach (var row in rows)
        {
            z.Add(columns.Select(c => (object?)cell(row, c)?.Mean).ToList());
            text.Add(columns.Select(c => cell(row, c) is { } s ? $"{s.Mean:0.00}{Mark(s.Evidence)}" : "").ToList());
        }
        var layout = ChartLayout.Axes(xTitle, yTitle);
        layout.Margin!.L = 150;
        layout.Margin.B = 110;
        layout.YAxis[0].RangeMode = null;
        var heatmap = new HeatMap
        {
            X = columns.Cast<object>().ToList(),
            Y = rows.Cast<object>().ToList(),
            Z = z,
            Text = text,
            TextTemplate = "%{text}",
            ColorScale = "RdBu",
            ZMid = 0,
            HoverTemplate = "%{y} / %{x}: %{z:.3f}<extra></extra>",
        };
        return new ChartSpec([heatmap], layout);
    }

    /// <summary>Figure 2: each attribute's interaction with each moderator (one model per moderator).</summary>
    public static ChartSpec Moderation(IReadOnlyList<LabelledFit> fits)
    {
        var moderators = fits.Where(f => f.Fit is not null).Select(f => f.Label).ToList();
        return Heatmap(ConstructivenessAnalysis.Predictors, moderators,
            (attribute, moderator) => fits.Single(f => f.Label == moderator).Fit!.Fixed.FirstOrDefault(c => c.Name == $"{attribute}:{moderator}"),
            "moderator", "attribute x moderator");
    }

    /// <summary>Figure 1c: each response attribute (row) from the prompt's attributes (columns).</summary>
    public static ChartSpec Mirroring(IReadOnlyList<LabelledFit> fits)
    {
        var responses = fits.Where(f => f.Fit is not null).Select(f => f.Label).ToList();
        return Heatmap(responses, ConstructivenessAnalysis.Predictors,
            (response, prompt) => fits.Single(f => f.Label == response).Fit!.Fixed.FirstOrDefault(c => c.Name == "prompt_" + prompt),
            "prompt attribute", "response attribute");
    }

    /// <summary>Box plots of each attribute per conversation type (from quantiles).</summary>
    public static ChartSpec Distributions(IReadOnlyList<AttributeDistribution> distributions)
    {
        var layout = ChartLayout.Axes("attribute", "probability", showLegend: true);
        layout.BoxMode = Plotly.Blazor.LayoutLib.BoxModeEnum.Group;
        var colours = new[] { Grey, ChartLayout.Blue, ChartLayout.Green, ChartLayout.Orange };
        var traces = distributions.GroupBy(d => d.Group).Select((g, i) => (ITrace)new Box
        {
            Name = g.Key,
            X = g.Select(d => (object)d.Attribute).ToList(),
            Q1 = g.Select(d => (object)d.Q25).ToList(),
            Median = g.Select(d => (object)d.Median).ToList(),
            Q3 = g.Select(d => (object)d.Q75).ToList(),
            LowerFence = g.Select(d => (object)d.Q05).ToList(),
            UpperFence = g.Select(d => (object)d.Q95).ToList(),
            Mean = g.Select(d => (object)d.Mean).ToList(),
            Marker = new Plotly.Blazor.Traces.BoxLib.Marker { Color = colours[i % colours.Length] },
        }).ToList();
        return new ChartSpec(traces, layout);
    }

    /// <summary>Trace plot: one line per chain over the kept draws.</summary>
    public static ChartSpec Trace(MixedModelFit fit, string parameter)
    {
        var chains = fit.Posterior.Of(parameter);
        var layout = ChartLayout.Axes("draw", parameter, showLegend: true);
        layout.YAxis[0].RangeMode = null;
        var colours = new[] { ChartLayout.Blue, ChartLayout.Green, ChartLayout.Orange, Grey };
        var traces = chains.Select((draws, c) => (ITrace)new Scatter
        {
            Name = $"chain {c + 1}",
            Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines,
            X = Enumerable.Range(1, draws.Length).Select(i => (object)i).ToList(),
            Y = draws.Select(v => (object)v).ToList(),
            Line = new Plotly.Blazor.Traces.ScatterLib.Line { Width = 1, Color = colours[c % colours.Length] },
            Opacity = 0.8m,
        }).ToList();
        return new ChartSpec(traces, layout);
    }
}
