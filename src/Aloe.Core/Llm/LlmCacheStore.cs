using Aloe.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Aloe.Core.Llm;

/// <summary>
/// The database layer of the response cache, in plain ADO.NET: a primary-key lookup costs tens
/// of microseconds this way against about a millisecond through a DbContext, and every cache
/// miss pays it (docs/performance.md, "LLM gateway"). The table is the EF entity <see cref="LlmCacheEntry"/>.
/// </summary>
internal sealed class LlmCacheStore(DbContextOptions<AloeDbContext> applicationOptions)
{
    // Pooled by Microsoft.Data.Sqlite, so opening per call is cheap.
    readonly string connectionString = RelationalOptionsExtension.Extract(applicationOptions).ConnectionString
        ?? throw new InvalidOperationException("The database has no connection string.");

    public async Task<LlmCacheEntry?> FindAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Endpoint", "Model", "Text", "InputTokens", "OutputTokens", "CreatedAt" FROM "LlmCache" WHERE "Key" = $key""";
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return new LlmCacheEntry
        {
            Key = key,
            Endpoint = reader.GetString(0),
            Model = reader.GetString(1),
            Text = reader.GetString(2),
            InputTokens = reader.GetInt32(3),
            OutputTokens = reader.GetInt32(4),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
        };
    }

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """DELETE FROM "LlmCache" WHERE "Key" = $key""";
        command.Parameters.AddWithValue("$key", key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stores new entries in one transaction with one prepared statement; a key already stored keeps its first answer.</summary>
    public async Task AddAsync(IReadOnlyCollection<LlmCacheEntry> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0)
            return;
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO "LlmCache" ("Key", "Endpoint", "Model", "Text", "InputTokens", "OutputTokens", "CreatedAt")
            VALUES ($key, $endpoint, $model, $text, $input, $output, $created)
            ON CONFLICT ("Key") DO NOTHING
            """;
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var endpoint = command.Parameters.Add("$endpoint", SqliteType.Text);
        var model = command.Parameters.Add("$model", SqliteType.Text);
        var text = command.Parameters.Add("$text", SqliteType.Text);
        var input = command.Parameters.Add("$input", SqliteType.Integer);
        var output = command.Parameters.Add("$output", SqliteType.Integer);
        var created = command.Parameters.Add("$created", SqliteType.Integer);
        foreach (var e in entries)
        {
            (key.Value, endpoint.Value, model.Value, text.Value) = (e.Key, e.Endpoint, e.Model, e.Text);
            (input.Value, output.Value, created.Value) = (e.InputTokens, e.OutputTokens, e.CreatedAt.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
