using System.Globalization;

namespace Aloe.Web.Shared;

/// <summary>
/// Field validation for MudForm text fields holding numbers: a value out of range or not a number
/// is refused with a message at the field, never replaced by a default or clamped.
/// </summary>
internal static class FormFields
{
    /// <summary>Null when <paramref name="value"/> is a whole number in [min, max]; otherwise the field's message.</summary>
    public static string? Int(string? value, string name, int min, int max, bool optional = false)
    {
        if (string.IsNullOrWhiteSpace(value))
            return optional ? null : $"{name} is required.";
        if (!long.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            return $"{name} must be a whole number.";
        if (n < min || n > max)
            return min == int.MinValue ? $"{name} is too large." : $"{name} must be between {min:N0} and {max:N0}.";
        return null;
    }

    /// <summary>Null when <paramref name="value"/> is a number in [min, max]; otherwise the field's message.</summary>
    public static string? Double(string? value, string name, double min, double max, bool optional = false)
    {
        if (string.IsNullOrWhiteSpace(value))
            return optional ? null : $"{name} is required.";
        if (!double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n))
            return $"{name} must be a number.";
        if (n < min || n > max)
            return $"{name} must be between {min} and {max}.";
        return null;
    }

    public static int? ParseInt(string? value) =>
        int.TryParse(value?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static double? ParseDouble(string? value) =>
        double.TryParse(value?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;
}
