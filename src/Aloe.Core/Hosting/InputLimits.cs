namespace Aloe.Core.Hosting;

/// <summary>
/// The length limits every entry point (web API, forms, CLI) enforces through the services, so
/// that a 100,000-character model name cannot reach the call log or a run record.
/// </summary>
public static class InputLimits
{
    /// <summary>Model, endpoint and run names.</summary>
    public const int Name = 200;

    /// <summary>A profile or personality text.</summary>
    public const int PersonaText = 10_000;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the field when <paramref name="value"/> is longer than <paramref name="limit"/>.</summary>
    public static string? Check(string? value, string field, int limit = Name) =>
        value is not null && value.Length > limit
            ? throw new ArgumentException($"The {field} is {value.Length:N0} characters long; the limit is {limit:N0}.")
            : value;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the field when <paramref name="value"/> is outside [min, max].</summary>
    public static int Range(int value, string field, int min, int max) =>
        value < min || value > max ? throw new ArgumentException($"The {field} must be between {min:N0} and {max:N0} (got {value:N0}).") : value;
}
