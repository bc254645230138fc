using System.CommandLine;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Cli;

internal static class DbCommands
{
    public static Command Create(IServiceProvider services)
    {
        var schema = new Command("schema", "Print the SQL the current model creates (copy your tables' statements into a hand-written migration)");
        schema.SetAction(_ =>
        {
            using var db = services.GetRequiredService<IDbContextFactory<AloeDbContext>>().CreateDbContext();
            Console.WriteLine(db.Database.GenerateCreateScript());
        });
        var path = new Command("path", "Print the database file in use");
        path.SetAction(_ =>
        {
            using var db = services.GetRequiredService<IDbContextFactory<AloeDbContext>>().CreateDbContext();
            Console.WriteLine(db.DatabasePath());
        });
        return new Command("db", "The database") { schema, path };
    }
}
