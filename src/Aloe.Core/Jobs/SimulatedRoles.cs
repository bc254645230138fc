namespace Aloe.Core.Jobs;

/// <summary>
/// Which roles of a run the Simulated provider played, so that a "(simulated)" label is put on
/// those roles only (audit, issue 14, item 6): a real model judged by the simulated judge is not
/// itself simulated.
/// </summary>
public static class SimulatedRoles
{
    /// <summary>The simulated roles' names, in role order.</summary>
    public static IReadOnlyList<string> Simulated(this RunProvenance provenance) =>
        provenance.Roles.Where(r => r.Value.Simulated).Select(r => r.Key)
            .OrderBy(r => Enum.TryParse<Llm.LlmRole>(r, out var role) ? (int)role : int.MaxValue).ToList();

    public static bool IsSimulated(this RunProvenance provenance, Llm.LlmRole role) =>
        provenance.Roles.TryGetValue(role.ToString(), out var model) && model.Simulated;

    /// <summary>" (simulated)" after a role's model name when that role was simulated, else nothing.</summary>
    public static string Mark(this RunProvenance provenance, Llm.LlmRole role) => provenance.IsSimulated(role) ? " (simulated)" : "";

    /// <summary>"Simulated: RolePlay, Judge", or null when no role was.</summary>
    public static string? Describe(this RunProvenance provenance) =>
        provenance.Simulated() is { Count: > 0 } roles ? "Simulated: " + string.Join(", ", roles) : null;
}
