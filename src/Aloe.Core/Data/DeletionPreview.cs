namespace Aloe.Core.Data;

/// <summary>
/// What a delete would remove, for the confirmation dialog: the thing, what goes with it, what
/// stays, and why it cannot be deleted now (null when it can).
/// </summary>
public sealed record DeletionPreview(string Title, IReadOnlyList<string> GoesWith, IReadOnlyList<string> Stays, string? Blocked = null)
{
    public bool CanDelete => Blocked is null;

    /// <summary>"1 turn", "1,200 turns".</summary>
    public static string Count(int n, string noun) => $"{n:N0} {noun}{(n == 1 ? "" : "s")}";
}
