using Aloe.Core.Dialogues;
using Aloe.Web.Shared;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace Aloe.Web.Dialogues;

/// <summary>Share of the persona revealed by turn k (profile and personality), for one dialogue or a run's mean.</summary>
internal static class DisclosureChart
{
    public static ChartSpec Build(IReadOnlyList<DisclosurePoint> points)
    {
        var layout = ChartLayout.Axes("turn k", "share of the persona revealed", showLegend: true);
        layout.YAxis[0].Range = [0, 1];
        layout.YAxis[0].TickFormat = ".0%";
        layout.XAxis[0].DTick = 1;
        layout.Legend = [new Plotly.Blazor.LayoutLib.Legend { Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H, Y = 1.12m, X = 0 }];
        layout.Margin.T = 30;
        return new ChartSpec([Trace("profile", points, p => p.Profile, ChartLayout.Green), Trace("personality", points, p => p.Personality, ChartLayout.Orange)], layout);
    }

    /// <summary>One dialogue's path as points (n = 1 each).</summary>
    public static IReadOnlyList<DisclosurePoint> ForPath(Dialogue dialogue, IEnumerable<DialogueTurn> path) =>
        path.Select(t => new DisclosurePoint(t.Index, Disclosure.Share(dialogue.Profile, t.InferredProfile), Disclosure.Share(dialogue.Personality, t.InferredPersonality), 1)).ToList();

    static Scatter Trace(string name, IReadOnlyList<DisclosurePoint> points, Func<DisclosurePoint, double> y, string color) => new()
    {
        Name = name,
        Mode = ModeFlag.Lines | ModeFlag.Markers,
        X = points.Select(p => (object)p.Turn).ToList(),
        Y = points.Select(p => (object)Math.Round(y(p), 3)).ToList(),
        TextArray = points.Select(p => $"n = {p.N}").ToList(),
        HoverTemplate = "k = %{x}: %{y:.0%} (%{text})<extra>" + name + "</extra>",
        Line = new Line { Color = color, Width = 2 },
        Marker = new Marker { Color = color, Size = 7 },
    };
}
