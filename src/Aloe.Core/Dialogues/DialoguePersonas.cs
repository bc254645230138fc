using Aloe.Core.Conversations;
using Aloe.Core.Llm;
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

/// <summary>What a selection would give, found without writing: how many personas and their mean size in tokens (profile + personality).</summary>
public sealed record PersonaEstimate(int Count, long PersonaTokens)
{
    public static long Tokens(PersonaText persona) => LlmCostForecaster.Tokens(persona.Profile) + LlmCostForecaster.Tokens(persona.Personality);

    public static PersonaEstimate Of(IReadOnlyCollection<PersonaText> personas) => new(personas.Count, personas.Count == 0 ? 0 : (long)personas.Average(Tokens));
}

/// <summary>
/// Where dialogue construction gets its personas. Kept narrow on purpose: the persona-pool
/// feature's service provides personas in the product; this port is all dialogues need.
/// </summary>
public interface IDialoguePersonaSource
{
    /// <summary>A short description of the pool and selection, recorded on the run.</summary>
    string Describe(PersonaSelection selection);

    /// <summary>The personas to build for; may pair more first (a write).</summary>
    Task<IReadOnlyList<DialoguePersona>> SelectAsync(PersonaSelection selection, CancellationToken cancellationToken);

    /// <summary>What <see cref="SelectAsync"/> would give, read-only (the forecast): pairs nothing.</summary>
    Task<PersonaEstimate> EstimateAsync(PersonaSelection selection, CancellationToken cancellationToken);
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
        var split = Split(selection);
        var available = await personas.GetPersonasAsync(split, selection.Pairing, cancellationToken: cancellationToken);
        if (Missing(split, selection, available.Count) > 0)
        {
            if (selection.Pairing == PairingScheme.PerProfile)
                await personas.PairPerProfileAsync(PersonaService.AuthorsUsesPerProfile, selection.Seed, split, cancellationToken);
            else
                await personas.PairAsync(selection.Count!.Value - available.Count, selection.Seed, split, cancellationToken);
            available = await personas.GetPersonasAsync(split, selection.Pairing, cancellationToken: cancellationToken);
        }
        return Pick(available, selection).Select(p => new DialoguePersona(PersonaService.Key(p.Id), p.Text)).ToList();
    }

    /// <summary>
    /// The personas there are, plus the ones <see cref="SelectAsync"/> would pair (as many as are
    /// missing, at most the pairs still possible), sized by the split's pool items on average.
    /// </summary>
    public async Task<PersonaEstimate> EstimateAsync(PersonaSelection selection, CancellationToken cancellationToken)
    {
        var split = Split(selection);
        var available = await personas.GetPersonasAsync(split, selection.Pairing, cancellationToken: cancellationToken);
        var missing = Missing(split, selection, available.Count);
        if (missing == 0)
            return PersonaEstimate.Of(Pick(available, selection).Select(p => p.Text).ToList());
        var scheme = selection.Pairing == PairingScheme.PerProfile ? PairingScheme.PerProfile : PairingScheme.Grid;
        var (pairable, profiles, personalities) = await personas.PairingOutlookAsync(split, scheme, cancellationToken: cancellationToken);
        var added = Math.Min(missing, pairable);
        if (available.Count + added == 0)
            throw NoPersonas(selection);
        var tokens = available.Sum(p => PersonaEstimate.Tokens(p.Text))
            + (added == 0 ? 0 : added * (profiles.Average(LlmCostForecaster.Tokens) + personalities.Average(LlmCostForecaster.Tokens)));
        return new PersonaEstimate(available.Count + added, (long)(tokens / (available.Count + added)));
    }

    static PoolSplit Split(PersonaSelection selection) => selection.Split switch
    {
        "train" => PoolSplit.Train,
        "eval" => PoolSplit.Eval,
        _ => throw new ArgumentException($"Unknown split '{selection.Split}' (use train or eval)."),
    };

    /// <summary>How many personas the selection lacks that pairing would add (only the training split is paired on demand).</summary>
    static int Missing(PoolSplit split, PersonaSelection selection, int available) =>
        split == PoolSplit.Train && selection.Count is { } wanted ? Math.Max(0, wanted - available) : 0;

    /// <summary>The first <see cref="PersonaSelection.Count"/> of the personas in a seeded shuffle.</summary>
    static IEnumerable<PersonaRecord> Pick(IReadOnlyList<PersonaRecord> available, PersonaSelection selection)
    {
        if (available.Count == 0)
            throw NoPersonas(selection);
        var shuffled = available.ToArray();
        new Random(selection.Seed).Shuffle(shuffled);
        return shuffled.Take(selection.Count ?? shuffled.Length);
    }

    static InvalidOperationException NoPersonas(PersonaSelection selection) =>
        new($"There are no {selection.Split} personas yet: import or generate pools and pair them on the Personas page (aloe personas pair).");
}
