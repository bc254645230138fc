using Aloe.Core.Personas;

namespace Aloe.Web.Personas;

/// <summary>One row of a pool grid: the item and its most similar other item.</summary>
public sealed record PoolRow(long Id, string Text, ItemSource Source, PoolSplit Split, long? NearestId, float? NearestSimilarity, string? NearestText, bool Simulated = false);

/// <summary>One row of the personas grid.</summary>
public sealed record PersonaRow(long Id, PoolSplit Split, long ProfileId, string ProfileText, long PersonalityId, string PersonalityText, PairingScheme Pairing = PairingScheme.Grid, bool Simulated = false);
