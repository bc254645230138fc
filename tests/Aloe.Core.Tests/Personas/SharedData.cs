using Aloe.Testing;

namespace Aloe.Core.Tests.Personas;

internal static class SharedData
{
    /// <summary>../shared beside the repository, or ALOE_SHARED (git worktrees live one level deeper than the main checkout).</summary>
    public static string? Folder() =>
        TestHost.SharedFolder() ?? (Environment.GetEnvironmentVariable("ALOE_SHARED") is { Length: > 0 } path && Directory.Exists(path) ? path : null);
}
