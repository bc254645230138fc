using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Aloe.Core.Personas;

/// <summary>Turns a generator reply into candidate items: one per line, numbering, bullets, quotes and chatter removed.</summary>
internal static partial class GeneratorOutput
{
    /// <summary>Shorter lines are headings or chatter ("Here are 20 profiles:"), not 8-10 facts or traits.</summary>
    public const int MinimumWords = 6;

    public static IReadOnlyList<string> Clean(string reply)
    {
        var items = new List<string>();
        foreach (var raw in reply.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.Trim();
            // Numbering and bullets may be nested ("1. - ..."), so strip until nothing changes.
            string previous;
            do
            {
                previous = line;
                line = LeadingMarker().Replace(line, "").Trim();
                line = StripQuotes(line);
            } while (line != previous);
            line = Whitespace().Replace(line, " ");
            if (line.Length == 0 || line.EndsWith(':') || WordCount(line) < MinimumWords)
                continue;
            items.Add(line);
        }
        return items;
    }

    static string StripQuotes(string line)
    {
        const string quotes = "\"'\u201C\u201D\u2018\u2019`";
        if (line.Length >= 2 && quotes.Contains(line[0]) && quotes.Contains(line[^1]))
            return line[1..^1].Trim();
        // A stray quote at one end only (the other was lost to a line break or a trailing comma).
        if (line.Length > 0 && "\"\u201C\u201D".Contains(line[0]) && line.Count(c => c is '"' or '\u201C' or '\u201D') == 1)
            return line[1..].Trim();
        if (line.EndsWith("\",") || line.EndsWith("\u201D,"))
            line = line[..^1];
        if (line.Length > 0 && "\"\u201C\u201D".Contains(line[^1]) && line.Count(c => c is '"' or '\u201C' or '\u201D') == 1)
            return line[..^1].Trim();
        return line;
    }

    static int WordCount(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    // "1.", "1)", "(1)", "#1", "1:", "Profile 3:", "Personality 12 -", "-", "*", "•", "–", "—", "**Profile 1:**"
    [GeneratedRegex(@"^(?:\*\*)?(?:(?:profile|personality|persona|description|user)\s*#?\d+\s*[:.)\-–]\s*(?:\*\*)?|\(?#?\d+[.):\]]\s*|#\d+\s+|[-*•–—·]\s+)", RegexOptions.IgnoreCase)]
    private static partial Regex LeadingMarker();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

internal sealed record JsonlRecord(int Line, string Text);

/// <summary>What a file read: its records and the warnings to show; or every error, in which case nothing may be imported.</summary>
internal sealed record JsonlReadResult(IReadOnlyList<JsonlRecord> Records, IReadOnlyList<string> Warnings, IReadOnlyList<string> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>The ALOE pool format: one JSON string per line (data/profile.jsonl in the authors' repository).</summary>
internal static class AloeJsonl
{
    /// <summary>
    /// Reads consecutive JSON values on each line, so a line holding two strings run together
    /// (the authors' profile.jsonl line 6) yields both, with a warning naming the line. Blank
    /// lines and a missing final newline are fine; anything else that is not a JSON string is an error with its line number.
    /// </summary>
    public static JsonlReadResult Read(string content)
    {
        var records = new List<JsonlRecord>();
        var warnings = new List<string>();
        var errors = new List<string>();
        var lines = content.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].Trim().TrimStart('\uFEFF');
            if (line.Length == 0)
                continue;
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line), new JsonReaderOptions { AllowMultipleValues = true });
            var values = 0;
            try
            {
                while (reader.Read())
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        errors.Add($"Line {number}: expected a JSON string, found {Describe(reader.TokenType)}.");
                        break;
                    }
                    var text = reader.GetString()!.Trim();
                    values++;
                    if (text.Length > Aloe.Core.Hosting.InputLimits.PersonaText)
                        errors.Add($"Line {number}: the text is {text.Length:N0} characters long; the limit is {Aloe.Core.Hosting.InputLimits.PersonaText:N0}.");
                    else if (text.Length == 0)
                        warnings.Add($"Line {number}: empty string skipped.");
                    else
                        records.Add(new JsonlRecord(number, text));
                }
            }
            catch (JsonException ex)
            {
                errors.Add($"Line {number}: not valid JSON ({ex.Message.Split(" LineNumber")[0].TrimEnd('.', ' ')}).");
                continue;
            }
            if (values > 1)
                warnings.Add($"Line {number}: {values} JSON strings run together on one line; each was read as its own record.");
        }
        return new JsonlReadResult(records, warnings, errors);
    }

    static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    // Readable files: apostrophes and accents stay as they are (the authors' files are plain UTF-8 too).
    static readonly JsonSerializerOptions WriteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(IEnumerable<string> texts)
    {
        var builder = new StringBuilder();
        foreach (var text in texts)
            builder.Append(JsonSerializer.Serialize(text, WriteOptions)).Append('\n');
        return builder.ToString();
    }
}
