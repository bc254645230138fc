using Aloe.Core.Personas;
using Plotly.Blazor;
using Plotly.Blazor.Traces;

namespace Aloe.Web.Personas;

/// <summary>Generated and accepted candidates per round (bars) and the pool size (line, right axis).</summary>
internal static class GenerationRoundsChart
{
    public static ChartSpec Build(IReadOnlyList<GenerationRound> rounds)
    {
        var layout = ChartLayout.Axes("round", "candidates", showLegend: true);
        layout.BarMode = Plotly.Blazor.LayoutLib.BarModeEnum.Group;
        layout.XAxis[0].DTick = 1;
        layout.Margin!.R = 64;
        layout.YAxis.Add(new Plotly.Blazor.LayoutLib.YAxis
        {
            Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = "pool size" },
            Overlaying = "y",
            Side = Plotly.Blazor.LayoutLib.YAxisLib.SideEnum.Right,
            RangeMode = Plotly.Blazor.LayoutLib.YAxisLib.RangeModeEnum.ToZero,
            ShowGrid = false,
        });
        layout.Legend = [new Plotly.Blazor.LayoutLib.Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = 1.15m }];
        var x = rounds.Select(r => (object)r.Round).ToList();
        return new ChartSpec(
        [
            new Bar { Name = "generated", X = x, Y = rounds.Select(r => (object)r.Generated).ToList(), Marker = new Plotly.Blazor.Traces.BarLib.Marker { Color = ChartLayout.Blue } },
            new Bar { Name = "accepted", X = x, Y = rounds.Select(r => (object)r.Accepted).ToList(), Marker = new Plotly.Blazor.Traces.BarLib.Marker { Color = ChartLayout.Green } },
            new Scatter { Name = "pool size", Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines | Plotly.Blazor.Traces.ScatterLib.ModeFlag.Markers,
                X = x, Y = rounds.Select(r => (object)r.PoolSize).ToList(), YAxis = "y2", Line = new Plotly.Blazor.Traces.ScatterLib.Line { Color = ChartLayout.Orange } },
        ], layout);
    }
}
