namespace Aloe.Core.Data;

/// <summary>CSV output shared by every export.</summary>
internal static class Csv
{
    /// <summary>RFC 4180 quoting: a field with a comma, quote or line break is quoted, inner quotes doubled.</summary>
    public static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
