using Npgsql;
using Xunit;

namespace Aloe.Testing;

/// <summary>
/// The PostgreSQL server the tests may use: ALOE_TEST_POSTGRES (set by .ci/postgres, which CI
/// runs). Each test gets a database of its own, dropped on dispose; without a server the
/// PostgreSQL cases are reported as skipped.
/// </summary>
public static class TestPostgres
{
    public const string EnvironmentVariable = "ALOE_TEST_POSTGRES";

    public static string? ServerConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } cs ? cs : null;

    public static void SkipUnlessAvailable() =>
        Skip.If(ServerConnectionString is null, $"no PostgreSQL server ({EnvironmentVariable} unset; .ci/postgres starts one, CI runs these).");

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        SkipUnlessAvailable();
        var name = "aloe_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(ServerConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ToString();
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
