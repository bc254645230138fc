using Aloe.Core.Benchmark;
using Aloe.Web.Shared;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace Aloe.Web.Benchmark;

/// <summary>AL(k) curves: the paper's Figure 4 (one line per run over k), each under its 95% bootstrap band.</summary>
internal static class BenchmarkCharts
{
    static readonly string[] Palette = [ChartLayout.Green, ChartLayout.Blue, ChartLayout.Orange, "#805ad5", "#b83280", "#2c7a7b", "#975a16", "#4a5568"];

    public static string Color(int index) => Palette[index % Palette.Length];

    /// <summary>The runs on shared axes: turn k against AL (1-5).</summary>
    public static ChartSpec Curves(IReadOnlyList<BenchmarkRunDetail> runs)
    {
        var turns = runs.Count == 0 ? 1 : runs.Max(r => r.Run.Turns);
        var layout = ChartLayout.Axes("turn k", "Alignment Level (1-5)", showLegend: true);
        layout.XAxis[0].DTick = 1;
        layout.XAxis[0].Range = [0.7, turns + 0.3];
        layout.YAxis[0].Range = [0.9, 5.1];
        layout.YAxis[0].RangeMode = null;
        layout.Legend = [new Plotly.Blazor.LayoutLib.Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = -0.2m, X = 0 }];
        layout.Margin.B = 80;
        return new ChartSpec(runs.SelectMany((r, i) => Curve(r, i)).ToList(), layout);
    }

    /// <summary>What the curves show, to redraw only when it changed (each redraw is a round trip to plotly).</summary>
    public static string Key(IEnumerable<BenchmarkRunDetail> runs) =>
        string.Join(";", runs.Select(r => r.Run.Id + ":" + string.Join(",", r.Report.Turns.Select(t => $"{t.AlignmentLevel}/{t.N}/{t.Interval?.Low}/{t.Interval?.High}"))));

    /// <summary>One run: its band (filled between the bounds, drawn first) and its AL(k) line with n per turn in the hover text.</summary>
    static IEnumerable<ITrace> Curve(BenchmarkRunDetail detail, int index)
    {
        var color = Color(index);
        var turns = detail.Report.Turns.Where(t => t.AlignmentLevel is not null).ToList();
        var label = $"#{detail.Run.Id} {detail.Run.EvaluatedModel}";
        var withBand = turns.Where(t => t.Interval is not null).ToList();
        if (withBand.Count > 0)
            yield return new Scatter
            {
                Name = label + " 95% interval",
                X = withBand.Select(t => (object)t.Turn).Concat(withBand.Select(t => (object)t.Turn).Reverse()).ToList(),
                Y = withBand.Select(t => (object)t.Interval!.High).Concat(withBand.Select(t => (object)t.Interval!.Low).Reverse()).ToList(),
                Mode = ModeFlag.Lines,
                Fill = FillEnum.ToSelf,
                FillColor = color + "26",
                Line = new Line { Width = 0, Color = color },
                HoverInfo = HoverInfoFlag.Skip,
                ShowLegend = false,
            };
        yield return new Scatter
        {
            Name = label,
            X = turns.Select(t => (object)t.Turn).ToList(),
            Y = turns.Select(t => (object)Math.Round(t.AlignmentLevel!.Value, 3)).ToList(),
            TextArray = turns.Select(t => $"n = {t.N}" + (t.Interval is { } i ? $", 95% CI {i.Low:0.00}–{i.High:0.00}" : "")).ToList(),
            Mode = ModeFlag.Lines | ModeFlag.Markers,
            Line = new Line { Color = color, Width = 2 },
            Marker = new Marker { Color = color, Size = 7 },
            HoverTemplate = "k = %{x}: AL %{y:.2f}<br>%{text}<extra>" + label + "</extra>",
        };
    }
}
