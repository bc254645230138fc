using System.Globalization;
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aloe.Cli;

/// <summary>How commands print: JSON for scripts (--json), aligned columns for people.</summary>
internal static class CliOutput
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static void WriteJson(TextWriter output, object? value) => output.WriteLine(JsonSerializer.Serialize(value, Json));

    public static void WriteTable(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToList();
        output.WriteLine(string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in all)
            output.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
    }

    /// <summary>A run's forecast (every --dry-run): by role, then the total.</summary>
    public static void WriteForecast(TextWriter output, Aloe.Core.Llm.CostForecast forecast, bool json)
    {
        if (json)
        {
            WriteJson(output, forecast);
            return;
        }
        WriteTable(output, ["role", "model", "calls", "tokens in", "tokens out", "cost USD"], forecast.Roles.Select(r => (IReadOnlyList<string>)
        [
            r.Role.ToString(), $"{r.Endpoint}/{r.Model}{(r.Simulated ? " (simulated)" : r.Priced ? "" : " (no price)")}",
            r.Calls.ToString("N0", CultureInfo.InvariantCulture), r.InputTokens.ToString("N0", CultureInfo.InvariantCulture),
            r.OutputTokens.ToString("N0", CultureInfo.InvariantCulture), r.Cost.ToString("0.0000", CultureInfo.InvariantCulture),
        ]));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"total: {forecast.Calls:N0} calls, {forecast.InputTokens:N0} tokens in, {forecast.OutputTokens:N0} out, ${forecast.Cost:0.0000}{(forecast.FullyPriced ? "" : " (some models have no price: counted as 0)")}"));
        output.WriteLine($"({forecast.Basis})");
    }

    /// <summary>The --json flag every listing command takes.</summary>
    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON for scripts" };
}
