using System.ComponentModel.DataAnnotations;

namespace Aloe.Core.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>SQLite connection string; a relative Data Source is resolved against the Aloe root.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/aloe.db";
}
