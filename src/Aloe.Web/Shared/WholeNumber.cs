using System.Globalization;

namespace Aloe.Web.Shared;

/// <summary>
/// A form's whole-number field, typed as text so that what the user typed is what is checked:
/// a value out of range or not a number gets a message at the field and is never replaced by a
/// default or clamped (a numeric input would silently drop "abc" or clamp 99999999999).
/// </summary>
public sealed record WholeNumber(string Label, int Min, int Max, bool Optional = false)
{
    /// <summary>The field's message, or null when the text is acceptable (for MudBlazor's <c>Validation</c>).</summary>
    public string? Check(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return Optional ? null : $"{Label} is required.";
        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return $"{Label} must be a whole number.";
        return value < Min || value > Max ? $"{Label} must be between {Min:N0} and {Max:N0}." : null;
    }

    /// <summary>The value of text that passed <see cref="Check"/> (null when optional and empty).</summary>
    public int? Parse(string? text) =>
        Check(text) is { } error ? throw new ArgumentException(error)
        : string.IsNullOrWhiteSpace(text) ? null : int.Parse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}
