using System.Text.RegularExpressions;
using Aloe.Core.Data;
using Aloe.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Tests.Data;

/// <summary>
/// Migrations are written by hand (EF's design package is not in our NuGet copy), so this
/// proves that applying them gives exactly the schema the model would create.
/// </summary>
public sealed partial class SchemaTests
{
    [Fact]
    public async Task MigratedDatabaseHasExactlyTheModelsSchema()
    {
        await using var host = await TestHost.StartAsync();
        await using var migrated = host.Db();

        var options = new DbContextOptionsBuilder<AloeDbContext>().UseSqlite("Data Source=schema-from-model;Mode=Memory;Cache=Shared").Options;
        await using var keepAlive = new SqliteConnection("Data Source=schema-from-model;Mode=Memory;Cache=Shared");
        await keepAlive.OpenAsync();
        await using var fromModel = new AloeDbContext(options);
        await fromModel.Database.EnsureCreatedAsync();

        Assert.Equal(await SchemaAsync(fromModel), await SchemaAsync(migrated));
    }

    [Fact]
    public async Task DatabaseRunsInWriteAheadLogMode()
    {
        await using var host = await TestHost.StartAsync();
        await using var db = host.Db();

        var mode = await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync();

        Assert.Equal("wal", Assert.Single(mode));
    }

    static async Task<List<string>> SchemaAsync(AloeDbContext db)
    {
        var rows = await db.Database.SqlQueryRaw<string>(
            "SELECT type || ' ' || name || ': ' || sql AS Value FROM sqlite_master " +
            "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EFMigrations%' ORDER BY type, name").ToListAsync();
        return rows.Select(r => Whitespace().Replace(r, " ").Replace("( ", "(").Replace(" )", ")").Trim()).ToList();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
