using Aloe.Core.Dialogues;
using Aloe.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.FileProviders;
using Xunit.Abstractions;

namespace Aloe.Core.Tests.Dialogues;

public sealed class PoolFilePersonaSourceTests(ITestOutputHelper output)
{
    sealed class Environment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";
        public string ApplicationName { get; set; } = "tests";
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    static PoolFilePersonaSource Source(string folder) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Dialogues:PersonaFolder"] = folder }).Build(), new Environment("/"));

    [Fact]
    public async Task PairsProfilesWithPersonalitiesInASeededOrderReadingRecordsRunTogether()
    {
        var folder = Path.Combine(Path.GetTempPath(), "aloe-tests", "pool-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "profile.jsonl"), "\"P one\"\n\"P two\"\"P three\"\n");
            File.WriteAllText(Path.Combine(folder, "personality.jsonl"), "\"Q one\"\n\"Q two\"");
            var all = await Source(folder).SelectAsync(new PersonaSelection("train", null, 3), CancellationToken.None);
            Assert.Equal(6, all.Count);
            Assert.Equal(6, all.Select(p => p.Key).Distinct().Count());
            Assert.Contains(all, p => p.Persona.Profile == "P three" && p.Persona.Personality == "Q two");
            var again = await Source(folder).SelectAsync(new PersonaSelection("train", 4, 3), CancellationToken.None);
            Assert.Equal(all.Take(4).Select(p => p.Key), again.Select(p => p.Key));
            await Assert.ThrowsAsync<FileNotFoundException>(() => Source(folder).SelectAsync(new PersonaSelection("eval"), CancellationToken.None));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ReadsTheAuthorsPublishedPools_Shared()
    {
        if (TestHost.SharedFolder() is not { } shared)
        {
            output.WriteLine("Skipped: ../shared is absent.");
            return;
        }
        var source = Source(Path.Combine(shared, "data", "aloe"));
        Assert.Equal(331 * 71, (await source.SelectAsync(new PersonaSelection("train"), CancellationToken.None)).Count);
        Assert.Equal(20 * 7, (await source.SelectAsync(new PersonaSelection("eval"), CancellationToken.None)).Count);
    }
}
