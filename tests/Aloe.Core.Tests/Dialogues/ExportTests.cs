using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aloe.Core.Dialogues;
using Aloe.Testing;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Tests.Dialogues;

public sealed class ExportTests : IAsyncLifetime
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "aloe-tests", "exports-" + Guid.NewGuid().ToString("N"));
    TestHost host = null!;
    DialogueTree nurse = null!;

    public async Task InitializeAsync()
    {
        host = await DialogueTestSupport.StartAsync();
        host.Llm.ScriptTurns();
        await host.BuildAsync(turns: 4);
        nurse = await host.TreeAsync("nurse");
        Directory.CreateDirectory(folder);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    async Task<List<JsonObject>> ExportAsync(string format, ExportScope? scope = null)
    {
        var path = Path.Combine(folder, format + ".jsonl");
        await host.Get<DialogueExports>().ExportAsync(ExportFormats.Parse(format), path, scope ?? new ExportScope());
        return File.ReadAllLines(path).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
    }

    static List<(string Role, string Content)> Messages(JsonNode? array) =>
        array!.AsArray().Select(m => (m!["role"]!.GetValue<string>(), m["content"]!.GetValue<string>())).ToList();

    /// <summary>The conversation up to m_i as it must be: each earlier message with the answer that continued, then m_i.</summary>
    List<(string, string)> ExpectedPrompt(int turn)
    {
        var path = nurse.MainPath();
        var expected = new List<(string, string)>();
        for (var i = 0; i < turn; i++)
        {
            expected.Add(("user", path[i].UserMessage));
            expected.Add(("assistant", path[i].Answer(path[i].Chosen)));
        }
        expected.Add(("user", path[turn].UserMessage));
        return expected;
    }

    [Fact]
    public async Task TrlSftIsAPromptOfTheConversationUpToThatTurnsMessageAndThePreferredAnswerAsCompletion()
    {
        var lines = await ExportAsync("trl-sft");
        Assert.Equal(8, lines.Count);
        var mine = lines.Where(l => Messages(l["prompt"])[0].Content.StartsWith("nurse")).ToList();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(["prompt", "completion"], mine[i].Select(p => p.Key));
            Assert.Equal(ExpectedPrompt(i), Messages(mine[i]["prompt"]));
            Assert.Equal([("assistant", nurse.MainPath()[i].Preferred)], Messages(mine[i]["completion"]));
            // The authors' script put the first user message at every turn; ours is m_i.
            Assert.Equal($"nurse message {i + 1}", Messages(mine[i]["prompt"])[^1].Content);
        }
    }

    /// <summary>
    /// What a trainer fits in an SFT line: TRL's prompt-completion trains on the completion only;
    /// OpenAI trains on every assistant message whose weight is not 0.
    /// </summary>
    static List<string> TrainedTargets(ExportFormat format, JsonObject line) => format switch
    {
        ExportFormat.TrlSft => Messages(line["completion"]).Select(m => m.Content).ToList(),
        ExportFormat.OpenAiSft => line["messages"]!.AsArray()
            .Where(m => m!["role"]!.GetValue<string>() == "assistant" && m["weight"]?.GetValue<int>() != 0)
            .Select(m => m!["content"]!.GetValue<string>()).ToList(),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    static IEnumerable<ExportFormat> SftFormats => Enum.GetValues<ExportFormat>().Where(f => f.Name().EndsWith("-sft"));

    [Fact]
    public void NoRejectedTextIsEverATrainedTargetInAnySftExport()
    {
        // Turn 1's coin chose the rejected answer, so it is in the history of turns 2 and 3.
        var dialogue = new Dialogue { Id = 1, PersonaKey = "k", Profile = "p", Personality = "q", Status = DialogueStatus.Completed };
        DialogueTurn[] turns =
        [
            new() { Id = 1, Index = 1, UserMessage = "m1", Preferred = "p1", Rejected = "r1", Chosen = Branch.Rejected },
            new() { Id = 2, Index = 2, ParentId = 1, ParentBranch = Branch.Rejected, UserMessage = "m2", Preferred = "p2", Rejected = "r2", Chosen = Branch.Preferred },
            new() { Id = 3, Index = 3, ParentId = 2, ParentBranch = Branch.Preferred, UserMessage = "m3", Preferred = "p3", Rejected = "r3", Chosen = Branch.Rejected },
        ];
        var tree = new DialogueTree(dialogue, turns);
        Assert.Equal(2, SftFormats.Count());
        foreach (var format in SftFormats)
        {
            var lines = DialogueExports.Lines(format, [tree], includeBranches: false).ToList();
            Assert.Equal(3, lines.Count);
            Assert.Contains("r1", lines[2].ToJsonString());   // the rejected answer is there as history...
            var targets = lines.Select(l => TrainedTargets(format, l)).ToList();
            Assert.Equal([["p1"], ["p2"], ["p3"]], targets);  // ...but only p_i is ever trained
        }
    }

    [Fact]
    public async Task NoRejectedTextIsATrainedTargetInTheSftExportsOfABuiltRun()
    {
        await using var db = host.Db();
        var rejected = (await db.Set<DialogueTurn>().Select(t => t.Rejected).ToListAsync()).ToHashSet();
        foreach (var format in SftFormats)
            Assert.All(await ExportAsync(format.Name()), line => Assert.DoesNotContain(TrainedTargets(format, line), rejected.Contains));
    }

    [Fact]
    public async Task OpenAiSftWeighsEveryEarlierAnswerZeroAndThePreferredAnswerOne()
    {
        var lines = await ExportAsync("openai-sft");
        Assert.All(lines, l =>
        {
            var assistants = l["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "assistant").ToList();
            Assert.All(assistants[..^1], m => Assert.Equal(0, m!["weight"]!.GetValue<int>()));
            Assert.Equal(1, assistants[^1]!["weight"]!.GetValue<int>());
            Assert.DoesNotContain(l["messages"]!.AsArray(), m => m!["role"]!.GetValue<string>() == "user" && m["weight"] is not null);
        });
    }

    [Fact]
    public void LinesOfASimulatedDialogueSayTheyAreSimulatedInEveryFormatAndRealOnesKeepTheirSchema()
    {
        var tree = new DialogueTree(new Dialogue { Id = 1, RunId = 5, PersonaKey = "k", Profile = "p", Personality = "q", Status = DialogueStatus.Completed },
            [new DialogueTurn { Id = 1, Index = 1, UserMessage = "m", Preferred = "p", Rejected = "r", Chosen = Branch.Preferred }]);
        foreach (var format in Enum.GetValues<ExportFormat>())
        {
            Assert.True(DialogueExports.Lines(format, [tree], false, new HashSet<long> { 1 }).Single()["simulated"]!.GetValue<bool>());
            Assert.Null(DialogueExports.Lines(format, [tree], false, new HashSet<long> { 2 }).Single()["simulated"]);
        }
    }

    [Fact]
    public async Task TrlDpoHasPromptChosenAndWholeRejectedAnswersPerTurn()
    {
        var lines = await ExportAsync("trl-dpo");
        var mine = lines.Where(l => Messages(l["prompt"])[0].Content.StartsWith("nurse")).ToList();
        Assert.Equal(4, mine.Count);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(["prompt", "chosen", "rejected"], mine[i].Select(p => p.Key));
            Assert.Equal(ExpectedPrompt(i), Messages(mine[i]["prompt"]));
            Assert.Equal([("assistant", nurse.MainPath()[i].Preferred)], Messages(mine[i]["chosen"]));
            var rejected = Assert.Single(Messages(mine[i]["rejected"]));
            Assert.Equal(("assistant", nurse.MainPath()[i].Rejected), rejected);
            Assert.True(rejected.Content.Length > 20);
        }
    }

    [Fact]
    public async Task OpenAiSftIsChatMessagesEndingWithTheAssistant()
    {
        var lines = await ExportAsync("openai-sft");
        Assert.Equal(8, lines.Count);
        Assert.All(lines, l =>
        {
            Assert.Equal(["messages"], l.Select(p => p.Key));
            var messages = Messages(l["messages"]);
            Assert.All(messages.Select((m, i) => (m, i)), x => Assert.Equal(x.i % 2 == 0 ? "user" : "assistant", x.m.Role));
            Assert.Equal("assistant", messages[^1].Role);
        });
    }

    [Fact]
    public async Task OpenAiPreferenceHasInputAndBothOutputs()
    {
        var lines = await ExportAsync("openai-dpo");
        var mine = lines.Where(l => Messages(l["input"]!["messages"])[0].Content.StartsWith("nurse")).ToList();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(["input", "preferred_output", "non_preferred_output"], mine[i].Select(p => p.Key));
            Assert.Equal(ExpectedPrompt(i), Messages(mine[i]["input"]!["messages"]));
            Assert.Equal([("assistant", nurse.MainPath()[i].Preferred)], Messages(mine[i]["preferred_output"]));
            Assert.Equal([("assistant", nurse.MainPath()[i].Rejected)], Messages(mine[i]["non_preferred_output"]));
        }
    }

    [Fact]
    public async Task ExpandedBranchesAreExportedOnlyWhenAskedWithTheirOwnHistory()
    {
        var second = nurse.MainPath()[1];
        var job = await host.Get<DialogueConstruction>().StartExpandAsync(second.Id);
        await host.Get<Aloe.Core.Jobs.JobRunner>().ExecuteAsync(job.Id, CancellationToken.None);

        Assert.Equal(8, (await ExportAsync("trl-dpo")).Count);
        var all = await ExportAsync("trl-dpo", new ExportScope(IncludeBranches: true));
        Assert.Equal(10, all.Count);
        var notTaken = second.Answer(DialogueConstruction.Other(second.Chosen));
        Assert.Equal(2, all.Count(l => Messages(l["prompt"]).Contains(("assistant", notTaken))));
    }

    [Fact]
    public async Task AloeFormatHoldsEachPersonaWithItsTurns()
    {
        var lines = await ExportAsync("aloe");
        Assert.Equal(2, lines.Count);
        var line = lines.Single(l => l["profile"]!.GetValue<string>() == DialogueTestSupport.Nurse.Persona.Profile);
        Assert.Equal(["profile", "personality", "conversations"], line.Select(p => p.Key));
        var conversations = line["conversations"]!.AsArray();
        Assert.Equal(4, conversations.Count);
        var first = conversations[0]!.AsObject();
        Assert.Equal(["user", "assistant", "chosen", "inferred_profile", "inferred_personality"], first.Select(p => p.Key));
        Assert.Equal("nurse message 1", first["user"]!.GetValue<string>());
        Assert.Equal(nurse.MainPath()[0].Rejected, first["assistant"]!["rejected"]!.GetValue<string>());
        Assert.Equal("ER nurse", first["inferred_profile"]!.GetValue<string>());
        Assert.Equal("None", first["inferred_personality"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheManifestRecordsProvenanceHashesCountsAndThePapersRecipe()
    {
        var path = Path.Combine(folder, "dpo.jsonl");
        var result = await host.Get<DialogueExports>().ExportAsync(ExportFormat.TrlDpo, path, new ExportScope());
        Assert.Equal(Path.Combine(folder, "dpo.manifest.json"), result.ManifestPath);
        var manifest = JsonNode.Parse(File.ReadAllText(result.ManifestPath))!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), manifest["files"]![0]!["sha256"]!.GetValue<string>());
        Assert.Equal(8, manifest["counts"]!["examples"]!.GetValue<int>());
        Assert.Equal(2, manifest["counts"]!["dialogues"]!.GetValue<int>());
        var run = manifest["runs"]![0]!;
        Assert.Equal(7, run["seed"]!.GetValue<int>());
        Assert.Equal("fixed test personas", run["persona_pool"]!.GetValue<string>());
        Assert.NotNull(run["roles"]!["Preferred"]!["model"]); // the stored field names, as before the one provenance record
        Assert.NotNull(run["prompt_hashes"]!["verifier"]);
        Assert.Equal(Aloe.Core.Jobs.RunProvenance.CurrentAppVersion, run["app_version"]!.GetValue<string>());
        var recipe = manifest["suggested_recipe"]!;
        Assert.Equal(1e-5, recipe["sft"]!["learning_rate"]!.GetValue<double>());
        Assert.Equal(48, recipe["sft"]!["total_batch_size"]!.GetValue<int>());
        Assert.Equal(3, recipe["sft"]!["num_train_epochs"]!.GetValue<int>());
        Assert.Equal(0.9, recipe["dpo"]!["beta"]!.GetValue<double>());
        Assert.Equal(1, recipe["dpo"]!["num_train_epochs"]!.GetValue<int>());
    }

    [Fact]
    public async Task TheStreamedExportAndItsManifestMatchTheFilesTheCliWrites()
    {
        var exports = host.Get<DialogueExports>();
        var path = Path.Combine(folder, "cli.jsonl");
        var scope = new ExportScope();
        var result = await exports.ExportAsync(ExportFormat.TrlDpo, path, scope);
        var stream = new MemoryStream();
        await exports.StreamAsync(ExportFormat.TrlDpo, scope, stream);
        Assert.Equal(File.ReadAllBytes(path), stream.ToArray());

        var manifest = JsonNode.Parse(await exports.ManifestAsync(ExportFormat.TrlDpo, scope, "cli.jsonl"))!;
        Assert.Equal(result.Sha256, manifest["files"]![0]!["sha256"]!.GetValue<string>());
        Assert.Equal(new FileInfo(path).Length, manifest["files"]![0]!["bytes"]!.GetValue<long>());
        Assert.Equal(8, manifest["counts"]!["examples"]!.GetValue<int>());
    }

    [Fact]
    public async Task AloeExportImportExportIsByteForByteTheSame()
    {
        var first = Path.Combine(folder, "first.jsonl");
        await host.Get<DialogueExports>().ExportAsync(ExportFormat.Aloe, first, new ExportScope());
        var imported = await host.Get<AloeConversations>().ImportAsync(first);
        Assert.Equal(2, imported.Dialogues);
        Assert.Equal(8, imported.Turns);

        var second = Path.Combine(folder, "second.jsonl");
        await host.Get<DialogueExports>().ExportAsync(ExportFormat.Aloe, second, new ExportScope(imported.Run.Id));
        Assert.Equal(File.ReadAllText(first), File.ReadAllText(second));
    }

    [Fact]
    public async Task ImportingTheAuthorsFormatKeepsEveryFieldAndAcceptsTheChosenAnswersText()
    {
        var path = Path.Combine(folder, "authors.jsonl");
        var line = new JsonObject
        {
            ["profile"] = "A retired teacher who gardens.",
            ["personality"] = "Patient.",
            ["conversations"] = new JsonArray(
                new JsonObject { ["user"] = "Hi! Tomatoes again this year.", ["assistant"] = new JsonObject { ["preferred"] = "Lovely, which kind?", ["rejected"] = "Tomatoes are fruits." }, ["chosen"] = "Tomatoes are fruits.", ["inferred_profile"] = "gardens", ["inferred_personality"] = "None" },
                new JsonObject { ["user"] = "Cherry ones, like every year.", ["assistant"] = new JsonObject { ["preferred"] = "A classic!", ["rejected"] = "Cherry tomatoes are small." }, ["chosen"] = "preferred", ["inferred_profile"] = "gardens; grows cherry tomatoes", ["inferred_personality"] = "None" }),
        };
        File.WriteAllText(path, line.ToJsonString() + "\n");
        var imported = await host.Get<AloeConversations>().ImportAsync(path);

        await using var db = host.Db();
        var dialogue = await db.Set<Dialogue>().SingleAsync(d => d.RunId == imported.Run.Id);
        var tree = new DialogueTree(dialogue, await db.Set<DialogueTurn>().Where(t => t.DialogueId == dialogue.Id).ToListAsync());
        var path2 = tree.MainPath();
        Assert.Equal(2, path2.Count);
        Assert.Equal(Branch.Rejected, path2[0].Chosen);
        Assert.Equal(Branch.Rejected, path2[1].ParentBranch);
        Assert.Null(path2[0].InferredPersonality);
        Assert.Equal(["Hi! Tomatoes again this year.", "Tomatoes are fruits."], tree.HistoryBefore(path2[1]).SelectMany(e => new[] { e.User, e.Assistant }));
    }

    [Theory]
    [InlineData("{\"profile\":\"x\",\"personality\":\"y\",\"conversations\":[]}", "Line 2: 'conversations' must be a non-empty array.")]
    [InlineData("{\"profile\":\"x\",\"personality\":\"y\",\"conversations\":[{\"user\":\"u\",\"assistant\":{\"preferred\":\"p\"},\"chosen\":\"preferred\"}]}", "Line 2: 'conversations[0].assistant.rejected' must be a string.")]
    [InlineData("{\"profile\":\"x\"", "Line 2: not valid JSON")]
    [InlineData("{\"profile\":\"x\",\"personality\":\"y\",\"conversations\":[{\"user\":\"u\",\"assistant\":{\"preferred\":\"p\",\"rejected\":\"r\"},\"chosen\":\"maybe\"}]}", "Line 2: 'conversations[0].chosen' must be")]
    public async Task ABadLineRejectsTheWholeFileNamingTheLine(string badLine, string message)
    {
        var good = "{\"profile\":\"a\",\"personality\":\"b\",\"conversations\":[{\"user\":\"u\",\"assistant\":{\"preferred\":\"p\",\"rejected\":\"r\"},\"chosen\":\"preferred\",\"inferred_profile\":\"None\",\"inferred_personality\":\"None\"}]}";
        var path = Path.Combine(folder, "bad.jsonl");
        File.WriteAllLines(path, [good, badLine]);
        await using var db = host.Db();
        var before = await db.Set<Dialogue>().CountAsync();

        var error = await Assert.ThrowsAsync<AloeImportException>(() => host.Get<AloeConversations>().ImportAsync(path));
        Assert.StartsWith(message, error.Message);
        Assert.Equal(before, await db.Set<Dialogue>().CountAsync());
    }

    [Fact]
    public void EveryFormatHasANameTheCliAccepts() =>
        Assert.All(Enum.GetValues<ExportFormat>(), f => Assert.Equal(f, ExportFormats.Parse(f.Name())));

    [Fact]
    public async Task JsonLinesAreCompactAndKeepNonAsciiReadable()
    {
        var stream = new MemoryStream();
        var tree = new DialogueTree(new Dialogue { PersonaKey = "k", Profile = "Zoë, café owner", Personality = "calm", Status = DialogueStatus.Completed },
            [new DialogueTurn { Id = 1, Index = 1, UserMessage = "Ça va?", Preferred = "Oui!", Rejected = "Bien.", Chosen = Branch.Preferred }]);
        await DialogueExports.WriteAsync(ExportFormat.Aloe, [tree], false, stream);
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("Zoë, café owner", text);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.NotNull(JsonDocument.Parse(text));
    }
}
