using Aloe.Core.Data;
using System.Data.Common;

namespace Aloe.Core.Llm;

/// <summary>
/// The database layer of the response cache, in plain ADO.NET: a primary-key lookup costs tens
/// of microseconds this way against about a millisecond through a DbContext, and every cache
/// miss pays it (docs/performance.md, "LLM gateway"). The table is the EF entity <see cref="LlmCacheEntry"/>.
/// </summary>
/// <remarks>The SQL is the same on SQLite and PostgreSQL (both take @-named parameters and ON CONFLICT).</remarks>
internal sealed class LlmCacheStore(AloeDatabase database)
{
    // Both providers pool connections, so opening per call is cheap.
    static DbParameter Parameter(DbCommand command, string name, object? value = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public async Task<LlmCacheEntry?> FindAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Endpoint", "Model", "Text", "InputTokens", "OutputTokens", "CreatedAt" FROM "LlmCache" WHERE "Key" = @key""";
        Parameter(command, "@key", key);
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
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """DELETE FROM "LlmCache" WHERE "Key" = @key""";
        Parameter(command, "@key", key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stores new entries in one transaction with one prepared statement; a key already stored keeps its first answer.</summary>
    public async Task AddAsync(IReadOnlyCollection<LlmCacheEntry> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0)
            return;
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO "LlmCache" ("Key", "Endpoint", "Model", "Text", "InputTokens", "OutputTokens", "CreatedAt")
            VALUES (@key, @endpoint, @model, @text, @input, @output, @created)
            ON CONFLICT ("Key") DO NOTHING
            """;
        var key = Parameter(command, "@key");
        var endpoint = Parameter(command, "@endpoint");
        var model = Parameter(command, "@model");
        var text = Parameter(command, "@text");
        var input = Parameter(command, "@input");
        var output = Parameter(command, "@output");
        var created = Parameter(command, "@created");
        foreach (var e in entries)
        {
            (key.Value, endpoint.Value, model.Value, text.Value) = (e.Key, e.Endpoint, e.Model, e.Text);
            (input.Value, output.Value, created.Value) = (e.InputTokens, e.OutputTokens, e.CreatedAt.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
