using Aloe.Core.Benchmark;

namespace Aloe.Web.Benchmark;

/// <summary>Plotly traces for AL(k) curves: the paper's Figure 4 (one line per model over k), with our bootstrap band.</summary>
public static class BenchmarkCharts
{
    static readonly string[] Palette = ["#2f7d5b", "#2b6cb0", "#c05621", "#805ad5", "#b83280", "#2c7a7b", "#975a16", "#4a5568"];

    public static string Color(int index) => Palette[index % Palette.Length];

    public static object Layout(int turns) => new
    {
        xaxis = new { title = new { text = "turn k" }, dtick = 1, range = new[] { 0.7, turns + 0.3 }, zeroline = false },
        yaxis = new { title = new { text = "Alignment Level (1-5)" }, range = new[] { 0.9, 5.1 } },
        legend = new { orientation = "h", y = -0.22 },
        margin = new { t = 10, r = 20, b = 70, l = 60 },
    };

    /// <summary>One run: its 95% band (filled between the bounds) under its AL(k) line; n per turn in the hover text.</summary>
    public static IEnumerable<object> Curve(BenchmarkRunDetail detail, int index, bool band = true)
    {
        var color = Color(index);
        var turns = detail.Report.Turns.Where(t => t.AlignmentLevel is not null).ToList();
        var label = $"#{detail.Run.Id} {detail.Run.EvaluatedModel}";
        if (band && turns.Any(t => t.Interval is not null))
        {
            var withBand = turns.Where(t => t.Interval is not null).ToList();
            yield return new
            {
                x = withBand.Select(t => t.Turn).Concat(withBand.Select(t => t.Turn).Reverse()).ToArray(),
                y = withBand.Select(t => t.Interval!.High).Concat(withBand.Select(t => t.Interval!.Low).Reverse()).ToArray(),
                type = "scatter",
                mode = "lines",
                fill = "toself",
                fillcolor = color + "26",
                line = new { width = 0, color },
                hoverinfo = "skip",
                name = label + " 95% CI",
                showlegend = false,
            };
        }
        yield return new
        {
            x = turns.Select(t => t.Turn).ToArray(),
            y = turns.Select(t => Math.Round(t.AlignmentLevel!.Value, 3)).ToArray(),
            text = turns.Select(t => $"n = {t.N}" + (t.Interval is { } i ? $", 95% CI {i.Low:0.00}–{i.High:0.00}" : "")).ToArray(),
            type = "scatter",
            mode = "lines+markers",
            name = label,
            line = new { color, width = 2 },
            marker = new { size = 7, color },
            hovertemplate = "k = %{x}: AL %{y:.2f}<br>%{text}<extra>" + label + "</extra>",
        };
    }
}
