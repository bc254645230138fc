using Aloe.Core.Annotation;
using Aloe.Web.Shared;
using Plotly.Blazor;
using Plotly.Blazor.Traces;

namespace Aloe.Web.Annotation;

/// <summary>The campaign report's charts: the human-vs-judge confusion heatmap and AL(k) curves (judge beside humans, paper section 5.4).</summary>
internal static class AnnotationCharts
{
    static readonly string[] Palette = [ChartLayout.Blue, ChartLayout.Orange, "#805ad5", "#b83280", "#2c7a7b", "#975a16"];

    /// <summary>Rows: the human's rating; columns: the judge's; counts written in the cells.</summary>
    public static ChartSpec Confusion(ConfusionTable table)
    {
        var labels = table.Categories.Select(c => (object)c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var layout = ChartLayout.Axes("judge's rating", "human rating");
        layout.YAxis[0].RangeMode = null;
        layout.XAxis[0].Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category;
        layout.YAxis[0].Type = Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Category;
        var heatmap = new HeatMap
        {
            X = labels,
            Y = labels,
            Z = table.Counts.Select(row => (object)row.Select(c => (object)c).ToList()).ToList(),
            // Plotly's Greens runs dark to light; reversed, the most frequent cells are the darkest.
            ColorScale = "Greens",
            ReverseScale = true,
            TextTemplate = "%{z}",
            HoverTemplate = "human %{y}, judge %{x}: %{z}<extra></extra>",
        };
        return new ChartSpec([heatmap], layout);
    }

    /// <summary>The judge's curve in green, the humans' mean dashed, each annotator thin.</summary>
    public static ChartSpec Curves(IReadOnlyList<AnnotationCurve> curves)
    {
        var layout = ChartLayout.Axes("turn k", "Alignment Level (1-5)", showLegend: true);
        layout.YAxis[0].RangeMode = null;
        layout.YAxis[0].Range = [0.9, 5.1];
        layout.XAxis[0].DTick = 1;
        layout.Legend = [new Plotly.Blazor.LayoutLib.Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.25m }];
        layout.Margin.B = 80;
        var traces = curves.Select((curve, i) =>
        {
            var color = i == 0 ? ChartLayout.Green : Palette[(i - 1) % Palette.Length];
            var points = curve.Turns.Zip(curve.AlignmentLevels).Where(p => p.Second is not null).ToList();
            return (ITrace)new Scatter
            {
                Name = curve.Summary is { } s ? $"{curve.Name} (IR {s.ImprovementRate:0.000})" : curve.Name,
                X = points.Select(p => (object)p.First).ToList(),
                Y = points.Select(p => (object)Math.Round(p.Second!.Value, 3)).ToList(),
                Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines | Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers,
                Line = new Plotly.Blazor.Traces.ScatterLib.Line { Color = color, Width = i <= 1 ? 3 : 1.5m, Dash = i == 1 ? "dash" : null },
            };
        }).ToList();
        return new ChartSpec(traces, layout);
    }
}
