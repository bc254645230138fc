using System.Globalization;
using System.Text;

namespace Aloe.Core.Analysis;

/// <summary>
/// A plain table for model fitting: named columns of text cells, numeric where they parse. The
/// analyses read it and nothing else, so scores from any source (stored attribute scores, a CSV
/// from elsewhere, PRISM) feed the models through one shape.
/// </summary>
internal sealed class AnalysisTable
{
    readonly Dictionary<string, string[]> columns;
    readonly Dictionary<string, double[]?> numeric = new(StringComparer.Ordinal);

    public AnalysisTable(IReadOnlyList<string> names, IReadOnlyList<string[]> values)
    {
        if (names.Count != values.Count)
            throw new ArgumentException("One value array per column name.");
        Names = names;
        RowCount = values.Count == 0 ? 0 : values[0].Length;
        columns = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var c = 0; c < names.Count; c++)
        {
            if (values[c].Length != RowCount)
                throw new ArgumentException($"Column '{names[c]}' has {values[c].Length} values, not {RowCount}.");
            if (!columns.TryAdd(names[c], values[c]))
                throw new ArgumentException($"Column '{names[c]}' appears twice.");
        }
    }

    public IReadOnlyList<string> Names { get; }
    public int RowCount { get; }

    public bool Has(string name) => columns.ContainsKey(name);

    public string[] Text(string name) => columns.TryGetValue(name, out var values)
        ? values
        : throw new ModelSpecificationException($"The formula names column '{name}', which the data does not have (columns: {string.Join(", ", Names)}).");

    /// <summary>The column as numbers, or null when some cell is not a number.</summary>
    public double[]? Numbers(string name)
    {
        if (numeric.TryGetValue(name, out var cached))
            return cached;
        var text = Text(name);
        var result = new double[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            if (!double.TryParse(text[i], NumberStyles.Float, CultureInfo.InvariantCulture, out result[i]) || !double.IsFinite(result[i]))
            {
                result = null;
                break;
            }
        }
        numeric[name] = result;
        return result;
    }

    /// <summary>A table from numeric columns (tests, simulations, the analyses service).</summary>
    public static AnalysisTable FromNumbers(IReadOnlyDictionary<string, double[]> numbers, IReadOnlyDictionary<string, string[]>? text = null)
    {
        var names = new List<string>();
        var values = new List<string[]>();
        foreach (var (name, column) in numbers)
        {
            names.Add(name);
            values.Add(Array.ConvertAll(column, v => v.ToString("R", CultureInfo.InvariantCulture)));
        }
        foreach (var (name, column) in text ?? new Dictionary<string, string[]>())
        {
            names.Add(name);
            values.Add(column);
        }
        return new AnalysisTable(names, values);
    }

    /// <summary>RFC 4180 CSV with a header row; errors name the line.</summary>
    public static AnalysisTable ReadCsv(TextReader reader)
    {
        var records = new List<List<string>>();
        var line = 1;
        var field = new StringBuilder();
        var record = new List<string>();
        var quoted = false;
        var recordLine = 1;
        int ch;
        while ((ch = reader.Read()) >= 0)
        {
            var c = (char)ch;
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"') { field.Append('"'); reader.Read(); }
                    else quoted = false;
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"': quoted = true; break;
                case ',': record.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n':
                    record.Add(field.ToString()); field.Clear();
                    Add(record, recordLine);
                    record = [];
                    line++;
                    recordLine = line;
                    break;
                default: field.Append(c); break;
            }
        }
        if (quoted)
            throw new ModelSpecificationException($"CSV line {recordLine}: a quoted field is not closed.");
        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            Add(record, recordLine);
        }
        if (records.Count == 0)
            throw new ModelSpecificationException("The CSV file is empty (a header row is needed).");
        var header = records[0];
        var values = header.Select(_ => new string[records.Count - 1]).ToList();
        for (var r = 1; r < records.Count; r++)
            for (var c = 0; c < header.Count; c++)
                values[c][r - 1] = records[r][c];
        return new AnalysisTable(header.Select(h => h.Trim()).ToList(), values);

        void Add(List<string> fields, int at)
        {
            if (fields.Count == 1 && fields[0].Length == 0)
                return; // blank line
            if (records.Count > 0 && fields.Count != records[0].Count)
                throw new ModelSpecificationException($"CSV line {at}: {fields.Count} fields, the header has {records[0].Count}.");
            records.Add(fields);
        }
    }
}

/// <summary>A formula or data problem, with a one-line message for the user.</summary>
internal sealed class ModelSpecificationException(string message) : Exception(message);
