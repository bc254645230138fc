using Aloe.Core.Audit;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Dialogues;

/// <summary>A line of a conversations.jsonl file that cannot be imported; names the line.</summary>
public sealed class AloeImportException(int line, string message) : Exception($"Line {line}: {message}")
{
    public int Line { get; } = line;
}

public sealed record ImportResult(DialogueRun Run, int Dialogues, int Turns);

/// <summary>
/// The ALOE authors' conversations.jsonl: one persona per line, its main path as
/// <c>{profile, personality, conversations: [{user, assistant: {preferred, rejected}, chosen,
/// inferred_profile, inferred_personality}]}</c>. "chosen" names the answer that continued
/// ("preferred" or "rejected"; the answer's own text is accepted on import). The verifier's
/// swap flag and expanded branches have no place in this format.
/// </summary>
public sealed class AloeConversations(IDbContextFactory<AloeDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    const string None = "None";

    public static JsonObject ToJson(DialogueTree tree)
    {
        var conversations = new JsonArray();
        foreach (var turn in tree.MainPath())
            conversations.Add(new JsonObject
            {
                ["user"] = turn.UserMessage,
                ["assistant"] = new JsonObject { ["preferred"] = turn.Preferred, ["rejected"] = turn.Rejected },
                ["chosen"] = turn.Chosen == Branch.Preferred ? "preferred" : "rejected",
                ["inferred_profile"] = turn.InferredProfile ?? None,
                ["inferred_personality"] = turn.InferredPersonality ?? None,
            });
        return new JsonObject
        {
            ["profile"] = tree.Dialogue.Profile,
            ["personality"] = tree.Dialogue.Personality,
            ["conversations"] = conversations,
        };
    }

    /// <summary>A parsed line: the persona and its turns (not yet stored).</summary>
    internal sealed record Parsed(string Profile, string Personality, List<DialogueTurn> Turns);

    /// <summary>Reads every line first: one bad line rejects the whole file, naming the line, and nothing is stored.</summary>
    internal static List<Parsed> Parse(TextReader reader)
    {
        var parsed = new List<Parsed>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            JsonObject obj;
            try
            {
                obj = JsonNode.Parse(line) as JsonObject ?? throw new AloeImportException(number, "expected a JSON object.");
            }
            catch (JsonException ex)
            {
                throw new AloeImportException(number, $"not valid JSON ({ex.Message}).");
            }
            parsed.Add(ParseLine(number, obj));
        }
        if (parsed.Count == 0)
            throw new AloeImportException(number, "the file holds no conversations.");
        return parsed;
    }

    static Parsed ParseLine(int line, JsonObject obj)
    {
        var profile = Text(line, obj, "profile");
        var personality = Text(line, obj, "personality");
        if (obj["conversations"] is not JsonArray conversations || conversations.Count == 0)
            throw new AloeImportException(line, "'conversations' must be a non-empty array.");
        var turns = new List<DialogueTurn>();
        for (var i = 0; i < conversations.Count; i++)
        {
            var at = $"conversations[{i}]";
            if (conversations[i] is not JsonObject turn)
                throw new AloeImportException(line, $"'{at}' must be an object.");
            if (turn["assistant"] is not JsonObject assistant)
                throw new AloeImportException(line, $"'{at}.assistant' must be an object with 'preferred' and 'rejected'.");
            var preferred = Text(line, assistant, "preferred", $"{at}.assistant.");
            var rejected = Text(line, assistant, "rejected", $"{at}.assistant.");
            var chosenText = Text(line, turn, "chosen", at + ".");
            var chosen = chosenText.ToLowerInvariant() switch
            {
                "preferred" => Branch.Preferred,
                "rejected" => Branch.Rejected,
                _ when chosenText == preferred => Branch.Preferred,
                _ when chosenText == rejected => Branch.Rejected,
                _ => throw new AloeImportException(line, $"'{at}.chosen' must be \"preferred\", \"rejected\" or the text of one of the two answers."),
            };
            turns.Add(new DialogueTurn
            {
                Index = i + 1,
                UserMessage = Text(line, turn, "user", at + "."),
                Preferred = preferred,
                Rejected = rejected,
                Chosen = chosen,
                InferredProfile = Inferred(line, turn, "inferred_profile", at),
                InferredPersonality = Inferred(line, turn, "inferred_personality", at),
            });
        }
        return new Parsed(profile, personality, turns);
    }

    static string Text(int line, JsonObject obj, string name, string prefix = "")
    {
        if (obj[name] is JsonValue value && value.TryGetValue<string>(out var text))
            return text;
        throw new AloeImportException(line, $"'{prefix}{name}' must be a string.");
    }

    // "None" is how the format says "nothing revealed"; anything else is kept exactly, so a round trip is lossless.
    static string? Inferred(int line, JsonObject obj, string name, string at)
    {
        if (obj[name] is null)
            return null;
        var text = Text(line, obj, name, at + ".");
        return text == None ? null : text;
    }

    /// <summary>Imports a conversations.jsonl file as a new run of completed dialogues, in one transaction.</summary>
    public async Task<ImportResult> ImportAsync(string path, CancellationToken cancellationToken = default)
    {
        List<Parsed> parsed;
        using (var reader = new StreamReader(path))
            parsed = Parse(reader);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var run = new DialogueRun
        {
            Title = $"Imported {Path.GetFileName(path)}",
            PersonaPool = $"file {Path.GetFileName(path)}",
            MaxTurns = parsed.Max(p => p.Turns.Count),
            CreatedAt = now,
        };
        db.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        var dialogues = parsed.Select((p, i) => new Dialogue
        {
            RunId = run.Id,
            PersonaKey = $"{Path.GetFileName(path)}:{i + 1}",
            Profile = p.Profile,
            Personality = p.Personality,
            Status = DialogueStatus.Completed,
            Turns = p.Turns.Count,
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();
        db.AddRange(dialogues);
        await db.SaveChangesAsync(cancellationToken);
        // Turns are saved depth by depth: each child needs its parent's id.
        var depth = parsed.Max(p => p.Turns.Count);
        for (var index = 0; index < depth; index++)
        {
            for (var d = 0; d < parsed.Count; d++)
            {
                var turns = parsed[d].Turns;
                if (index >= turns.Count)
                    continue;
                var turn = turns[index];
                turn.DialogueId = dialogues[d].Id;
                turn.CreatedAt = now;
                if (index > 0)
                {
                    turn.ParentId = turns[index - 1].Id;
                    turn.ParentBranch = turns[index - 1].Chosen;
                }
                db.Add(turn);
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        audit.Add(db, AuditActions.Import, AuditTargets.DialogueRun, run.Id, $"{dialogues.Count} ALOE conversations from {Path.GetFileName(path)}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ImportResult(run, dialogues.Count, parsed.Sum(p => p.Turns.Count));
    }
}
