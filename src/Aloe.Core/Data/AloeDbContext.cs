using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Data;

/// <summary>
/// One context for the whole product. Each feature contributes its entities through
/// <see cref="IEntityTypeConfiguration{TEntity}"/> classes in its own folder; they are
/// discovered here, so features never edit this file. Query with <c>db.Set&lt;T&gt;()</c>.
/// It is also ASP.NET Core Identity's store (users, roles, claims): annotators sign in.
/// </summary>
public sealed class AloeDbContext(DbContextOptions<AloeDbContext> options) : IdentityDbContext(options)
{
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
