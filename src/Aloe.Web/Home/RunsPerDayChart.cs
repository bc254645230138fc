using Plotly.Blazor;
using Plotly.Blazor.Traces;

namespace Aloe.Web.Home;

/// <summary>Builds the dashboard's runs-per-day bar chart (the pattern every chart builder follows: records in, ChartSpec out).</summary>
internal static class RunsPerDayChart
{
    public static ChartSpec Build(IReadOnlyList<(DateOnly Day, int Runs)> perDay)
    {
        var layout = ChartLayout.Axes("day", "runs", xType: "date");
        layout.XAxis[0].TickFormat = "%b %d";
        layout.YAxis[0].DTick = 1;
        var bars = new Bar
        {
            Name = "runs",
            X = perDay.Select(d => (object)d.Day.ToString("yyyy-MM-dd")).ToList(),
            Y = perDay.Select(d => (object)d.Runs).ToList(),
            Marker = new Plotly.Blazor.Traces.BarLib.Marker { Color = ChartLayout.Green },
        };
        return new ChartSpec([bars], layout);
    }
}
