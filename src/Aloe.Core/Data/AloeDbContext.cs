using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Data;

/// <summary>
/// One context for the whole product. Each feature contributes its entities through
/// <see cref="IEntityTypeConfiguration{TEntity}"/> classes in its own folder; they are
/// discovered here, so features never edit this file. Query with <c>db.Set&lt;T&gt;()</c>.
/// It is also ASP.NET Core Identity's store (users, roles, claims): annotators sign in.
/// This type is the SQLite context (its migrations are in Data/Migrations/Sqlite);
/// <see cref="PostgresAloeDbContext"/> is the same model on PostgreSQL with its own migrations.
/// </summary>
public class AloeDbContext : IdentityDbContext
{
    public AloeDbContext(DbContextOptions<AloeDbContext> options) : base(options) { }

    protected AloeDbContext(DbContextOptions options) : base(options) { }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AloeDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot order or compare DateTimeOffset columns; Unix milliseconds sort and
        // compare natively and read the same on PostgreSQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUnixMillisecondsConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToUnixMillisecondsConverter>();
    }
}

/// <summary>The model on PostgreSQL: a type of its own only so that its migrations (Data/Migrations/PostgreSql) are told apart from SQLite's.</summary>
public sealed class PostgresAloeDbContext(DbContextOptions<PostgresAloeDbContext> options) : AloeDbContext(options);
