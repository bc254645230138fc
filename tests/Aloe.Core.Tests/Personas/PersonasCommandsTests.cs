using System.CommandLine;
using Aloe.Cli;
using Aloe.Core.Personas;
using Aloe.Testing;

namespace Aloe.Core.Tests.Personas;

[Collection(ConsoleCollection.Name)]
public sealed class PersonasCommandsTests
{
    static async Task<(int Code, string Out, string Err)> Run(IServiceProvider services, params string[] args)
    {
        var root = new RootCommand { PersonasCommands.Create(services) };
        return await ConsoleCapture.RunAsync(root, args);
    }

    [Fact]
    public async Task ImportReportsTheBadLineAndStatsCountWhatWasImported()
    {
        await using var host = await TestHost.StartAsync(b => b.AddPersonas());
        var bad = Path.GetTempFileName();
        var good = Path.GetTempFileName();
        await File.WriteAllTextAsync(bad, "\"fine profile text here\"\n[1, 2]\n");
        await File.WriteAllTextAsync(good, AloeJsonl.Write(["first profile about a baker", "second profile about a pilot who flies"]));

        var failed = await Run(host.Services, "personas", "import", "--kind", "profile", bad);
        Assert.Equal(1, failed.Code);
        Assert.Contains("Line 2", failed.Err);

        var imported = await Run(host.Services, "personas", "import", "--kind", "profile", "--eval", good);
        Assert.Equal(0, imported.Code);
        var stats = await Run(host.Services, "personas", "stats", "--json");
        Assert.Contains("\"eval\": 2", stats.Out);
        var export = await Run(host.Services, "personas", "export", "--kind", "profile", "--eval");
        Assert.Equal(AloeJsonl.Write(["first profile about a baker", "second profile about a pilot who flies"]), export.Out);
    }

    [Fact]
    public async Task AnUnknownKindIsAParseError()
    {
        await using var host = await TestHost.StartAsync(b => b.AddPersonas());
        var result = await Run(host.Services, "personas", "import", "--kind", "robot", "x.jsonl");
        Assert.NotEqual(0, result.Code);
        Assert.Contains("profile or personality", result.Err);
    }
}
