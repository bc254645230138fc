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

    /// <summary>The --json flag every listing command takes.</summary>
    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON for scripts" };
}
