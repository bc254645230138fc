namespace Aloe.Core.Hosting;

/// <summary>
/// The folder that holds appsettings.json, prompts/ and wwwroot/: the repository root in
/// development, the app folder in a container. Web app and CLI both resolve it, so that
/// `dotnet run --project src/Aloe.Web` and `aloe` share one configuration and database.
/// </summary>
public static class AloeRoot
{
    public const string EnvironmentVariable = "ALOE_ROOT";

    public static string Find() => TryFind() ?? Directory.GetCurrentDirectory();

    /// <summary>
    /// ALOE_ROOT, else the nearest folder holding appsettings.json and prompts/ above the current
    /// directory or the program; null when there is none (the CLI then stops with a message
    /// instead of creating a database wherever it was started).
    /// </summary>
    public static string? TryFind()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            return Path.GetFullPath(fromEnvironment);

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (IsRoot(dir.FullName))
                    return dir.FullName;
            }
        }
        return null;
    }

    public static bool IsRoot(string dir) =>
        File.Exists(Path.Combine(dir, "appsettings.json")) && Directory.Exists(Path.Combine(dir, "prompts"));
}
