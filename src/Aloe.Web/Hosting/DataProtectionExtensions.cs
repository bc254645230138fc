using Aloe.Core.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;

namespace Aloe.Web.Hosting;

public static class DataProtectionExtensions
{
    public const string KeysFolderSetting = "DataProtection:KeysFolder";

    /// <summary>
    /// The data-protection keys (antiforgery tokens, sign-in cookies) live beside the database,
    /// in its folder's keys/ (in the container: the data volume; with PostgreSQL, data/keys), so a restarted or replaced
    /// container still accepts the tokens it issued. DataProtection:KeysFolder overrides it.
    /// </summary>
    public static IHostApplicationBuilder AddAloeDataProtection(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDataProtection()
            .SetApplicationName("ALOE Studio")
            .PersistKeysToFileSystem(new DirectoryInfo(KeysFolder(builder.Configuration, builder.Environment.ContentRootPath)));
        return builder;
    }

    public static string KeysFolder(IConfiguration configuration, string root)
    {
        if (configuration[KeysFolderSetting] is { Length: > 0 } configured)
            return Path.GetFullPath(Path.Combine(root, configured));
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        // A PostgreSQL deployment has no database folder: the keys go to the data folder (the volume).
        if (options.Provider != DatabaseProvider.Sqlite)
            return Path.Combine(root, "data", "keys");
        var source = new SqliteConnectionStringBuilder(DataExtensions.ResolveConnectionString(options.ConnectionString, root)).DataSource;
        var folder = string.IsNullOrEmpty(source) || source == ":memory:" ? Path.Combine(root, "data") : Path.GetDirectoryName(source)!;
        return Path.Combine(folder, "keys");
    }
}
