using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Aloe.Core.Audit;
using Npgsql;

namespace Aloe.Core.Data;

/// <summary>
/// The database in use: provider and resolved connection string. The seam for the little code
/// that must differ between SQLite and PostgreSQL (options, raw connections, file paths).
/// </summary>
public sealed record AloeDatabase(DatabaseProvider Provider, string ConnectionString)
{
    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    public DbContextOptionsBuilder Configure(DbContextOptionsBuilder options) => (Provider switch
    {
        DatabaseProvider.PostgreSql => options.UseNpgsql(ConnectionString),
        _ => options.UseSqlite(ConnectionString).AddInterceptors(SqliteBusyTimeout.Instance),
    })
        // Other branches' hand-written migrations until the integrator regenerates them;
        // SchemaTests fails while the model and the migrations differ.
        .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    /// <summary>A plain ADO.NET connection (not opened), for the few hot paths that bypass EF.</summary>
    public DbConnection CreateConnection() => IsSqlite ? new SqliteConnection(ConnectionString) : new NpgsqlConnection(ConnectionString);

    /// <summary>What to show a user: the SQLite file, or the PostgreSQL host and database (never the password).</summary>
    public string Describe()
    {
        if (IsSqlite)
            return new SqliteConnectionStringBuilder(ConnectionString).DataSource;
        var csb = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"postgresql://{csb.Host}:{csb.Port}/{csb.Database}";
    }
}

public static class DataExtensions
{
    public static IHostApplicationBuilder AddAloeData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var configured = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var database = new AloeDatabase(configured.Provider, configured.Provider == DatabaseProvider.Sqlite
            ? ResolveConnectionString(configured.ConnectionString, builder.Environment.ContentRootPath)
            : configured.ConnectionString);
        builder.Services.AddSingleton(database);
        if (database.IsSqlite)
            builder.Services.AddPooledDbContextFactory<AloeDbContext>(options => database.Configure(options));
        else
        {
            // Services ask for IDbContextFactory<AloeDbContext>; on PostgreSQL they get the derived
            // context, whose migrations are PostgreSQL's.
            builder.Services.AddPooledDbContextFactory<PostgresAloeDbContext>(options => database.Configure(options));
            builder.Services.AddSingleton<IDbContextFactory<AloeDbContext>>(sp => new PostgresFactory(sp.GetRequiredService<IDbContextFactory<PostgresAloeDbContext>>()));
        }
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddAudit();
        return builder;
    }

    sealed class PostgresFactory(IDbContextFactory<PostgresAloeDbContext> inner) : IDbContextFactory<AloeDbContext>
    {
        public AloeDbContext CreateDbContext() => inner.CreateDbContext();
        public async Task<AloeDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) => await inner.CreateDbContextAsync(cancellationToken);
    }

    /// <summary>Makes a relative SQLite Data Source absolute (against the Aloe root) and creates its folder.</summary>
    public static string ResolveConnectionString(string connectionString, string root)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        if (csb.DataSource is { Length: > 0 } source && source != ":memory:" && csb.Mode != SqliteOpenMode.Memory)
        {
            var path = Path.IsPathRooted(source) ? source : Path.GetFullPath(Path.Combine(root, source));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            csb.DataSource = path;
        }
        return csb.ToString();
    }

    /// <summary>
    /// The last hand-written migration of the schema before migrations were generated; a database
    /// that has it holds exactly the generated baseline's schema.
    /// </summary>
    internal const string LastHandWrittenMigration = "20261123_0401_DialogueTurnTokens";

    /// <summary>The generated migration that reproduces the hand-written schema (SQLite).</summary>
    internal const string SqliteBaseline = "20261122000000_Baseline";

    /// <summary>
    /// Applies migrations; on SQLite, first adopts a database made before migrations were
    /// generated (its schema is the baseline's: the baseline is recorded as applied, not run), and
    /// switches to WAL so readers never wait on the job writer.
    /// </summary>
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<AloeDbContext>>();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
            await AdoptHandWrittenSchemaAsync(db, cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    static async Task AdoptHandWrittenSchemaAsync(AloeDbContext db, CancellationToken cancellationToken)
    {
        var history = db.GetService<IHistoryRepository>();
        if (!await history.ExistsAsync(cancellationToken))
            return;
        var applied = (await history.GetAppliedMigrationsAsync(cancellationToken)).Select(m => m.MigrationId).ToHashSet();
        if (!applied.Contains(LastHandWrittenMigration) || applied.Contains(SqliteBaseline))
            return;
        var version = typeof(DbContext).Assembly.GetName().Version!.ToString(3);
        await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(SqliteBaseline, version)), cancellationToken);
    }

    public static string DatabasePath(this AloeDbContext db) =>
        new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
}
