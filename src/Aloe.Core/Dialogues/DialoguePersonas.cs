using Aloe.Core.Conversations;
using Aloe.Core.Personas;

namespace Aloe.Core.Dialogues;

/// <summary>A persona a dialogue is built for, with its identity in the pool.</summary>
public sealed record DialoguePersona(string Key, PersonaText Persona);

/// <summary>
/// Which personas to build dialogues for: the first <see cref="Count"/> of a seeded shuffle of a
/// split; with <see cref="Pairing"/>, only personas paired by that scheme (and more are paired by
/// it when the training split has too few).
/// </summary>
public sealed record PersonaSelection(string Split = "train", int? Count = null, int Seed = 0, PairingScheme? Pairing = null);

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
/// Personas from the persona pools (<see cref="PersonaService"/>), in a seeded order. Where the
/// training split has fewer paired personas than asked for, more are paired first (seeded), as
/// the paper pairs profiles and personalities at random.
/// </summary>
internal sealed class PoolPersonaSource(PersonaService personas) : IDialoguePersonaSource
{
    public string Describe(PersonaSelection selection) =>
        $"persona pool ({selection.Split}{(selection.Count is { } n ? $", {n} personas" : "")}, seed {selection.Seed}, pairing {PairingSchemes.Describe(selection.Pairing)})";


    public async Task<IReadOnlyList<DialoguePersona>> SelectAsync(PersonaSelection selection, CancellationToken cancellationToken)
    {
        var split = selection.Split switch
        {
            "train" => PoolSplit.Train,
            "eval" => PoolSplit.Eval,
            _ => throw new ArgumentException($"Unknown split '{selection.Split}' (use train or eval)."),
        };
        var available = await personas.GetPersonasAsync(split, selection.Pairing, cancellationToken: cancellationToken);
        if (split == PoolSplit.Train && selection.Count is { } wanted && available.Count < wanted)
        {
            if (selection.Pairing == PairingScheme.PerProfile)
                await personas.PairPerProfileAsync(PersonaService.AuthorsUsesPerProfile, selection.Seed, split, cancellationToken);
            else
                await personas.PairAsync(wanted - available.Count, selection.Seed, split, cancellationToken);
            available = await personas.GetPersonasAsync(split, selection.Pairing, cancellationToken: cancellationToken);
        }
        if (available.Count == 0)
            throw new InvalidOperationException($"There are no {selection.Split} personas yet: import or generate pools and pair them on the Personas page (aloe personas pair).");
        var shuffled = available.ToArray();
        new Random(selection.Seed).Shuffle(shuffled);
        return shuffled.Take(selection.Count ?? shuffled.Length)
            .Select(p => new DialoguePersona(PersonaService.Key(p.Id), p.Text))
            .ToList();
    }
}
