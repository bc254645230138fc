using System.CommandLine;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Cli;

internal static class DbCommands
{
    public static Command Create(IServiceProvider services)
    {
        var schema = new Command("schema", "Print the SQL the current model creates on the configured provider (migrations: see docs/migrations.md)");
        schema.SetAction(_ =>
        {
            using var db = services.GetRequiredService<IDbContextFactory<AloeDbContext>>().CreateDbContext();
            Console.WriteLine(db.Database.GenerateCreateScript());
        });
        var path = new Command("path", "Print the database in use (the SQLite file, or the PostgreSQL server and database)");
        path.SetAction(_ => Console.WriteLine(services.GetRequiredService<AloeDatabase>().Describe()));
        return new Command("db", "The database") { schema, path };
    }
}
