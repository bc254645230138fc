using Aloe.Core.Audit;
using System.Diagnostics;
using System.Text.Json;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Aloe.Core.Analysis.Prism;

public sealed record PrismImportResult(int Utterances, int Interactions, int Conversations, int Participants, int EmptyTexts, double Seconds);

/// <summary>
/// Reads a local copy of the PRISM alignment data set (Kirk et al. 2024): utterances.jsonl,
/// conversations.jsonl and survey.jsonl, fields as in seeds/constructive-preferences-method.md.
/// Every malformed line is reported as FILE:LINE and nothing is stored unless all three files are
/// valid; a valid import replaces the PRISM data stored before, in one transaction.
/// </summary>
public sealed class PrismImporter(IDbContextFactory<AloeDbContext> dbFactory, AuditLog audit)
{
    /// <summary>How PRISM writes an empty prompt or response. Kept as written; scoring skips it.</summary>
    public const string EmptyText = "EMPTY STRING";

    public static readonly string[] ConversationTypes = ["unguided", "values guided", "controversy guided"];
    const int MaxErrorsShown = 20;

    public async Task<PrismImportResult> ImportAsync(string directory, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var errors = new List<string>();
        var participants = Read(directory, "survey.jsonl", errors, ParseParticipant);
        var conversations = Read(directory, "conversations.jsonl", errors, ParseConversation);
        var utterances = Read(directory, "utterances.jsonl", errors, ParseUtterance);

        CheckUnique(participants, p => p.Row.UserId, "survey.jsonl", "user_id", errors);
        CheckUnique(conversations, c => c.Row.ConversationId, "conversations.jsonl", "conversation_id", errors);
        CheckUnique(utterances, u => u.Row.UtteranceId, "utterances.jsonl", "utterance_id", errors);
        var users = participants.Select(p => p.Row.UserId).ToHashSet(StringComparer.Ordinal);
        var conversationUsers = conversations.GroupBy(c => c.Row.ConversationId).ToDictionary(g => g.Key, g => g.First().Row.UserId, StringComparer.Ordinal);
        foreach (var (line, c) in conversations.Where(c => !users.Contains(c.Row.UserId)))
            errors.Add($"conversations.jsonl:{line}: user_id '{c.UserId}' is not in survey.jsonl");
        foreach (var (line, u) in utterances)
        {
            if (!conversationUsers.TryGetValue(u.ConversationId, out var owner))
                errors.Add($"utterances.jsonl:{line}: conversation_id '{u.ConversationId}' is not in conversations.jsonl");
            else if (owner != u.UserId)
                errors.Add($"utterances.jsonl:{line}: user_id '{u.UserId}' differs from the conversation's '{owner}'");
        }
        if (errors.Count > 0)
            throw new FormatException($"PRISM import failed, nothing was stored: {errors.Count} error(s): " +
                string.Join("; ", errors.Take(MaxErrorsShown)) + (errors.Count > MaxErrorsShown ? "; ..." : "."));
        if (utterances.Count == 0)
            throw new FormatException("PRISM import failed: utterances.jsonl has no rows.");

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Set<PrismUtterance>().ExecuteDeleteAsync(cancellationToken);
        await db.Set<PrismConversation>().ExecuteDeleteAsync(cancellationToken);
        await db.Set<PrismParticipant>().ExecuteDeleteAsync(cancellationToken);
        db.AddRange(participants.Select(p => p.Row));
        db.AddRange(conversations.Select(c => c.Row));
        await db.SaveChangesAsync(cancellationToken);
        await InsertUtterancesAsync(db, utterances.Select(u => u.Row), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        await audit.RecordAsync(AuditActions.Import, "prism", null, $"{utterances.Count} utterances, {conversations.Count} conversations, {participants.Count} participants", cancellationToken);
        var empty = utterances.Count(u => u.Row.UserPrompt == EmptyText || u.Row.ModelResponse == EmptyText);
        return new PrismImportResult(utterances.Count, utterances.Select(u => u.Row.InteractionId).Distinct().Count(),
            conversations.Count, participants.Count, empty, Math.Round(clock.Elapsed.TotalSeconds, 2));
    }

    /// <summary>
    /// One prepared INSERT reused for every row, inside the import's transaction: PRISM's 68,000
    /// utterances are the bulk of the import, and EF's change tracking cost more than the writes.
    /// Plain SQL with quoted names, as the migrations create them.
    /// </summary>
    static async Task InsertUtterancesAsync(AloeDbContext db, IEnumerable<PrismUtterance> rows, CancellationToken cancellationToken)
    {
        string[] columns = ["UtteranceId", "InteractionId", "ConversationId", "UserId", "Turn", "WithinTurnId", "ConversationType",
            "UserPrompt", "ModelResponse", "ModelName", "ModelProvider", "Score", "IfChosen", "IncludedInBalancedSubset"];
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        command.CommandText = $"INSERT INTO \"PrismUtterances\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        var parameters = columns.Select((_, i) =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i;
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        // Npgsql cannot prepare parameters that have neither a type nor a value yet (it infers types from
        // values); it sends one statement many times efficiently anyway, so only SQLite prepares here.
        if (db.Database.IsSqlite())
            await command.PrepareAsync(cancellationToken);
        foreach (var u in rows)
        {
            object[] values = [u.UtteranceId, u.InteractionId, u.ConversationId, u.UserId, u.Turn, u.WithinTurnId, u.ConversationType,
                u.UserPrompt, u.ModelResponse, u.ModelName, u.ModelProvider, u.Score, u.IfChosen, u.IncludedInBalancedSubset];
            for (var i = 0; i < values.Length; i++)
                parameters[i].Value = values[i] ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    static List<(int Line, T Row)> Read<T>(string directory, string file, List<string> errors, Func<JsonElement, T> parse)
    {
        var rows = new List<(int, T)>();
        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
        {
            errors.Add($"{file}: not found in {directory}");
            return rows;
        }
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw new FormatException("not a JSON object");
                rows.Add((number, parse(document.RootElement)));
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                errors.Add($"{file}:{number}: {e.Message}");
            }
        }
        return rows;
    }

    static void CheckUnique<T>(List<(int Line, T Row)> rows, Func<(int Line, T Row), string> key, string file, string field, List<string> errors)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
            if (!seen.TryAdd(key(row), row.Line))
                errors.Add($"{file}:{row.Line}: {field} '{key(row)}' already on line {seen[key(row)]}");
    }

    static PrismUtterance ParseUtterance(JsonElement e)
    {
        var turn = Int(e, "turn");
        if (turn < 0)
            throw new FormatException($"turn {turn} is negative (turns are 0-based)");
        var score = Int(e, "score");
        if (score is < 1 or > 100)
            throw new FormatException($"score {score} is outside 1-100");
        // Turn 0's within_turn_id names the interface slot (not 0-3), so only its type is checked.
        var withinTurn = Int(e, "within_turn_id");
        return new PrismUtterance
        {
            UtteranceId = Id(e, "utterance_id"),
            InteractionId = Id(e, "interaction_id"),
            ConversationId = Id(e, "conversation_id"),
            UserId = Id(e, "user_id"),
            Turn = turn,
            WithinTurnId = withinTurn,
            ConversationType = ConversationType(e),
            UserPrompt = Text(e, "user_prompt"),
            ModelResponse = Text(e, "model_response"),
            ModelName = Id(e, "model_name"),
            ModelProvider = Id(e, "model_provider"),
            Score = score,
            IfChosen = Bool(e, "if_chosen"),
            IncludedInBalancedSubset = Bool(e, "included_in_balanced_subset"),
        };
    }

    static PrismConversation ParseConversation(JsonElement e)
    {
        var history = Field(e, "conversation_history");
        if (history.ValueKind != JsonValueKind.Array)
            throw new FormatException("conversation_history is not a list");
        var entry = 0;
        foreach (var item in history.EnumerateArray())
        {
            entry++;
            if (item.ValueKind != JsonValueKind.Object)
                throw new FormatException($"conversation_history[{entry - 1}] is not an object");
            var role = Id(item, "role");
            if (role is not ("user" or "model"))
                throw new FormatException($"conversation_history[{entry - 1}].role '{role}' is not user or model");
            Int(item, "turn");
            Text(item, "content");
        }
        return new PrismConversation
        {
            ConversationId = Id(e, "conversation_id"),
            UserId = Id(e, "user_id"),
            ConversationType = ConversationType(e),
            OpeningPrompt = Text(e, "opening_prompt"),
            HistoryJson = history.GetRawText(),
            IncludedInBalancedSubset = Bool(e, "included_in_balanced_subset"),
        };
    }

    static PrismParticipant ParseParticipant(JsonElement e)
    {
        double? values = null;
        if (e.TryGetProperty("stated_prefs", out var prefs) && prefs.ValueKind == JsonValueKind.Object
            && prefs.TryGetProperty("values", out var v) && v.ValueKind == JsonValueKind.Number)
        {
            values = v.GetDouble();
            if (values is < 0 or > 100)
                throw new FormatException($"stated_prefs.values {values} is outside 0-100");
        }
        var ethnicity = e.TryGetProperty("ethnicity", out var eth) ? eth.ValueKind switch
        {
            JsonValueKind.Object => eth.TryGetProperty("simplified", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null,
            JsonValueKind.String => eth.GetString(),
            JsonValueKind.Null => null,
            _ => throw new FormatException("ethnicity is neither an object nor a string"),
        } : null;
        return new PrismParticipant
        {
            UserId = Id(e, "user_id"),
            Age = OptionalString(e, "age"),
            Gender = OptionalString(e, "gender"),
            Ethnicity = ethnicity,
            ValuesPreference = values,
            IncludedInBalancedSubset = e.TryGetProperty("included_in_balanced_subset", out var b) && b.ValueKind == JsonValueKind.True,
            RawJson = e.GetRawText(),
        };
    }

    static JsonElement Field(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) ? value : throw new FormatException($"missing field {name}");

    static string Id(JsonElement e, string name)
    {
        var value = Field(e, name);
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new FormatException($"{name} is not a string"),
        };
        return text.Length > 0 ? text : throw new FormatException($"{name} is empty");
    }

    /// <summary>A prompt or response: may be PRISM's "EMPTY STRING", never missing or null.</summary>
    static string Text(JsonElement e, string name)
    {
        var value = Field(e, name);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new FormatException($"{name} is not a string");
    }

    static int Int(JsonElement e, string name)
    {
        var value = Field(e, name);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : throw new FormatException($"{name} is not a whole number");
    }

    static bool Bool(JsonElement e, string name) => Field(e, name).ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new FormatException($"{name} is not true or false"),
    };

    static string? OptionalString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    static string ConversationType(JsonElement e)
    {
        var type = Id(e, "conversation_type");
        return ConversationTypes.Contains(type) ? type : throw new FormatException($"conversation_type '{type}' is not one of {string.Join(", ", ConversationTypes.Select(t => $"\"{t}\""))}");
    }
}
