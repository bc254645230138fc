using System.CommandLine;
using Aloe.Cli;
using Aloe.Core.Dialogues;

namespace Aloe.Core.Tests.Dialogues;

// The commands print to the process-wide Console: run beside the tests that capture it, not during them.
[Collection(ConsoleCollection.Name)]
public sealed class DialoguesCliTests : IAsyncLifetime
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "aloe-tests", "cli-" + Guid.NewGuid().ToString("N"));
    Aloe.Testing.TestHost host = null!;

    public async Task InitializeAsync()
    {
        host = await DialogueTestSupport.StartAsync();
        Directory.CreateDirectory(folder);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    Task<int> RunAsync(params string[] args) => new RootCommand { DialoguesCommands.Create(host.Services) }.Parse(["dialogues", .. args]).InvokeAsync();

    [Fact]
    public async Task BuildThenExportWritesTheFileAndItsManifest()
    {
        host.Llm.ScriptTurns();
        Assert.Equal(0, await RunAsync("build", "--personas", "2", "--turns", "3", "--seed", "4", "--json"));
        var output = Path.Combine(folder, "sft.jsonl");
        Assert.Equal(0, await RunAsync("export", "--format", "trl-sft", "--out", output));
        Assert.Equal(6, File.ReadAllLines(output).Length);
        Assert.True(File.Exists(DialogueExports.ManifestPath(output)));
    }

    [Fact]
    public async Task ImportThenExportInTheAloeFormatGivesTheSameFile()
    {
        var input = Path.Combine(folder, "conversations.jsonl");
        File.WriteAllText(input, """
            {"profile":"A teacher.","personality":"Calm.","conversations":[{"user":"Hello","assistant":{"preferred":"Hi, teacher!","rejected":"Hello."},"chosen":"rejected","inferred_profile":"None","inferred_personality":"None"},{"user":"Grading again","assistant":{"preferred":"Ugh, essays?","rejected":"Good luck."},"chosen":"preferred","inferred_profile":"grades work","inferred_personality":"None"}]}

            """.Replace("\r\n", "\n").TrimStart());
        Assert.Equal(0, await RunAsync("import", input));
        var output = Path.Combine(folder, "again.jsonl");
        Assert.Equal(0, await RunAsync("export", "--format", "aloe", "--out", output));
        Assert.Equal(File.ReadAllText(input).Trim(), File.ReadAllText(output).Trim());
    }

    [Fact]
    public async Task ABadImportFailsAndAnUnknownFormatIsRefused()
    {
        var input = Path.Combine(folder, "bad.jsonl");
        File.WriteAllText(input, "{\"profile\":1}\n");
        Assert.Equal(2, await RunAsync("import", input));
        Assert.NotEqual(0, await RunAsync("export", "--format", "csv", "--out", Path.Combine(folder, "x.csv")));
    }
}
