using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Dialogues;

public enum ExportFormat { TrlSft, TrlDpo, OpenAiSft, OpenAiDpo, Aloe }

public static class ExportFormats
{
    public static readonly IReadOnlyDictionary<string, ExportFormat> ByName = new Dictionary<string, ExportFormat>(StringComparer.OrdinalIgnoreCase)
    {
        ["trl-sft"] = ExportFormat.TrlSft,
        ["trl-dpo"] = ExportFormat.TrlDpo,
        ["openai-sft"] = ExportFormat.OpenAiSft,
        ["openai-dpo"] = ExportFormat.OpenAiDpo,
        ["aloe"] = ExportFormat.Aloe,
    };

    public static string Name(this ExportFormat format) => ByName.First(p => p.Value == format).Key;

    public static ExportFormat Parse(string name) => ByName.TryGetValue(name, out var format)
        ? format
        : throw new ArgumentException($"Unknown export format '{name}' (use {string.Join(", ", ByName.Keys)}).");
}

/// <summary>Which dialogues an export takes: completed ones, of one run or all, main paths or whole trees.</summary>
public sealed record ExportScope(long? RunId = null, bool IncludeBranches = false);

public sealed record ExportCounts(int Dialogues, int Turns, int Examples);

public sealed record ExportResult(string Path, string ManifestPath, ExportCounts Counts, string Sha256);

/// <summary>
/// Training files from the dialogues (paper, section 2.2). Every example of turn i carries the
/// conversation up to m_i with the history made of the answers that actually led there (the
/// chosen ones on the main path), and whole answers as targets: the authors' released scripts
/// put the first user message at every turn and one character of the rejected answer.
/// </summary>
public sealed class DialogueExports(IDbContextFactory<AloeDbContext> dbFactory, TimeProvider time)
{
    internal static readonly JsonSerializerOptions Jsonl = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    static readonly JsonSerializerOptions Indented = new(Jsonl) { WriteIndented = true };

    /// <summary>The paper's recipe (section 2.2, "Implementation"), put into every manifest.</summary>
    public static readonly object Recipe = new
    {
        source = "Wu et al., COLING 2025, section 2.2 (Implementation)",
        sft = new { learning_rate = 1e-5, lr_scheduler_type = "linear", total_batch_size = 48, num_train_epochs = 3 },
        dpo = new { learning_rate = 1e-5, lr_scheduler_type = "linear", beta = 0.9, total_batch_size = 48, num_train_epochs = 1 },
    };

    public async Task<ExportResult> ExportAsync(ExportFormat format, string path, ExportScope scope, CancellationToken cancellationToken = default)
    {
        var (runs, trees) = await LoadAsync(scope, cancellationToken);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        int examples;
        await using (var file = File.Create(path))
            examples = await WriteAsync(format, trees, scope.IncludeBranches, file, cancellationToken);
        var sha = await HashAsync(path, cancellationToken);
        var counts = new ExportCounts(trees.Count, trees.Sum(t => scope.IncludeBranches ? t.Turns.Count : t.MainPath().Count), examples);
        var manifestPath = ManifestPath(path);
        var manifest = new
        {
            format = format.Name(),
            created_at = time.GetUtcNow(),
            scope = new { run = scope.RunId, include_branches = scope.IncludeBranches, status = "completed dialogues only" },
            counts = new { dialogues = counts.Dialogues, turns = counts.Turns, examples = counts.Examples },
            files = new[] { new { name = System.IO.Path.GetFileName(path), sha256 = sha, bytes = new FileInfo(path).Length } },
            runs = runs.Select(r => new
            {
                id = r.Id,
                title = r.Title,
                job_run = r.JobRunId,
                persona_pool = r.PersonaPool,
                seed = r.Seed,
                max_turns = r.MaxTurns,
                verify = r.Verify,
                simulated = r.Simulated,
                roles = JsonNode.Parse(r.RolesJson),
                prompt_hashes = JsonNode.Parse(r.PromptHashesJson),
            }),
            suggested_recipe = Recipe,
        };
        await File.WriteAllTextAsync(manifestPath, JsonSerializer.Serialize(manifest, Indented) + "\n", cancellationToken);
        return new ExportResult(path, manifestPath, counts, sha);
    }

    /// <summary>Writes the export straight to a stream (a download), with no file or manifest; returns the number of lines.</summary>
    public async Task<int> StreamAsync(ExportFormat format, ExportScope scope, Stream stream, CancellationToken cancellationToken = default)
    {
        var (_, trees) = await LoadAsync(scope, cancellationToken);
        return await WriteAsync(format, trees, scope.IncludeBranches, stream, cancellationToken);
    }

    /// <summary>"out.jsonl" -> "out.manifest.json", beside the export.</summary>
    public static string ManifestPath(string path) => System.IO.Path.ChangeExtension(path, null) + ".manifest.json";

    /// <summary>Writes one JSON object per line; returns the number of lines.</summary>
    public static async Task<int> WriteAsync(ExportFormat format, IEnumerable<DialogueTree> trees, bool includeBranches, Stream stream, CancellationToken cancellationToken = default)
    {
        var count = 0;
        await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        foreach (var line in Lines(format, trees, includeBranches))
        {
            await writer.WriteLineAsync(line.ToJsonString(Jsonl).AsMemory(), cancellationToken);
            count++;
        }
        return count;
    }

    public static IEnumerable<JsonObject> Lines(ExportFormat format, IEnumerable<DialogueTree> trees, bool includeBranches)
    {
        foreach (var tree in trees)
        {
            if (format == ExportFormat.Aloe)
            {
                yield return AloeConversations.ToJson(tree);
                continue;
            }
            foreach (var turn in includeBranches ? tree.Turns : tree.MainPath())
            {
                var prompt = new JsonArray();
                foreach (var exchange in tree.HistoryBefore(turn))
                {
                    prompt.Add(Message("user", exchange.User));
                    prompt.Add(Message("assistant", exchange.Assistant));
                }
                prompt.Add(Message("user", turn.UserMessage));
                yield return format switch
                {
                    ExportFormat.TrlSft or ExportFormat.OpenAiSft => new JsonObject { ["messages"] = Append(prompt, Message("assistant", turn.Preferred)) },
                    ExportFormat.TrlDpo => new JsonObject
                    {
                        ["prompt"] = prompt,
                        ["chosen"] = new JsonArray(Message("assistant", turn.Preferred)),
                        ["rejected"] = new JsonArray(Message("assistant", turn.Rejected)),
                    },
                    ExportFormat.OpenAiDpo => new JsonObject
                    {
                        ["input"] = new JsonObject { ["messages"] = prompt },
                        ["preferred_output"] = new JsonArray(Message("assistant", turn.Preferred)),
                        ["non_preferred_output"] = new JsonArray(Message("assistant", turn.Rejected)),
                    },
                    _ => throw new ArgumentOutOfRangeException(nameof(format)),
                };
            }
        }
    }

    static JsonObject Message(string role, string content) => new() { ["role"] = role, ["content"] = content };

    static JsonArray Append(JsonArray array, JsonObject item)
    {
        array.Add(item);
        return array;
    }

    async Task<(List<DialogueRun> Runs, List<DialogueTree> Trees)> LoadAsync(ExportScope scope, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dialogues = db.Set<Dialogue>().AsNoTracking().Where(d => d.Status == DialogueStatus.Completed);
        if (scope.RunId is { } runId)
            dialogues = dialogues.Where(d => d.RunId == runId);
        var list = await dialogues.OrderBy(d => d.Id).ToListAsync(cancellationToken);
        var ids = list.Select(d => d.Id).ToList();
        var turns = (await db.Set<DialogueTurn>().AsNoTracking().Where(t => ids.Contains(t.DialogueId)).ToListAsync(cancellationToken))
            .ToLookup(t => t.DialogueId);
        var runIds = list.Select(d => d.RunId).Distinct().ToList();
        var runs = await db.Set<DialogueRun>().AsNoTracking().Where(r => runIds.Contains(r.Id)).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        return (runs, list.Select(d => new DialogueTree(d, turns[d.Id])).ToList());
    }

    static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }
}
