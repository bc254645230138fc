using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Aloe.Core.Data;

// For `dotnet ef migrations add` only (docs/migrations.md): the model, no live database.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<AloeDbContext>
{
    public AloeDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AloeDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAloeDbContext>
{
    public PostgresAloeDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAloeDbContext>().UseNpgsql("Host=localhost;Database=aloe_design_time").Options);
}
