namespace Aloe.Core.Data;

/// <summary>CSV output shared by every export.</summary>
internal static class Csv
{
    /// <summary>RFC 4180 quoting: a field with a comma, quote or line break is quoted, inner quotes doubled.</summary>
    public static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";

    /// <summary>
    /// The records of a CSV text with the line each starts on, RFC 4180 quoting undone (a quoted field
    /// may hold commas, doubled quotes and line breaks). Fields is null when a quote is never closed.
    /// </summary>
    public static IEnumerable<(int Line, IReadOnlyList<string>? Fields)> ReadRecords(TextReader reader)
    {
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var start = number;
            var fields = new List<string>();
            var field = new System.Text.StringBuilder();
            var quoted = false;
            while (true)
            {
                for (var i = 0; i < line.Length; i++)
                {
                    var c = line[i];
                    if (quoted)
                    {
                        if (c != '"')
                            field.Append(c);
                        else if (i + 1 < line.Length && line[i + 1] == '"')
                            field.Append(line[++i]);
                        else
                            quoted = false;
                    }
                    else if (c == '"')
                        quoted = true;
                    else if (c == ',')
                    {
                        fields.Add(field.ToString());
                        field.Clear();
                    }
                    else
                        field.Append(c);
                }
                if (!quoted)
                    break;
                // A line break inside quotes belongs to the field.
                if (reader.ReadLine() is not { } next)
                    break;
                number++;
                field.Append('\n');
                line = next;
            }
            if (quoted)
            {
                yield return (start, null);
                yield break;
            }
            fields.Add(field.ToString());
            yield return (start, fields);
        }
    }
}
