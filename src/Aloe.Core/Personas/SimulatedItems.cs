using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Personas;

/// <summary>
/// Pool items written by the Simulated provider (a generation run whose Generator role was
/// simulated), and what is built from them. Rule-based stand-ins are labelled wherever they show
/// (audit, issue 14, item 6); these queries are the one definition of "made from simulated items".
/// </summary>
public static class SimulatedItems
{
    /// <summary>The ids of pool items made by a simulated generation run.</summary>
    public static IQueryable<long> ItemIds(DbContext db) =>
        from item in db.Set<PoolItem>()
        join run in db.Set<GenerationRun>() on item.GenerationRunId equals run.Id
        where run.Simulated
        select item.Id;

    /// <summary>The ids of personas whose profile or personality is a simulated item.</summary>
    public static IQueryable<long> PersonaIds(DbContext db)
    {
        var items = ItemIds(db);
        return db.Set<Persona>().Where(p => items.Contains(p.ProfileId) || items.Contains(p.PersonalityId)).Select(p => p.Id);
    }

    /// <summary>
    /// The persona keys (as dialogues record them) of those personas: <see cref="PersonaService.Key"/>,
    /// spelled out so that it translates to SQL.
    /// </summary>
    public static IQueryable<string> PersonaKeys(DbContext db) => PersonaIds(db).Select(id => "persona:" + id.ToString());
}
