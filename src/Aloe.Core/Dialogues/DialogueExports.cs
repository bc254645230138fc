using Aloe.Core.Audit;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Aloe.Core.Personas;
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
public sealed class DialogueExports(IDbContextFactory<AloeDbContext> dbFactory, AuditLog audit, TimeProvider time)
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

    /// <summary>Writes the export and its manifest to files (the CLI).</summary>
    public async Task<ExportResult> ExportAsync(ExportFormat format, string path, ExportScope scope, CancellationToken cancellationToken = default)
    {
        var (runs, trees, simulated) = await LoadAsync(scope, cancellationToken);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        int examples;
        await using (var file = File.Create(path))
            examples = await WriteAsync(format, trees, scope.IncludeBranches, file, simulated.Dialogues, cancellationToken);
        var sha = await HashAsync(path, cancellationToken);
        var counts = Counts(trees, scope, examples);
        var manifestPath = ManifestPath(path);
        await File.WriteAllTextAsync(manifestPath, Manifest(format, scope, runs, simulated, counts, System.IO.Path.GetFileName(path), sha, new FileInfo(path).Length), cancellationToken);
        await audit.RecordAsync(AuditActions.Export, "dialogues", null, $"{format} to {System.IO.Path.GetFileName(path)}, {runs.Count} run(s)", cancellationToken);
        return new ExportResult(path, manifestPath, counts, sha);
    }

    /// <summary>Writes the export straight to <paramref name="output"/> (a download): no file on disk.</summary>
    public async Task StreamAsync(ExportFormat format, ExportScope scope, Stream output, CancellationToken cancellationToken = default)
    {
        var (_, trees, simulated) = await LoadAsync(scope, cancellationToken);
        await WriteAsync(format, trees, scope.IncludeBranches, output, simulated.Dialogues, cancellationToken);
    }

    /// <summary>
    /// The manifest of the export <see cref="StreamAsync"/> writes, named <paramref name="fileName"/>:
    /// its hash and size are computed by writing the lines through a hash, not to disk.
    /// </summary>
    public async Task<string> ManifestAsync(ExportFormat format, ExportScope scope, string fileName, CancellationToken cancellationToken = default)
    {
        var (runs, trees, simulated) = await LoadAsync(scope, cancellationToken);
        await using var hashing = new HashingStream();
        var examples = await WriteAsync(format, trees, scope.IncludeBranches, hashing, simulated.Dialogues, cancellationToken);
        return Manifest(format, scope, runs, simulated, Counts(trees, scope, examples), fileName, hashing.Sha256(), hashing.Length);
    }

    /// <summary>"dialogues-trl-dpo-run3.jsonl": the name a download of this export gets.</summary>
    public static string FileName(ExportFormat format, ExportScope scope) =>
        $"dialogues-{format.Name()}{(scope.RunId is { } r ? $"-run{r}" : "")}.jsonl";

    static ExportCounts Counts(List<DialogueTree> trees, ExportScope scope, int examples) =>
        new(trees.Count, trees.Sum(t => scope.IncludeBranches ? t.Turns.Count : t.MainPath().Count), examples);

    string Manifest(ExportFormat format, ExportScope scope, List<DialogueRun> runs, Simulation simulated, ExportCounts counts, string fileName, string sha, long bytes)
    {
        var manifest = new
        {
            format = format.Name(),
            created_at = time.GetUtcNow(),
            scope = new { run = scope.RunId, include_branches = scope.IncludeBranches, status = "completed dialogues only" },
            counts = new { dialogues = counts.Dialogues, turns = counts.Turns, examples = counts.Examples },
            simulated = simulated.Dialogues.Count > 0,
            // Dialogues whose persona was written by the Simulated provider (its pool items), whatever played the roles.
            dialogues_with_simulated_personas = simulated.Personas,
            files = new[] { new { name = fileName, sha256 = sha, bytes } },
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
                roles = JsonSerializer.SerializeToNode(r.Provenance.Roles, RunProvenance.Json),
                prompt_hashes = r.Provenance.PromptHashes,
                app_version = r.Provenance.AppVersion,
            }),
            suggested_recipe = Recipe,
        };
        return JsonSerializer.Serialize(manifest, Indented) + "\n";
    }

    /// <summary>"out.jsonl" -> "out.manifest.json", beside the export.</summary>
    public static string ManifestPath(string path) => System.IO.Path.ChangeExtension(path, null) + ".manifest.json";

    /// <summary>
    /// Which dialogues of an export are simulated work: those of a run whose roles the Simulated
    /// provider played, and those built on a persona it wrote (<see cref="SimulatedItems"/>).
    /// </summary>
    sealed record Simulation(IReadOnlySet<long> Dialogues, int Personas);

    /// <summary>Writes one JSON object per line; returns the number of lines.</summary>
    public static async Task<int> WriteAsync(ExportFormat format, IEnumerable<DialogueTree> trees, bool includeBranches, Stream stream,
        IReadOnlySet<long>? simulatedDialogues = null, CancellationToken cancellationToken = default)
    {
        var count = 0;
        await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        foreach (var line in Lines(format, trees, includeBranches, simulatedDialogues))
        {
            await writer.WriteLineAsync(line.ToJsonString(Jsonl).AsMemory(), cancellationToken);
            count++;
        }
        return count;
    }

    /// <summary>
    /// The lines of an export. A line of a simulated dialogue (by its run's roles or its persona's
    /// items) carries <c>"simulated": true</c>, so the file itself says it is not model output
    /// even apart from its manifest; lines of real work keep each platform's exact schema.
    /// </summary>
    public static IEnumerable<JsonObject> Lines(ExportFormat format, IEnumerable<DialogueTree> trees, bool includeBranches, IReadOnlySet<long>? simulatedDialogues = null)
    {
        foreach (var tree in trees)
        {
            var simulated = simulatedDialogues?.Contains(tree.Dialogue.Id) == true;
            foreach (var line in TreeLines(format, tree, includeBranches))
            {
                if (simulated)
                    line["simulated"] = true;
                yield return line;
            }
        }
    }

    static IEnumerable<JsonObject> TreeLines(ExportFormat format, DialogueTree tree, bool includeBranches)
    {
        if (format == ExportFormat.Aloe)
        {
            yield return AloeConversations.ToJson(tree);
            yield break;
        }
        foreach (var turn in includeBranches ? tree.Turns : tree.MainPath())
        {
            var history = tree.HistoryBefore(turn);
            var prompt = new JsonArray();
            foreach (var exchange in history)
            {
                prompt.Add(Message("user", exchange.User));
                // Equation (1) trains on p_i alone. OpenAI fine-tuning trains on every assistant message
                // unless it has weight 0, and an earlier answer may be a rejected one (s_j = r_j).
                prompt.Add(format == ExportFormat.OpenAiSft ? Weighted(Message("assistant", exchange.Assistant), 0) : Message("assistant", exchange.Assistant));
            }
            prompt.Add(Message("user", turn.UserMessage));
            yield return format switch
            {
                // TRL's conversational prompt-completion: SFTTrainer puts the loss on the completion only.
                ExportFormat.TrlSft => new JsonObject
                {
                    ["prompt"] = prompt,
                    ["completion"] = new JsonArray(Message("assistant", turn.Preferred)),
                },
                ExportFormat.OpenAiSft => new JsonObject { ["messages"] = Append(prompt, Weighted(Message("assistant", turn.Preferred), 1)) },
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

    static JsonObject Weighted(JsonObject message, int weight)
    {
        message["weight"] = weight;
        return message;
    }

    static JsonObject Message(string role, string content) => new() { ["role"] = role, ["content"] = content };

    static JsonArray Append(JsonArray array, JsonObject item)
    {
        array.Add(item);
        return array;
    }

    async Task<(List<DialogueRun> Runs, List<DialogueTree> Trees, Simulation Simulated)> LoadAsync(ExportScope scope, CancellationToken cancellationToken)
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
        var simulatedKeys = SimulatedItems.PersonaKeys(db);
        var simulatedPersonas = (await dialogues.Where(d => simulatedKeys.Contains(d.PersonaKey)).Select(d => d.Id).ToListAsync(cancellationToken)).ToHashSet();
        var simulatedRuns = runs.Where(r => r.Simulated).Select(r => r.Id).ToHashSet();
        var simulated = list.Where(d => simulatedRuns.Contains(d.RunId) || simulatedPersonas.Contains(d.Id)).Select(d => d.Id).ToHashSet();
        return (runs, list.Select(d => new DialogueTree(d, turns[d.Id])).ToList(), new Simulation(simulated, simulatedPersonas.Count));
    }

    static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    /// <summary>A write-only sink that keeps a SHA-256 and a byte count of what passes through.</summary>
    sealed class HashingStream : Stream
    {
        readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length;

        public string Sha256() => Convert.ToHexStringLower(hash.GetHashAndReset());
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => length;
        public override long Position { get => length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            length += buffer.Length;
        }
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }
        protected override void Dispose(bool disposing)
        {
            if (disposing)
                hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
