using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;

namespace Aloe.Web.Shared;

/// <summary>What a chart draws: built by one small static builder per chart from view-model records.</summary>
public sealed record ChartSpec(IList<ITrace> Data, Layout Layout);

/// <summary>The layout every chart shares: labelled axes, tight margins, transparent background (both themes).</summary>
internal static class ChartLayout
{
    public const string Green = "#2f7d5b";
    public const string Blue = "#3b6fb6";
    public const string Orange = "#d9822b";

    public static Layout Axes(string xTitle, string yTitle, string? xType = null, bool showLegend = false) => new()
    {
        // A legend is a row under the x axis's title, not a column beside the plot, so that it does
        // not take the plot's width in a narrow window (a chart may place its own).
        Margin = new Plotly.Blazor.LayoutLib.Margin { T = 12, R = 12, B = showLegend ? 72 : 48, L = 56 },
        Legend = showLegend ? [new Plotly.Blazor.LayoutLib.Legend
        {
            Orientation = Plotly.Blazor.LayoutLib.LegendLib.OrientationEnum.H,
            X = 0, Y = -0.3m, YAnchor = Plotly.Blazor.LayoutLib.LegendLib.YAnchorEnum.Top,
        }] : null,
        PaperBgColor = "rgba(0,0,0,0)",
        PlotBgColor = "rgba(0,0,0,0)",
        Font = new Plotly.Blazor.LayoutLib.Font { Color = "#7a8580", Size = 12 },
        ShowLegend = showLegend,
        XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = xTitle }, GridColor = "rgba(128,128,128,0.2)", Type = xType is null ? null : Enum.Parse<Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum>(xType, ignoreCase: true) }],
        YAxis = [new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = yTitle }, GridColor = "rgba(128,128,128,0.2)", RangeMode = Plotly.Blazor.LayoutLib.YAxisLib.RangeModeEnum.ToZero }],
    };
}
