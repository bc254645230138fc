namespace Aloe.Core.Data;

/// <summary>CSV output shared by every export.</summary>
internal static class Csv
{
    /// <summary>RFC 4180 quoting: a field with a comma, quote or line break is quoted, inner quotes doubled.</summary>
    public static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";

    /// <summary>
    /// The fields of one CSV line, RFC 4180 quoting undone (a quoted field may hold commas and doubled
    /// quotes, not line breaks); null when a quote is left open.
    /// </summary>
    public static IReadOnlyList<string>? ReadFields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
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
        if (quoted)
            return null;
        fields.Add(field.ToString());
        return fields;
    }
}
