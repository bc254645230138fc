using Aloe.Core.Personas;
using Plotly.Blazor;
using Plotly.Blazor.Traces;

namespace Aloe.Web.Personas;

/// <summary>The pool analysis charts: each item's nearest-neighbour similarity, and what the filter keeps per threshold.</summary>
internal static class SimilarityCharts
{
    public static ChartSpec Histogram(IReadOnlyList<float> nearest, double threshold)
    {
        var layout = ChartLayout.Axes("similarity to nearest neighbour", "items");
        layout.XAxis[0].Range = [0, 1];
        layout.Shapes =
        [
            new Plotly.Blazor.LayoutLib.Shape
            {
                Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Line, X0 = threshold, X1 = threshold, Y0 = 0, Y1 = 1, YRef = "paper",
                Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Dash = "dash", Color = "#c0392b" },
            },
        ];
        var histogram = new Histogram
        {
            Name = "items",
            X = nearest.Select(s => (object)s).ToList(),
            XBins = new Plotly.Blazor.Traces.HistogramLib.XBins { Start = 0, End = 1, Size = 0.025 },
            Marker = new Plotly.Blazor.Traces.HistogramLib.Marker { Color = ChartLayout.Green },
        };
        return new ChartSpec([histogram], layout);
    }

    /// <summary>
    /// The embedder calibration: similarities of paraphrase pairs (should be rejected) against
    /// unrelated pairs (should be kept), overlaid, with the separating threshold (solid) and the
    /// chosen one (dashed) marked.
    /// </summary>
    public static ChartSpec Calibration(IReadOnlyList<float> paraphrases, IReadOnlyList<float> unrelated, double separating, double chosen)
    {
        var layout = ChartLayout.Axes("cosine similarity of the pair", "share of pairs", showLegend: true);
        layout.XAxis[0].Range = [0, 1];
        layout.BarMode = Plotly.Blazor.LayoutLib.BarModeEnum.Overlay;
        layout.Shapes = [Marker(separating, "solid", "#c0392b"), Marker(chosen, "dash", "#555555")];
        // Shares, not counts: there are many more unrelated pairs than paraphrases.
        Histogram Pairs(string name, IReadOnlyList<float> values, string colour) => new()
        {
            Name = $"{name} ({values.Count})",
            X = values.Select(s => (object)s).ToList(),
            HistNorm = Plotly.Blazor.Traces.HistogramLib.HistNormEnum.Probability,
            XBins = new Plotly.Blazor.Traces.HistogramLib.XBins { Start = 0, End = 1, Size = 0.025 },
            Marker = new Plotly.Blazor.Traces.HistogramLib.Marker { Color = colour },
            Opacity = 0.6m,
        };
        return new ChartSpec([Pairs("unrelated pairs", unrelated, ChartLayout.Blue), Pairs("paraphrases", paraphrases, ChartLayout.Orange)], layout);
    }

    static Plotly.Blazor.LayoutLib.Shape Marker(double x, string dash, string colour) => new()
    {
        Type = Plotly.Blazor.LayoutLib.ShapeLib.TypeEnum.Line, X0 = x, X1 = x, Y0 = 0, Y1 = 1, YRef = "paper",
        Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Dash = dash, Color = colour, Width = 2 },
    };

    public static ChartSpec Sweep(IReadOnlyList<SweepPoint> sweep)
    {
        var line = new Scatter
        {
            Name = "items kept",
            Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines | Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers,
            X = sweep.Select(s => (object)s.Threshold).ToList(),
            Y = sweep.Select(s => (object)s.Kept).ToList(),
            Line = new Plotly.Blazor.Traces.ScatterLib.Line { Color = ChartLayout.Blue },
        };
        return new ChartSpec([line], ChartLayout.Axes("threshold", "items kept"));
    }
}
