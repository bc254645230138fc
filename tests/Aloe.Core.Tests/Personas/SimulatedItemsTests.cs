using Microsoft.EntityFrameworkCore;
using Aloe.Core.Dialogues;
using Aloe.Core.Personas;
using Aloe.Testing;

namespace Aloe.Core.Tests.Personas;

/// <summary>Pool items the Simulated provider wrote, and what is built from them, say so (audit, issue 14, item 6).</summary>
public sealed class SimulatedItemsTests
{
    [Fact]
    public async Task ItemsOfASimulatedGenerationAndThePersonasAndDialogueLinesBuiltOnThemAreMarked()
    {
        await using var host = await TestHost.StartAsync(b => { b.AddPersonas(); b.AddDialogues(); });
        var now = DateTimeOffset.UnixEpoch;
        long simulatedItem, realItem, personality, simulatedPersona, realPersona;
        await using (var db = host.Db())
        {
            var run = new GenerationRun
            {
                Id = 9001, Kind = PoolKind.Profile, Split = PoolSplit.Train, Simulated = true, Provenance = new() { EmbedderId = "e" }, CreatedAt = now,
            };
            db.Add(run);
            var items = new[]
            {
                new PoolItem { Kind = PoolKind.Profile, Text = "a simulated profile", Source = ItemSource.Generated, GenerationRunId = run.Id, CreatedAt = now },
                new PoolItem { Kind = PoolKind.Profile, Text = "an imported profile", Source = ItemSource.Imported, CreatedAt = now },
                new PoolItem { Kind = PoolKind.Personality, Text = "an imported personality", Source = ItemSource.Imported, CreatedAt = now },
            };
            db.AddRange(items);
            await db.SaveChangesAsync();
            (simulatedItem, realItem, personality) = (items[0].Id, items[1].Id, items[2].Id);
            var personas = new[]
            {
                new Persona { ProfileId = simulatedItem, PersonalityId = personality, CreatedAt = now },
                new Persona { ProfileId = realItem, PersonalityId = personality, CreatedAt = now },
            };
            db.AddRange(personas);
            await db.SaveChangesAsync();
            (simulatedPersona, realPersona) = (personas[0].Id, personas[1].Id);
            var dialogueRun = new DialogueRun { Title = "real roles", PersonaPool = "pool", Simulated = false, CreatedAt = now };
            db.Add(dialogueRun);
            await db.SaveChangesAsync();
            foreach (var persona in new[] { simulatedPersona, realPersona })
            {
                var dialogue = new Dialogue { RunId = dialogueRun.Id, PersonaKey = PersonaService.Key(persona), Profile = "p", Personality = "q", Status = DialogueStatus.Completed, Turns = 1, CreatedAt = now };
                db.Add(dialogue);
                await db.SaveChangesAsync();
                db.Add(new DialogueTurn { DialogueId = dialogue.Id, Index = 1, UserMessage = "m", Preferred = "p", Rejected = "r", Chosen = Branch.Preferred, CreatedAt = now });
                await db.SaveChangesAsync();
            }
        }

        Assert.True(await host.Get<PoolService>().IsSimulatedAsync(simulatedItem));
        Assert.False(await host.Get<PoolService>().IsSimulatedAsync(realItem));
        Assert.True(await host.Get<PersonaService>().IsSimulatedAsync(simulatedPersona));
        Assert.False(await host.Get<PersonaService>().IsSimulatedAsync(realPersona));
        Assert.Equal(1, await host.Get<DialogueQueries>().OnSimulatedPersonasAsync());

        using var output = new MemoryStream();
        await host.Get<DialogueExports>().StreamAsync(ExportFormat.TrlDpo, new ExportScope(), output);
        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.Nodes.JsonNode.Parse(l)!).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal(1, lines.Count(l => l["simulated"]?.GetValue<bool>() == true)); // only the dialogue on the simulated persona
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(await host.Get<DialogueExports>().ManifestAsync(ExportFormat.TrlDpo, new ExportScope(), "x.jsonl"))!;
        Assert.True(manifest["simulated"]!.GetValue<bool>());
        Assert.Equal(1, manifest["dialogues_with_simulated_personas"]!.GetValue<int>());
    }

    [Fact]
    public async Task TheBenchmarkSetSaysHowManyOfItsItemsTheSimulatedProviderWrote()
    {
        await using var host = await TestHost.StartAsync(b => b.AddPersonas());
        var pools = host.Get<PoolService>();
        string[] words = ["apple", "river", "violin", "granite", "tulip", "falcon", "copper", "meadow", "lantern", "harbor", "cedar", "comet",
            "velvet", "canyon", "pepper", "glacier", "saddle", "orchid", "thunder", "marble", "walnut", "prairie", "ember", "coral", "willow"];
        await pools.ImportAsync(PoolKind.Profile, PoolSplit.Eval, AloeJsonl.Write(words[..20].Select(w => $"a {w} person of {w} town").ToArray()));
        await pools.ImportAsync(PoolKind.Personality, PoolSplit.Eval, AloeJsonl.Write(words[20..].Select(w => $"{w} tempered and {w} minded").ToArray()));
        await using (var db = host.Db())
        {
            db.Add(new GenerationRun { Id = 9002, Kind = PoolKind.Profile, Split = PoolSplit.Eval, Simulated = true, Provenance = new() { EmbedderId = "e" } });
            await db.SaveChangesAsync();
            var first = await db.Set<PoolItem>().Where(i => i.Kind == PoolKind.Profile && i.Split == PoolSplit.Eval).OrderBy(i => i.Id).FirstAsync();
            first.GenerationRunId = 9002;
            await db.SaveChangesAsync();
        }

        var grid = await host.Get<PersonaService>().BuildAloeBenchmarkSetAsync();

        Assert.Equal(1, grid.SimulatedItems);
        Assert.Contains("1 of the pool items were written by the Simulated provider", grid.Describe());
    }
}
