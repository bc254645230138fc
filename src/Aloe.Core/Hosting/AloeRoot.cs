namespace Aloe.Core.Hosting;

/// <summary>
/// The folder that holds appsettings.json, prompts/ and wwwroot/: the repository root in
/// development, the app folder in a container. Web app and CLI both resolve it, so that
/// `dotnet run --project src/Aloe.Web` and `aloe` share one configuration and database.
/// </summary>
public static class AloeRoot
{
    public const string EnvironmentVariable = "ALOE_ROOT";

    public static string Find()
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
        return Directory.GetCurrentDirectory();
    }

    static bool IsRoot(string dir) =>
        File.Exists(Path.Combine(dir, "appsettings.json")) && Directory.Exists(Path.Combine(dir, "prompts"));
}
