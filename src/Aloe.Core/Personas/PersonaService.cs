using Aloe.Core.Audit;
using Aloe.Core.Conversations;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Personas;

/// <summary>A persona as other features use it (dialogues, benchmark).</summary>
public sealed record PersonaRecord(long Id, long ProfileId, long PersonalityId, PoolSplit Split, string ProfileText, string PersonalityText, PairingScheme Pairing = PairingScheme.Grid)
{
    public PersonaText Text => new(ProfileText, PersonalityText);
}

public sealed record PersonaPage(IReadOnlyList<PersonaRecord> Items, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

public sealed record PairingResult(int Created, int Available, int Total, PairingScheme Scheme = PairingScheme.Grid);

/// <summary>The benchmark's evaluation personas (profile-major) and how many of the pool items behind them are the project's seeds.</summary>
public sealed record EvaluationGrid(IReadOnlyList<PersonaRecord> Personas, int SeedItems, int SimulatedItems = 0)
{
    /// <summary>The profiles and personalities the grid is made of (20 + 5).</summary>
    public const int Items = PersonaService.BenchmarkProfiles + PersonaService.BenchmarkPersonalities;

    /// <summary>What the pages and the CLI say about the set: its size, and where seeds stand in for the ALOE pools.</summary>
    public string Describe() => $"{Personas.Count} evaluation personas" + (SeedItems > 0
        ? $" ({SeedItems} of the {Items} pool items are the project's seeds; import the ALOE evaluation pools for the paper's set)"
        : "") + (SimulatedItems > 0 ? $"; {SimulatedItems} of the pool items were written by the Simulated provider" : "");
}

/// <summary>
/// Personas: profiles paired with personalities. The public entry point for other features:
/// <see cref="GetPersonasAsync"/>, <see cref="GetAsync"/> and <see cref="BuildAloeBenchmarkSetAsync"/>.
/// </summary>
public sealed class PersonaService(IDbContextFactory<AloeDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    /// <summary>The paper's benchmark: its 20 evaluation profiles x its first 5 evaluation personalities = 100 cases.</summary>
    public const int BenchmarkProfiles = 20, BenchmarkPersonalities = 5;

    /// <summary>The most personas one pairing makes.</summary>
    public const int MaxPairs = 1_000_000;

    /// <summary>How often the authors' code uses each profile (data_generation.py: <c>for i in range(10)</c>).</summary>
    public const int AuthorsUsesPerProfile = 10;

    /// <summary>The most uses per profile one per-profile pairing asks for.</summary>
    public const int MaxUsesPerProfile = 1_000;

    /// <summary>How a dialogue names the persona of the pools it was built for ("persona:12").</summary>
    public static string Key(long personaId) => "persona:" + personaId;

    /// <summary>Personas of a split in id order (the first <paramref name="count"/>, or all).</summary>
    public Task<IReadOnlyList<PersonaRecord>> GetPersonasAsync(PoolSplit split, int? count = null, CancellationToken cancellationToken = default) =>
        GetPersonasAsync(split, null, count, cancellationToken);

    /// <summary>Personas of a split in id order, only those paired by <paramref name="scheme"/> when given.</summary>
    public async Task<IReadOnlyList<PersonaRecord>> GetPersonasAsync(PoolSplit split, PairingScheme? scheme, int? count = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = Records(db).Where(p => p.Split == split);
        if (scheme is { } only) query = query.Where(p => p.Pairing == only);
        query = query.OrderBy(p => p.Id);
        var rows = await (count is { } n ? query.Take(n) : query).ToListAsync(cancellationToken);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<PersonaRecord?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await Records(db).SingleOrDefaultAsync(p => p.Id == id, cancellationToken))?.ToRecord();
    }

    /// <summary>Whether the persona's profile or personality was written by the Simulated provider.</summary>
    public async Task<bool> IsSimulatedAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await SimulatedItems.PersonaIds(db).ContainsAsync(id, cancellationToken);
    }

    public async Task<PersonaPage> ListAsync(PoolSplit? split, string? search, int page = 1, int pageSize = 25, CancellationToken cancellationToken = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 200);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = Records(db);
        if (split is not null) query = query.Where(p => p.Split == split);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = "%" + search.Trim() + "%";
            query = query.Where(p => EF.Functions.Like(p.ProfileText, pattern) || EF.Functions.Like(p.PersonalityText, pattern));
        }
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(p => p.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new PersonaPage(items.Select(r => r.ToRecord()).ToList(), total, page, pageSize);
    }

    // Member-init rows, because EF can filter and order on them (not on a record's constructor arguments).
    sealed class Row
    {
        public long Id { get; init; }
        public long ProfileId { get; init; }
        public long PersonalityId { get; init; }
        public PoolSplit Split { get; init; }
        public string ProfileText { get; init; } = "";
        public string PersonalityText { get; init; } = "";
        public PairingScheme Pairing { get; init; }
        public PersonaRecord ToRecord() => new(Id, ProfileId, PersonalityId, Split, ProfileText, PersonalityText, Pairing);
    }

    static IQueryable<Row> Records(AloeDbContext db) =>
        from p in db.Set<Persona>()
        join profile in db.Set<PoolItem>() on p.ProfileId equals profile.Id
        join personality in db.Set<PoolItem>() on p.PersonalityId equals personality.Id
        select new Row { Id = p.Id, ProfileId = p.ProfileId, PersonalityId = p.PersonalityId, Split = p.Split, ProfileText = profile.Text, PersonalityText = personality.Text, Pairing = p.Pairing };

    /// <summary>
    /// Random mix and pair of a split's profiles and personalities (paper: 330 x 71 -> 3,310):
    /// <paramref name="count"/> new pairs drawn without replacement from the pairs not yet made,
    /// so the same seed over the same pools gives the same personas and no pair repeats.
    /// </summary>
    public async Task<PairingResult> PairAsync(int count, int seed, PoolSplit split = PoolSplit.Train, CancellationToken cancellationToken = default)
    {
        if (count < 1) throw new ArgumentException("Pair at least one persona.");
        Aloe.Core.Hosting.InputLimits.Range(count, "number of personas to pair", 1, MaxPairs);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var profiles = await ItemIdsAsync(db, PoolKind.Profile, split, cancellationToken);
        var personalities = await ItemIdsAsync(db, PoolKind.Personality, split, cancellationToken);
        var existing = (await db.Set<Persona>().Select(p => new { p.ProfileId, p.PersonalityId }).ToListAsync(cancellationToken))
            .Select(p => (p.ProfileId, p.PersonalityId)).ToHashSet();
        var open = profiles.SelectMany(a => personalities.Select(b => (a, b))).Where(pair => !existing.Contains(pair)).ToArray();
        if (count > open.Length)
            throw new ArgumentException($"Only {open.Length} new pairs are possible ({profiles.Count} profiles x {personalities.Count} personalities, {existing.Count} already paired); asked for {count}.");
        new Random(seed).Shuffle(open);
        var now = time.GetUtcNow();
        foreach (var (profile, personality) in open.Take(count))
            db.Add(new Persona { ProfileId = profile, PersonalityId = personality, Split = split, PairingSeed = seed, Pairing = PairingScheme.Grid, CreatedAt = now });
        audit.Add(db, AuditActions.Create, "personas", null, $"{count} {split.ToString().ToLowerInvariant()} persona(s), grid pairing, seed {seed}");
        await db.SaveChangesAsync(cancellationToken);
        return new PairingResult(count, open.Length - count, existing.Count + count);
    }

    /// <summary>
    /// The authors' pairing (<see cref="PairingScheme.PerProfile"/>): every profile of the split is
    /// used <paramref name="usesPerProfile"/> times, each time with a personality drawn at random
    /// (seeded). The authors draw with replacement, so a profile can meet the same personality twice;
    /// a persona here is one profile x personality pair, so a profile's personalities are drawn
    /// without replacement (it gets at most as many as there are personalities). Tops up: personas a
    /// profile already has in this scheme count, so running it again adds nothing.
    /// </summary>
    public async Task<PairingResult> PairPerProfileAsync(int usesPerProfile, int seed, PoolSplit split = PoolSplit.Train, CancellationToken cancellationToken = default)
    {
        Aloe.Core.Hosting.InputLimits.Range(usesPerProfile, "uses per profile", 1, MaxUsesPerProfile);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var profiles = await ItemIdsAsync(db, PoolKind.Profile, split, cancellationToken);
        var personalities = await ItemIdsAsync(db, PoolKind.Personality, split, cancellationToken);
        if (profiles.Count == 0 || personalities.Count == 0)
            throw new ArgumentException($"Per-profile pairing needs profiles and personalities in the {split.ToString().ToLowerInvariant()} split; it has {profiles.Count} and {personalities.Count}.");
        var existing = await db.Set<Persona>().Select(p => new { p.ProfileId, p.PersonalityId, p.Pairing }).ToListAsync(cancellationToken);
        var taken = existing.Select(p => (p.ProfileId, p.PersonalityId)).ToHashSet();
        var uses = existing.Where(p => p.Pairing == PairingScheme.PerProfile).GroupBy(p => p.ProfileId).ToDictionary(g => g.Key, g => g.Count());
        var random = new Random(seed);
        var now = time.GetUtcNow();
        var created = 0;
        // Pass by pass over the profiles, as the authors' loop runs (for i in range(10): for profile in profiles).
        for (var pass = 0; pass < usesPerProfile; pass++)
            foreach (var profile in profiles)
            {
                if (uses.GetValueOrDefault(profile) > pass) continue;
                var free = personalities.Where(b => !taken.Contains((profile, b))).ToArray();
                if (free.Length == 0) continue;
                var personality = free[random.Next(free.Length)];
                taken.Add((profile, personality));
                uses[profile] = uses.GetValueOrDefault(profile) + 1;
                db.Add(new Persona { ProfileId = profile, PersonalityId = personality, Split = split, PairingSeed = seed, Pairing = PairingScheme.PerProfile, CreatedAt = now });
                created++;
            }
        audit.Add(db, AuditActions.Create, "personas", null, $"{created} {split.ToString().ToLowerInvariant()} persona(s), per-profile pairing x{usesPerProfile}, seed {seed}");
        await db.SaveChangesAsync(cancellationToken);
        var available = profiles.Sum(a => personalities.Count(b => !taken.Contains((a, b))));
        return new PairingResult(created, available, existing.Count + created, PairingScheme.PerProfile);
    }

    /// <summary>
    /// How many personas <see cref="PairAsync"/> (<paramref name="scheme"/> grid) or
    /// <see cref="PairPerProfileAsync"/> (per profile, <paramref name="usesPerProfile"/> uses) could
    /// still make in the split, and the split's profile and personality texts; writes nothing (forecasts).
    /// </summary>
    public async Task<(int Pairable, IReadOnlyList<string> Profiles, IReadOnlyList<string> Personalities)> PairingOutlookAsync(
        PoolSplit split, PairingScheme scheme, int usesPerProfile = AuthorsUsesPerProfile, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var items = await db.Set<PoolItem>().AsNoTracking().Where(i => i.Split == split).Select(i => new { i.Id, i.Kind, i.Text }).ToListAsync(cancellationToken);
        var profiles = items.Where(i => i.Kind == PoolKind.Profile).ToList();
        var personalities = items.Where(i => i.Kind == PoolKind.Personality).ToList();
        var ids = items.Select(i => i.Id).ToList();
        var existing = await db.Set<Persona>().Where(p => ids.Contains(p.ProfileId)).Select(p => new { p.ProfileId, p.PersonalityId, p.Pairing }).ToListAsync(cancellationToken);
        var inSplit = ids.ToHashSet();
        var taken = existing.Where(p => inSplit.Contains(p.PersonalityId)).GroupBy(p => p.ProfileId).ToDictionary(g => g.Key, g => g.Count());
        var uses = existing.Where(p => p.Pairing == PairingScheme.PerProfile).GroupBy(p => p.ProfileId).ToDictionary(g => g.Key, g => g.Count());
        var pairable = profiles.Sum(a =>
        {
            var free = personalities.Count - taken.GetValueOrDefault(a.Id);
            return scheme == PairingScheme.PerProfile ? Math.Min(free, Math.Max(0, usesPerProfile - uses.GetValueOrDefault(a.Id))) : free;
        });
        return (pairable, profiles.Select(i => i.Text).ToList(), personalities.Select(i => i.Text).ToList());
    }

    static Task<List<long>> ItemIdsAsync(AloeDbContext db, PoolKind kind, PoolSplit split, CancellationToken cancellationToken) =>
        db.Set<PoolItem>().Where(i => i.Kind == kind && i.Split == split).OrderBy(i => i.Id).Select(i => i.Id).ToListAsync(cancellationToken);

    /// <summary>
    /// The ALOE benchmark set: the first 20 evaluation profiles x the first 5 evaluation
    /// personalities, 100 evaluation personas in profile-major order. Imported and generated
    /// items come before the project's seeds (in id order = file order), so importing the ALOE
    /// evaluation pools gives the paper's set. Creates the missing pairs; re-running creates nothing new.
    /// </summary>
    public Task<EvaluationGrid> BuildAloeBenchmarkSetAsync(CancellationToken cancellationToken = default) =>
        AloeBenchmarkSetAsync(create: true, cancellationToken);

    /// <summary>
    /// The set <see cref="BuildAloeBenchmarkSetAsync"/> gives, without writing: pairs not made yet
    /// have id 0 (pages and forecasts).
    /// </summary>
    public Task<EvaluationGrid> PreviewAloeBenchmarkSetAsync(CancellationToken cancellationToken = default) =>
        AloeBenchmarkSetAsync(create: false, cancellationToken);

    async Task<EvaluationGrid> AloeBenchmarkSetAsync(bool create, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var profiles = await FirstEvalItemsAsync(db, PoolKind.Profile, BenchmarkProfiles, cancellationToken);
        var personalities = await FirstEvalItemsAsync(db, PoolKind.Personality, BenchmarkPersonalities, cancellationToken);
        if (profiles.Count < BenchmarkProfiles || personalities.Count < BenchmarkPersonalities)
            throw new InvalidOperationException($"The ALOE benchmark needs {BenchmarkProfiles} evaluation profiles and {BenchmarkPersonalities} evaluation personalities; the pools hold {profiles.Count} and {personalities.Count}. Import profile_eval.jsonl and personality_eval.jsonl with --eval.");
        var profileIds = profiles.Select(i => i.Id).ToList();
        var personalityIds = personalities.Select(i => i.Id).ToList();
        var existing = await db.Set<Persona>().Where(p => profileIds.Contains(p.ProfileId) && personalityIds.Contains(p.PersonalityId))
            .ToDictionaryAsync(p => (p.ProfileId, p.PersonalityId), cancellationToken);
        if (create)
        {
            var now = time.GetUtcNow();
            foreach (var profile in profileIds)
                foreach (var personality in personalityIds)
                    if (!existing.ContainsKey((profile, personality)))
                        db.Add(existing[(profile, personality)] = new Persona { ProfileId = profile, PersonalityId = personality, Split = PoolSplit.Eval, Pairing = PairingScheme.BenchmarkSet, CreatedAt = now });
            await db.SaveChangesAsync(cancellationToken);
        }
        var personas = profiles.SelectMany(a => personalities.Select(b => existing.GetValueOrDefault((a.Id, b.Id)) is { } p
            ? new PersonaRecord(p.Id, a.Id, b.Id, p.Split, a.Text, b.Text, p.Pairing)
            : new PersonaRecord(0, a.Id, b.Id, PoolSplit.Eval, a.Text, b.Text, PairingScheme.BenchmarkSet))).ToList();
        var itemIds = profileIds.Concat(personalityIds).ToList();
        var simulated = await SimulatedItems.ItemIds(db).CountAsync(id => itemIds.Contains(id), cancellationToken);
        return new EvaluationGrid(personas, profiles.Concat(personalities).Count(i => i.Source == ItemSource.Seed), simulated);
    }

    static Task<List<PoolItem>> FirstEvalItemsAsync(AloeDbContext db, PoolKind kind, int count, CancellationToken cancellationToken) =>
        db.Set<PoolItem>().AsNoTracking().Where(i => i.Kind == kind && i.Split == PoolSplit.Eval)
            .OrderBy(i => i.Source == ItemSource.Seed).ThenBy(i => i.Id).Take(count).ToListAsync(cancellationToken);

    public async Task<string> ExportJsonlAsync(PoolSplit split, CancellationToken cancellationToken = default)
    {
        var personas = await GetPersonasAsync(split, cancellationToken: cancellationToken);
        await audit.RecordAsync(AuditActions.Export, "personas", null, $"{personas.Count} persona(s) as JSONL", cancellationToken);
        return string.Concat(personas.Select(p => System.Text.Json.JsonSerializer.Serialize(new { id = p.Id, profile = p.ProfileText, personality = p.PersonalityText }) + "\n"));
    }

    public async Task<string> ExportCsvAsync(PoolSplit split, CancellationToken cancellationToken = default)
    {
        var personas = await GetPersonasAsync(split, cancellationToken: cancellationToken);
        await audit.RecordAsync(AuditActions.Export, "personas", null, $"{personas.Count} persona(s) as CSV", cancellationToken);
        return "id,split,profile_id,personality_id,profile,personality\n" + string.Concat(personas.Select(p =>
            $"{p.Id},{p.Split.ToString().ToLowerInvariant()},{p.ProfileId},{p.PersonalityId},{Csv.Field(p.ProfileText)},{Csv.Field(p.PersonalityText)}\n"));
    }
}
