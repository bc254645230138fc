using System.Text;

namespace Aloe.Core.Data;

/// <summary>CSV written by every export, and the one reader for what the app writes.</summary>
internal static class Csv
{
    /// <summary>
    /// RFC 4180 quoting (a field with a comma, quote or line break is quoted, inner quotes doubled),
    /// and a text cell that a spreadsheet would run as a formula (starting with = + - @, tab or CR)
    /// gets a leading apostrophe (OWASP's CSV-injection advice); <see cref="Unguard"/> undoes it.
    /// </summary>
    public static string Field(string value)
    {
        if (value.Length > 0 && FormulaStarts.Contains(value[0]))
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
    }

    const string FormulaStarts = "=+-@\t\r";

    /// <summary>A text cell as it was before <see cref="Field"/> guarded it.</summary>
    public static string Unguard(string cell) =>
        cell.Length > 1 && cell[0] == '\'' && FormulaStarts.Contains(cell[1]) ? cell[1..] : cell;

    /// <summary>
    /// The records of an RFC 4180 file: quoted fields may hold commas, doubled quotes and line
    /// breaks. Each record comes with the line number it starts on; a quote never closed is a
    /// FormatException naming its line.
    /// </summary>
    public static IEnumerable<(int Line, string[] Cells)> Read(TextReader reader)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        int line = 1, start = 1;
        bool quoted = false, any = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        cell.Append('"');
                    }
                    else
                        quoted = false;
                }
                else
                {
                    if (ch == '\n')
                        line++;
                    cell.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"' when cell.Length == 0:
                    quoted = any = true;
                    break;
                case ',':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    if (any || cell.Length > 0)
                    {
                        cells.Add(cell.ToString());
                        yield return (start, cells.ToArray());
                    }
                    cells.Clear();
                    cell.Clear();
                    any = false;
                    start = ++line;
                    break;
                default:
                    cell.Append(ch);
                    any = true;
                    break;
            }
        }
        if (quoted)
            throw new FormatException($"line {start}: a quoted field is not closed");
        if (any || cell.Length > 0)
        {
            cells.Add(cell.ToString());
            yield return (start, cells.ToArray());
        }
    }
}
