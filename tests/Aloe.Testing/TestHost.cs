using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Core.Prompts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using Xunit;

namespace Aloe.Testing;

/// <summary>
/// Aloe.Core services over a fresh SQLite file or PostgreSQL database (migrated, as in production), with the
/// repository's prompts/ and jobs run inline. Dispose deletes the database.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    readonly string directory;
    string? postgres;

    public IServiceProvider Services => Host.Services;
    public IHost Host { get; }
    public ScriptedLlmGateway Llm { get; } = new();

    TestHost(IHost host, string directory)
    {
        Host = host;
        this.directory = directory;
    }

    /// <param name="databasePath">A database file to use instead of a fresh one in the host's folder (kept on dispose).</param>
    /// <param name="provider">PostgreSql: a fresh database on the test server (skips without one), dropped on dispose; or the one <paramref name="postgresConnectionString"/> names (kept).</param>
    public static async Task<TestHost> StartAsync(Action<IHostApplicationBuilder>? configure = null, string? databasePath = null,
        DatabaseProvider provider = DatabaseProvider.Sqlite, string? postgresConnectionString = null)
    {
        var ownPostgres = provider == DatabaseProvider.PostgreSql && postgresConnectionString is null;
        if (ownPostgres)
            postgresConnectionString = await TestPostgres.CreateDatabaseAsync();
        var directory = Path.Combine(Path.GetTempPath(), "aloe-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = RepositoryRoot(),
            EnvironmentName = "Testing",
        });
        // No console logger: CLI tests capture the (process-wide) console, and log lines from other tests' hosts would mix in.
        builder.Logging.ClearProviders();
        builder.Configuration["Database:Provider"] = provider.ToString();
        builder.Configuration["Database:ConnectionString"] = provider == DatabaseProvider.PostgreSql
            ? postgresConnectionString
            : $"Data Source={databasePath ?? Path.Combine(directory, "aloe.db")}";
        builder.AddAloeData();
        builder.AddPrompts();
        builder.AddJobs(runScheduler: false);
        ScriptedLlmGateway? llm = null;
        builder.Services.AddSingleton<ILlmGateway>(sp => llm!);
        configure?.Invoke(builder);
        var host = new TestHost(builder.Build(), directory) { postgres = ownPostgres ? postgresConnectionString : null };
        llm = host.Llm;
        await host.Services.InitializeDatabaseAsync();
        return host;
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public AloeDbContext Db() => Get<IDbContextFactory<AloeDbContext>>().CreateDbContext();

    /// <summary>The repository root (where appsettings.json and prompts/ are), found from the test's output folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Aloe.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Aloe.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>
    /// The shared/ folder beside the repository, else the folder named by ALOE_SHARED (a git
    /// worktree lives one level deeper than the main checkout), else null: tests that need it
    /// skip with a message.
    /// </summary>
    public static string? SharedFolder()
    {
        var shared = Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared"));
        if (Directory.Exists(shared))
            return shared;
        return Environment.GetEnvironmentVariable("ALOE_SHARED") is { Length: > 0 } named && Directory.Exists(named) ? named : null;
    }

    /// <summary>The shared/ folder, or a dynamic skip (reported as skipped, never as passed) when it is absent.</summary>
    public static string RequireSharedFolder()
    {
        var shared = SharedFolder();
        Skip.If(shared is null, "../shared is absent (set ALOE_SHARED to the shared folder); CI has it.");
        return shared!;
    }

    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (postgres is not null)
            await TestPostgres.DropDatabaseAsync(postgres);
        await Task.Yield();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }
}
