using Aloe.Core.Data;
using Aloe.Core.Personas;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Dialogues;

/// <summary>The columns a dialogue list can be sorted by.</summary>
public enum DialogueSort { Id, Persona, Status, Turns, Run, Updated }

public sealed record DialogueFilter(long? RunId = null, string? Persona = null, DialogueStatus? Status = null, string? Search = null, int Page = 1, int PageSize = 25,
    DialogueSort Sort = DialogueSort.Id, bool Descending = true);

/// <summary>The dialogues before and after one in its run (by id), for previous/next navigation.</summary>
public sealed record DialogueNeighbours(long? Previous, long? Next);

/// <summary>Mean share of the persona revealed at turn k over a run's turns (our measure, see <see cref="Disclosure"/>).</summary>
public sealed record DisclosurePoint(int Turn, double Profile, double Personality, int N);

public sealed record DialogueRow(long Id, long RunId, string PersonaKey, string Profile, string Personality, DialogueStatus Status, int Turns, int MaxTurns, string? Error, DateTimeOffset? UpdatedAt);

public sealed record DialogueListPage(IReadOnlyList<DialogueRow> Rows, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

public sealed record RunFailure(long DialogueId, string PersonaKey, string Error);

/// <summary>A run's progress, verifier swaps, failures and its model calls by role (from the gateway's call log: role-play, retries and expansions included).</summary>
public sealed record DialogueRunSummary(
    DialogueRun Run, JobRun? Job, IReadOnlyDictionary<DialogueStatus, int> ByStatus, int TurnsDone, int TurnsPlanned,
    int Swapped, int Verified, IReadOnlyList<LlmRoleStats> Calls, IReadOnlyList<RunFailure> Failures)
{
    public int Dialogues => ByStatus.Values.Sum();
    public double Percent => TurnsPlanned == 0 ? 0 : 100.0 * TurnsDone / TurnsPlanned;
    public long InputTokens => Calls.Sum(c => c.InputTokens);
    public long OutputTokens => Calls.Sum(c => c.OutputTokens);
    public double Cost => Calls.Sum(c => c.Cost);
}

/// <summary>Read side of the dialogues feature: lists, trees and run summaries for the pages, API and CLI.</summary>
internal sealed class DialogueQueries(IDbContextFactory<AloeDbContext> dbFactory, LlmStatsService calls)
{
    public async Task<DialogueListPage> ListAsync(DialogueFilter filter, CancellationToken cancellationToken = default)
    {
        var page = Math.Max(1, filter.Page);
        var size = Math.Clamp(filter.PageSize, 1, 200);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<Dialogue>().AsNoTracking();
        if (filter.RunId is { } runId) query = query.Where(d => d.RunId == runId);
        if (filter.Status is { } status) query = query.Where(d => d.Status == status);
        if (!string.IsNullOrWhiteSpace(filter.Persona))
        {
            var persona = $"%{filter.Persona.Trim()}%";
            query = query.Where(d => EF.Functions.Like(d.PersonaKey, persona) || EF.Functions.Like(d.Profile, persona) || EF.Functions.Like(d.Personality, persona));
        }
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var text = $"%{filter.Search.Trim()}%";
            query = query.Where(d => EF.Functions.Like(d.Profile, text) || EF.Functions.Like(d.Personality, text)
                || db.Set<DialogueTurn>().Any(t => t.DialogueId == d.Id
                    && (EF.Functions.Like(t.UserMessage, text) || EF.Functions.Like(t.Preferred, text) || EF.Functions.Like(t.Rejected, text))));
        }
        var total = await query.CountAsync(cancellationToken);
        var rows = await Sorted(query, filter.Sort, filter.Descending).Skip((page - 1) * size).Take(size)
            .Join(db.Set<DialogueRun>(), d => d.RunId, r => r.Id, (d, r) => new DialogueRow(d.Id, d.RunId, d.PersonaKey, d.Profile, d.Personality, d.Status, d.Turns, r.MaxTurns, d.Error, d.UpdatedAt))
            .ToListAsync(cancellationToken);
        return new DialogueListPage(rows, total, page, size);
    }

    /// <summary>Orders by the column, then by id, so that pages never overlap.</summary>
    static IQueryable<Dialogue> Sorted(IQueryable<Dialogue> query, DialogueSort sort, bool descending)
    {
        var ordered = sort switch
        {
            DialogueSort.Persona => descending ? query.OrderByDescending(d => d.PersonaKey) : query.OrderBy(d => d.PersonaKey),
            DialogueSort.Status => descending ? query.OrderByDescending(d => d.Status) : query.OrderBy(d => d.Status),
            DialogueSort.Turns => descending ? query.OrderByDescending(d => d.Turns) : query.OrderBy(d => d.Turns),
            DialogueSort.Run => descending ? query.OrderByDescending(d => d.RunId) : query.OrderBy(d => d.RunId),
            DialogueSort.Updated => descending ? query.OrderByDescending(d => d.UpdatedAt) : query.OrderBy(d => d.UpdatedAt),
            _ => null,
        };
        return ordered is null
            ? descending ? query.OrderByDescending(d => d.Id) : query.OrderBy(d => d.Id)
            : descending ? ordered.ThenByDescending(d => d.Id) : ordered.ThenBy(d => d.Id);
    }

    public async Task<DialogueNeighbours> NeighboursAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runId = await db.Set<Dialogue>().Where(d => d.Id == id).Select(d => (long?)d.RunId).SingleOrDefaultAsync(cancellationToken);
        if (runId is null)
            return new DialogueNeighbours(null, null);
        var inRun = db.Set<Dialogue>().Where(d => d.RunId == runId);
        var previous = await inRun.Where(d => d.Id < id).OrderByDescending(d => d.Id).Select(d => (long?)d.Id).FirstOrDefaultAsync(cancellationToken);
        var next = await inRun.Where(d => d.Id > id).OrderBy(d => d.Id).Select(d => (long?)d.Id).FirstOrDefaultAsync(cancellationToken);
        return new DialogueNeighbours(previous, next);
    }

    // The curve reads every main-path turn of the run (30,000 for 3,000 dialogues: about 200 ms), so it is
    // kept per run until the run's dialogues change: a main-path turn saved raises its dialogue's Turns
    // and UpdatedAt, a deletion lowers the count. Expanded branches (off the main path) do not move the curve.
    readonly StampedCache<long, (int Dialogues, long Turns, long? Updated), IReadOnlyList<DisclosurePoint>> disclosureCache = new();

    /// <summary>The mean disclosure at each turn over the run's main-path turns (expanded branches left out).</summary>
    public async Task<IReadOnlyList<DisclosurePoint>> DisclosureByTurnAsync(long runId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await disclosureCache.GetAsync(runId, await RunStampAsync(db, runId, cancellationToken), () => ComputeDisclosureAsync(runId, CancellationToken.None));
    }

    /// <summary>What changes when a run's main-path turns change (see <see cref="disclosureCache"/>).</summary>
    static async Task<(int Dialogues, long Turns, long? Updated)> RunStampAsync(AloeDbContext db, long runId, CancellationToken cancellationToken)
    {
        var stamp = await db.Set<Dialogue>().Where(d => d.RunId == runId).GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), Turns = g.Sum(d => (long)d.Turns), Updated = g.Max(d => d.UpdatedAt) })
            .SingleOrDefaultAsync(cancellationToken);
        return (stamp?.Count ?? 0, stamp?.Turns ?? 0, stamp?.Updated?.ToUnixTimeMilliseconds());
    }

    // The verifier's swaps are counted over every turn of the run (30,000 for 3,000 dialogues), branches
    // included, and a turn saved on an expanded branch does not touch its dialogue: so the stamp adds the
    // largest turn id of all (one index lookup; any new turn anywhere recounts, as before this cache).
    readonly StampedCache<long, ((int Dialogues, long Turns, long? Updated) Run, long LastTurn), (int Swapped, int Verified)> verifierCache = new();

    async Task<IReadOnlyList<DisclosurePoint>> ComputeDisclosureAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dialogues = await db.Set<Dialogue>().AsNoTracking().Where(d => d.RunId == runId).ToListAsync(cancellationToken);
        var ids = dialogues.Select(d => d.Id).ToList();
        // Only what the tree and the measure need: the messages and answers (most of a turn's bytes) stay in the database.
        var turns = (await db.Set<DialogueTurn>().AsNoTracking().Where(t => ids.Contains(t.DialogueId))
            .Select(t => new DialogueTurn
            {
                Id = t.Id, DialogueId = t.DialogueId, ParentId = t.ParentId, ParentBranch = t.ParentBranch, Index = t.Index, Chosen = t.Chosen,
                InferredProfile = t.InferredProfile, InferredPersonality = t.InferredPersonality,
                UserMessage = "", Preferred = "", Rejected = "",
            })
            .ToListAsync(cancellationToken)).ToLookup(t => t.DialogueId);
        return dialogues
            .SelectMany(d =>
            {
                var (profile, personality) = (Disclosure.Measure(d.Profile), Disclosure.Measure(d.Personality));
                return new DialogueTree(d, turns[d.Id]).MainPath().Select(t => (t.Index, Profile: profile(t.InferredProfile), Personality: personality(t.InferredPersonality)));
            })
            .GroupBy(x => x.Index).OrderBy(g => g.Key)
            .Select(g => new DisclosurePoint(g.Key, g.Average(x => x.Profile), g.Average(x => x.Personality), g.Count()))
            .ToList();
    }

    /// <summary>How many dialogues (of a run, or the one <paramref name="dialogueId"/>) were built on a persona the Simulated provider wrote.</summary>
    public async Task<int> OnSimulatedPersonasAsync(long? runId = null, long? dialogueId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keys = SimulatedItems.PersonaKeys(db);
        var dialogues = db.Set<Dialogue>().Where(d => keys.Contains(d.PersonaKey));
        if (runId is { } r) dialogues = dialogues.Where(d => d.RunId == r);
        if (dialogueId is { } id) dialogues = dialogues.Where(d => d.Id == id);
        return await dialogues.CountAsync(cancellationToken);
    }

    public async Task<(DialogueTree Tree, DialogueRun Run)?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dialogue = await db.Set<Dialogue>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dialogue is null)
            return null;
        var run = await db.Set<DialogueRun>().AsNoTracking().SingleAsync(r => r.Id == dialogue.RunId, cancellationToken);
        var turns = await db.Set<DialogueTurn>().AsNoTracking().Where(t => t.DialogueId == id).ToListAsync(cancellationToken);
        return (new DialogueTree(dialogue, turns), run);
    }

    public async Task<IReadOnlyList<DialogueRun>> RunsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<DialogueRun>().AsNoTracking().OrderByDescending(r => r.Id).ToListAsync(cancellationToken);
    }

    public async Task<DialogueRunSummary?> RunAsync(long id, int failures = 50, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Set<DialogueRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null)
            return null;
        var job = run.JobRunId is { } jobId ? await db.Set<JobRun>().AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken) : null;
        var dialogues = db.Set<Dialogue>().Where(d => d.RunId == id);
        var byStatus = await dialogues.GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count(), Turns = g.Sum(d => d.Turns) }).ToListAsync(cancellationToken);
        var lastTurn = await db.Set<DialogueTurn>().MaxAsync(t => (long?)t.Id, cancellationToken) ?? 0;
        var totals = await verifierCache.GetAsync(id, (await RunStampAsync(db, id, cancellationToken), lastTurn), async () =>
        {
            await using var read = await dbFactory.CreateDbContextAsync();
            var turns = read.Set<DialogueTurn>().Where(t => read.Set<Dialogue>().Any(d => d.RunId == id && d.Id == t.DialogueId));
            var counts = await turns.GroupBy(_ => 1).Select(g => new { Swapped = g.Count(t => t.Swapped), Verified = g.Count(t => t.Verified) }).SingleOrDefaultAsync();
            return (counts?.Swapped ?? 0, counts?.Verified ?? 0);
        });
        // Every call of the run's build job and of its branch expansions is logged under the build job's id.
        var byRole = run.JobRunId is { } jobRunId ? await calls.ByRoleAsync(jobRunId, cancellationToken) : [];
        var failed = await dialogues.Where(d => d.Status == DialogueStatus.Failed).OrderBy(d => d.Id).Take(failures)
            .Select(d => new RunFailure(d.Id, d.PersonaKey, d.Error ?? "")).ToListAsync(cancellationToken);
        var count = byStatus.Sum(s => s.Count);
        return new DialogueRunSummary(run, job, byStatus.ToDictionary(s => s.Key, s => s.Count), byStatus.Sum(s => s.Turns), count * run.MaxTurns,
            totals.Swapped, totals.Verified, byRole, failed);
    }
}
