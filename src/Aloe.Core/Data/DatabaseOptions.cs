using System.ComponentModel.DataAnnotations;

namespace Aloe.Core.Data;

public enum DatabaseProvider { Sqlite, PostgreSql }

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Sqlite (default: one file, one researcher) or PostgreSql (a lab, several workers).</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>SQLite: a relative Data Source is resolved against the Aloe root. PostgreSql: an Npgsql connection string.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/aloe.db";
}
