using System.Text.Json;
using Aloe.Core.Conversations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Aloe.Core.Dialogues;

/// <summary>A persona a dialogue is built for, with its identity in the pool.</summary>
public sealed record DialoguePersona(string Key, PersonaText Persona);

/// <summary>Which personas to build dialogues for: the first <see cref="Count"/> of a seeded shuffle of a split.</summary>
public sealed record PersonaSelection(string Split = "train", int? Count = null, int Seed = 0);

/// <summary>
/// Where dialogue construction gets its personas. Kept narrow on purpose: the persona-pool
/// feature's service provides personas in the product; this port is all dialogues need.
/// </summary>
public interface IDialoguePersonaSource
{
    /// <summary>A short description of the pool and selection, recorded on the run.</summary>
    string Describe(PersonaSelection selection);

    Task<IReadOnlyList<DialoguePersona>> SelectAsync(PersonaSelection selection, CancellationToken cancellationToken);
}

/// <summary>
/// Interim source until the persona-pool service is on main: the authors' pool files
/// (profile.jsonl / personality.jsonl for "train", *_eval.jsonl for "eval"; one JSON string per
/// value, several values per line allowed) in the folder configured as Dialogues:PersonaFolder.
/// Personas are profile x personality pairs in a seeded order, as the paper pairs them at random.
/// </summary>
internal sealed class PoolFilePersonaSource(IConfiguration configuration, IHostEnvironment environment) : IDialoguePersonaSource
{
    string Folder => Path.GetFullPath(Path.Combine(environment.ContentRootPath, configuration["Dialogues:PersonaFolder"] ?? "data/personas"));

    public string Describe(PersonaSelection selection) =>
        $"{Path.GetFileName(Folder)} ({selection.Split}{(selection.Count is { } n ? $", {n} personas" : "")}, seed {selection.Seed})";

    public async Task<IReadOnlyList<DialoguePersona>> SelectAsync(PersonaSelection selection, CancellationToken cancellationToken)
    {
        var suffix = selection.Split switch
        {
            "train" => "",
            "eval" => "_eval",
            _ => throw new ArgumentException($"Unknown split '{selection.Split}' (use train or eval)."),
        };
        var profiles = await ReadValuesAsync(Path.Combine(Folder, $"profile{suffix}.jsonl"), cancellationToken);
        var personalities = await ReadValuesAsync(Path.Combine(Folder, $"personality{suffix}.jsonl"), cancellationToken);
        var pairs = Enumerable.Range(0, profiles.Count).SelectMany(p => Enumerable.Range(0, personalities.Count).Select(q => (p, q))).ToArray();
        new Random(selection.Seed).Shuffle(pairs);
        return pairs.Take(selection.Count ?? pairs.Length)
            .Select(x => new DialoguePersona($"{selection.Split}:p{x.p}-q{x.q}", new PersonaText(profiles[x.p], personalities[x.q])))
            .ToList();
    }

    static async Task<List<string>> ReadValuesAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Persona pool file not found: {path}. Build a persona pool first, or set Dialogues:PersonaFolder.", path);
        await using var stream = File.OpenRead(path);
        var values = new List<string>();
        await foreach (var value in JsonSerializer.DeserializeAsyncEnumerable<string>(stream, topLevelValues: true, cancellationToken: cancellationToken))
            if (!string.IsNullOrWhiteSpace(value))
                values.Add(value.Trim());
        return values;
    }
}
