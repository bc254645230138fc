using Aloe.Core.Audit;
using System.Globalization;
using System.Text.Json;
using Aloe.Core.Benchmark;
using Aloe.Core.Conversations;
using Aloe.Core.Data;
using Aloe.Core.Dialogues;
using Aloe.Core.Prompts;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Annotation;

/// <summary>
/// A campaign from a benchmark run: the paper's design by default (section 5.4: 5 responses per
/// turn sampled uniformly, 50 items for K = 10, three annotators who all rate the same items).
/// </summary>
public sealed record BenchmarkCampaignRequest
{
    public required long BenchmarkRunId { get; init; }
    /// <summary>Which judging supplies the judge's ratings; default the run's own.</summary>
    public long? ScoringId { get; init; }
    public int PerTurn { get; init; } = 5;
    public int Annotators { get; init; } = 3;
    /// <summary>Overlap: how many annotators see each item; default all of them.</summary>
    public int? AnnotatorsPerItem { get; init; }
    public bool Shuffle { get; init; } = true;
    public int Seed { get; init; } = Agreement.DefaultSeed;
    /// <summary>Instructed-response items ("rate this 2") mixed into every annotator's order.</summary>
    public int AttentionChecks { get; init; }
    public string? Name { get; init; }
    public string? CreatedBy { get; init; }
}

/// <summary>A pairwise campaign from preference dialogues: which of the two answers suits the persona better, A/B order random.</summary>
public sealed record DialogueCampaignRequest
{
    public required long DialogueRunId { get; init; }
    public int Items { get; init; } = 50;
    public int Annotators { get; init; } = 3;
    public int? AnnotatorsPerItem { get; init; }
    public int Seed { get; init; } = Agreement.DefaultSeed;
    public string? Name { get; init; }
    public string? CreatedBy { get; init; }
}

/// <summary>A campaign from a CSV of items made elsewhere (header: item, profile, personality, message, response; optional response_b, judge, expected, turn, case).</summary>
public sealed record CsvCampaignRequest
{
    public required string Name { get; init; }
    public int Annotators { get; init; } = 3;
    public int? AnnotatorsPerItem { get; init; }
    public int Seed { get; init; } = Agreement.DefaultSeed;
    public string? CreatedBy { get; init; }
}

public sealed record AnnotationCampaignRow(AnnotationCampaign Campaign, int Items, int Annotators, int Ratings);

/// <summary>The item on screen, as the annotator may see it: no judge score, no model name, no one else's rating.</summary>
public sealed record AnnotationScreenItem(
    string Profile, string Personality, IReadOnlyList<Exchange> Context, string UserMessage, string Response, string? ResponseB,
    int? Rating, string? SkipReason, bool Flagged, string? Comment);

/// <summary>An annotator's page: where they are, how far they have come, and the item (null once past the last).</summary>
public sealed record AnnotationScreen(
    long CampaignId, string Campaign, AnnotationTask Task, int ScaleMin, int ScaleMax, string Guidelines,
    long AnnotatorId, string Annotator, int Position, int Total, int Done, AnnotationScreenItem? Item)
{
    public bool Finished => Position >= Total;
}

public sealed record AnnotationImportResult(int Ratings, IReadOnlyList<string> NewAnnotators);

/// <summary>Creates campaigns, enrols annotators, saves ratings one at a time, exports and imports ratings.</summary>
internal sealed class AnnotationService(IDbContextFactory<AloeDbContext> dbFactory, PromptLibrary prompts, AuditLog audit, TimeProvider time)
{
    /// <summary>The judge's column in exports; no annotator may take this name.</summary>
    public const string JudgeRater = "judge";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<AnnotationCampaign> CreateFromBenchmarkAsync(BenchmarkCampaignRequest request, CancellationToken cancellationToken = default)
    {
        if (request.PerTurn < 1)
            throw new ArgumentException("Items per turn must be at least 1.");
        if (request.AttentionChecks is < 0 or > 20)
            throw new ArgumentException("Attention checks must be between 0 and 20.");
        var (annotators, perItem) = Overlap(request.Annotators, request.AnnotatorsPerItem);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Set<BenchmarkRun>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == request.BenchmarkRunId, cancellationToken)
            ?? throw new KeyNotFoundException($"No benchmark run {request.BenchmarkRunId}.");
        var scoring = await db.Set<BenchmarkScoring>().AsNoTracking()
            .Where(s => s.RunId == run.Id && (request.ScoringId == null || s.Id == request.ScoringId))
            .OrderBy(s => s.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new KeyNotFoundException(request.ScoringId is null ? $"Benchmark run {run.Id} has no scoring yet." : $"Benchmark run {run.Id} has no scoring {request.ScoringId}.");

        var cases = await db.Set<BenchmarkCase>().AsNoTracking().Where(c => c.RunId == run.Id).ToDictionaryAsync(c => c.Id, cancellationToken);
        var turns = await db.Set<BenchmarkTurn>().AsNoTracking().Where(t => cases.Keys.Contains(t.CaseId)).ToListAsync(cancellationToken);
        var scores = await db.Set<BenchmarkScore>().AsNoTracking()
            .Where(s => s.ScoringId == scoring.Id && s.Score != null)
            .ToDictionaryAsync(s => s.TurnId, s => s.Score!.Value, cancellationToken);
        var byCase = turns.GroupBy(t => t.CaseId).ToDictionary(g => g.Key, g => g.OrderBy(t => t.Turn).ToList());

        // Uniform sample per turn among the judged responses, in a fixed order first so the seed alone decides.
        var random = new Random(request.Seed);
        var sampled = turns.Where(t => scores.ContainsKey(t.Id))
            .GroupBy(t => t.Turn).OrderBy(g => g.Key)
            .SelectMany(g => Sample(g.OrderBy(t => cases[t.CaseId].Index).ToList(), request.PerTurn, random).OrderBy(t => cases[t.CaseId].Index))
            .ToList();
        if (sampled.Count == 0)
            throw new InvalidOperationException($"Benchmark run {run.Id} has no judged responses to annotate yet.");

        var items = sampled.Select(t =>
        {
            var c = cases[t.CaseId];
            var before = byCase[t.CaseId].Where(x => x.Turn < t.Turn).Select(x => new Exchange(x.UserMessage, x.Response)).ToList();
            return new AnnotationItem
            {
                Key = $"{c.CaseKey}-t{t.Turn:D2}",
                CaseKey = c.CaseKey,
                BenchmarkCaseId = c.Id,
                Turn = t.Turn,
                Profile = c.Profile,
                Personality = c.Personality,
                ContextJson = JsonSerializer.Serialize(before, Json),
                UserMessage = t.UserMessage,
                Response = t.Response,
                JudgeRating = scores[t.Id],
            };
        }).ToList();
        items.AddRange(AttentionChecks(request.AttentionChecks, random, items));

        var campaign = new AnnotationCampaign
        {
            Name = string.IsNullOrWhiteSpace(request.Name) ? $"{run.Name}: human ratings" : request.Name.Trim(),
            Task = AnnotationTask.Rating,
            Source = $"benchmark run {run.Id} ({run.EvaluatedModel}{(run.Simulated ? ", simulated" : "")}), scoring {scoring.Id} ({scoring.JudgeModel}): {request.PerTurn} per turn",
            BenchmarkRunId = run.Id,
            ScoringId = scoring.Id,
            Annotators = annotators,
            AnnotatorsPerItem = perItem,
            Shuffle = request.Shuffle,
            Seed = request.Seed,
            Guidelines = prompts.Get(PromptNames.AnnotationRating).Template,
            CreatedBy = request.CreatedBy ?? audit.Actor,
            CreatedAt = time.GetUtcNow(),
        };
        return await SaveAsync(db, campaign, items, cancellationToken);
    }

    public async Task<AnnotationCampaign> CreateFromDialoguesAsync(DialogueCampaignRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Items < 1)
            throw new ArgumentException("Items must be at least 1.");
        var (annotators, perItem) = Overlap(request.Annotators, request.AnnotatorsPerItem);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Set<DialogueRun>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == request.DialogueRunId, cancellationToken)
            ?? throw new KeyNotFoundException($"No dialogue run {request.DialogueRunId}.");
        var dialogues = await db.Set<Dialogue>().AsNoTracking().Where(d => d.RunId == run.Id).ToDictionaryAsync(d => d.Id, cancellationToken);
        var turns = await db.Set<DialogueTurn>().AsNoTracking().Where(t => dialogues.Keys.Contains(t.DialogueId)).ToDictionaryAsync(t => t.Id, cancellationToken);
        if (turns.Count == 0)
            throw new InvalidOperationException($"Dialogue run {run.Id} has no turns yet.");

        var random = new Random(request.Seed);
        var sampled = Sample(turns.Values.OrderBy(t => t.Id).ToList(), request.Items, random).OrderBy(t => t.Id).ToList();
        var items = sampled.Select(t =>
        {
            var d = dialogues[t.DialogueId];
            // The conversation so far follows the answer each turn continued from, back to the first turn.
            var before = new List<Exchange>();
            for (var child = t; child.ParentId is { } parentId && turns.TryGetValue(parentId, out var parent); child = parent)
                before.Insert(0, new Exchange(parent.UserMessage, parent.Answer(child.ParentBranch ?? parent.Chosen)));
            var preferredFirst = random.Next(2) == 0;
            return new AnnotationItem
            {
                Key = $"{d.PersonaKey}-n{t.Id}",
                CaseKey = d.PersonaKey,
                Turn = t.Index,
                Profile = d.Profile,
                Personality = d.Personality,
                ContextJson = JsonSerializer.Serialize(before, Json),
                UserMessage = t.UserMessage,
                Response = preferredFirst ? t.Preferred : t.Rejected,
                ResponseB = preferredFirst ? t.Rejected : t.Preferred,
                JudgeRating = preferredFirst ? 1 : 2,
            };
        }).ToList();
        var campaign = new AnnotationCampaign
        {
            Name = string.IsNullOrWhiteSpace(request.Name) ? $"{run.Title}: which answer suits the persona" : request.Name.Trim(),
            Task = AnnotationTask.Pairwise,
            Source = $"dialogue run {run.Id}{(run.Simulated ? " (simulated)" : "")}: {items.Count} answer pairs",
            DialogueRunId = run.Id,
            ScaleMin = 1,
            ScaleMax = 2,
            Annotators = annotators,
            AnnotatorsPerItem = perItem,
            Seed = request.Seed,
            Guidelines = prompts.Get(PromptNames.AnnotationPairwise).Template,
            CreatedBy = request.CreatedBy ?? audit.Actor,
            CreatedAt = time.GetUtcNow(),
        };
        return await SaveAsync(db, campaign, items, cancellationToken);
    }

    public async Task<AnnotationCampaign> CreateFromCsvAsync(CsvCampaignRequest request, TextReader csv, CancellationToken cancellationToken = default)
    {
        var (annotators, perItem) = Overlap(request.Annotators, request.AnnotatorsPerItem);
        var items = ItemsCsv.Parse(csv);
        var pairwise = items[0].ResponseB is not null;
        var campaign = new AnnotationCampaign
        {
            Name = string.IsNullOrWhiteSpace(request.Name) ? "CSV items" : request.Name.Trim(),
            Task = pairwise ? AnnotationTask.Pairwise : AnnotationTask.Rating,
            Source = $"CSV: {items.Count} items",
            ScaleMin = 1,
            ScaleMax = pairwise ? 2 : 5,
            Annotators = annotators,
            AnnotatorsPerItem = perItem,
            Seed = request.Seed,
            Guidelines = prompts.Get(pairwise ? PromptNames.AnnotationPairwise : PromptNames.AnnotationRating).Template,
            CreatedBy = request.CreatedBy ?? audit.Actor,
            CreatedAt = time.GetUtcNow(),
        };
        var outOfScale = items.FirstOrDefault(i => i.JudgeRating is { } r && (r < 1 || r > campaign.ScaleMax) || i.ExpectedRating is { } e && (e < 1 || e > campaign.ScaleMax));
        if (outOfScale is not null)
            throw new FormatException($"Item '{outOfScale.Key}': ratings must be whole numbers from 1 to {campaign.ScaleMax}.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await SaveAsync(db, campaign, items.ToList(), cancellationToken);
    }

    public async Task<IReadOnlyList<AnnotationCampaignRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<AnnotationCampaign>().AsNoTracking().OrderByDescending(c => c.Id)
            .Select(c => new AnnotationCampaignRow(c,
                db.Set<AnnotationItem>().Count(i => i.CampaignId == c.Id),
                db.Set<AnnotationAnnotator>().Count(a => a.CampaignId == c.Id),
                (from r in db.Set<AnnotationRating>()
                 join s in db.Set<AnnotationAssignment>() on r.AssignmentId equals s.Id
                 join a in db.Set<AnnotationAnnotator>() on s.AnnotatorId equals a.Id
                 where a.CampaignId == c.Id && r.Rating != null
                 select r.Id).Count()))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Enrols an annotator: the n-th to join takes slot n mod the planned number, gets the items of
    /// that slot (all of them unless overlap is partial) plus every attention check, in an order
    /// shuffled from the campaign's seed and n (so it can be re-derived). Joining twice returns the first enrolment.
    /// </summary>
    public async Task<AnnotationAnnotator> AddAnnotatorAsync(long campaignId, string name, string? userId = null, CancellationToken cancellationToken = default)
    {
        name = name.Trim();
        if (name.Length == 0 || name.Equals(JudgeRater, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"An annotator needs a name other than '{JudgeRater}'.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var campaign = await FindCampaignAsync(db, campaignId, cancellationToken);
        if (await db.Set<AnnotationAnnotator>().FirstOrDefaultAsync(a => a.CampaignId == campaignId && (a.Name == name || (userId != null && a.UserId == userId)), cancellationToken) is { } existing)
            return existing;
        var annotator = await EnrolAsync(db, campaign, name, userId, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return annotator;
    }

    public async Task<IReadOnlyList<AnnotationAnnotator>> AnnotatorsAsync(long campaignId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<AnnotationAnnotator>().AsNoTracking().Where(a => a.CampaignId == campaignId).OrderBy(a => a.Id).ToListAsync(cancellationToken);
    }

    /// <summary>The campaigns a signed-in user annotates (an annotator sees only these).</summary>
    public async Task<IReadOnlyList<AnnotationAnnotator>> AssignmentsOfUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<AnnotationAnnotator>().AsNoTracking().Where(a => a.UserId == userId).OrderBy(a => a.Id).ToListAsync(cancellationToken);
    }

    public Task<AnnotationScreen> ScreenAsync(long annotatorId, CancellationToken cancellationToken = default) =>
        WithAnnotatorAsync(annotatorId, (_, _, _) => Task.CompletedTask, cancellationToken);

    /// <summary>Saves a rating for the item at <paramref name="position"/> (replacing any earlier one) and moves to the next item.</summary>
    public Task<AnnotationScreen> RateAsync(long annotatorId, int position, int rating, long elapsedMilliseconds, CancellationToken cancellationToken = default) =>
        WithAnnotatorAsync(annotatorId, async (db, campaign, annotator) =>
        {
            if (rating < campaign.ScaleMin || rating > campaign.ScaleMax)
                throw new ArgumentException($"Ratings run from {campaign.ScaleMin} to {campaign.ScaleMax}.");
            var row = await RatingRowAsync(db, annotator, position, cancellationToken);
            row.Rating = rating;
            row.SkipReason = null;
            row.Milliseconds += Math.Max(0, elapsedMilliseconds);
            annotator.Position = position + 1;
        }, cancellationToken);

    /// <summary>Skips the item at <paramref name="position"/> with a reason (it counts as done, not as a rating) and moves on.</summary>
    public Task<AnnotationScreen> SkipAsync(long annotatorId, int position, string reason, long elapsedMilliseconds, CancellationToken cancellationToken = default) =>
        WithAnnotatorAsync(annotatorId, async (db, _, annotator) =>
        {
            if (string.IsNullOrWhiteSpace(reason))
                throw new ArgumentException("Say why the item is skipped.");
            var row = await RatingRowAsync(db, annotator, position, cancellationToken);
            row.Rating = null;
            row.SkipReason = reason.Trim()[..Math.Min(reason.Trim().Length, 512)];
            row.Milliseconds += Math.Max(0, elapsedMilliseconds);
            annotator.Position = position + 1;
        }, cancellationToken);

    /// <summary>Flags or unflags the item at <paramref name="position"/> for the researcher; stays on it.</summary>
    public Task<AnnotationScreen> FlagAsync(long annotatorId, int position, bool flagged, CancellationToken cancellationToken = default) =>
        WithAnnotatorAsync(annotatorId, async (db, _, annotator) =>
        {
            (await RatingRowAsync(db, annotator, position, cancellationToken)).Flagged = flagged;
            annotator.Position = position;
        }, cancellationToken);

    public Task<AnnotationScreen> CommentAsync(long annotatorId, int position, string? comment, CancellationToken cancellationToken = default) =>
        WithAnnotatorAsync(annotatorId, async (db, _, annotator) =>
        {
            (await RatingRowAsync(db, annotator, position, cancellationToken)).Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim()[..Math.Min(comment.Trim().Length, 4000)];
            annotator.Position = position;
        }, cancellationToken);

    /// <summary>Shows another item (n/p keys); the position is saved, so the annotator resumes there.</summary>
    public Task<AnnotationScreen> MoveAsync(long annotatorId, int position, CancellationToken cancellationToken = default) =>
        WithAnnotatorAsync(annotatorId, async (db, _, annotator) =>
        {
            var total = await db.Set<AnnotationAssignment>().CountAsync(a => a.AnnotatorId == annotator.Id, cancellationToken);
            annotator.Position = Math.Clamp(position, 0, total);
        }, cancellationToken);

    /// <summary>Takes back the annotator's latest rating or skip and shows that item again.</summary>
    public Task<AnnotationScreen> UndoAsync(long annotatorId, CancellationToken cancellationToken = default) =>
        WithAnnotatorAsync(annotatorId, async (db, _, annotator) =>
        {
            var latest = await (from r in db.Set<AnnotationRating>()
                                join s in db.Set<AnnotationAssignment>() on r.AssignmentId equals s.Id
                                where s.AnnotatorId == annotator.Id && (r.Rating != null || r.SkipReason != null)
                                orderby r.UpdatedAt descending, r.Id descending
                                select new { Rating = r, s.Position }).FirstOrDefaultAsync(cancellationToken);
            if (latest is null)
                return;
            latest.Rating.Rating = null;
            latest.Rating.SkipReason = null;
            latest.Rating.UpdatedAt = time.GetUtcNow();
            annotator.Position = latest.Position;
        }, cancellationToken);

    /// <summary>Long format (item, rater, rating): the judge's ratings first, then each annotator's; attention checks and skips left out.</summary>
    public async Task ExportAsync(long campaignId, TextWriter output, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await FindCampaignAsync(db, campaignId, cancellationToken);
        await output.WriteLineAsync(RatingsCsv.Header);
        var items = await db.Set<AnnotationItem>().AsNoTracking().Where(i => i.CampaignId == campaignId && i.ExpectedRating == null).OrderBy(i => i.Index).ToListAsync(cancellationToken);
        foreach (var item in items.Where(i => i.JudgeRating is not null))
            await output.WriteLineAsync($"{Csv.Field(item.Key)},{JudgeRater},{item.JudgeRating!.Value.ToString(CultureInfo.InvariantCulture)}");
        var ratings = await (from r in db.Set<AnnotationRating>()
                             join s in db.Set<AnnotationAssignment>() on r.AssignmentId equals s.Id
                             join a in db.Set<AnnotationAnnotator>() on s.AnnotatorId equals a.Id
                             join i in db.Set<AnnotationItem>() on s.ItemId equals i.Id
                             where a.CampaignId == campaignId && r.Rating != null && i.ExpectedRating == null
                             orderby a.Id, i.Index
                             select new { i.Key, a.Name, r.Rating }).ToListAsync(cancellationToken);
        foreach (var r in ratings)
            await output.WriteLineAsync($"{Csv.Field(r.Key)},{Csv.Field(r.Name)},{r.Rating!.Value.ToString(CultureInfo.InvariantCulture)}");
        await audit.RecordAsync(AuditActions.Export, AuditTargets.Campaign, campaignId, $"{ratings.Count} rating(s) and the judge's", cancellationToken);
    }

    /// <summary>
    /// Ratings collected offline, long format. Every line is checked first (known item, a whole
    /// rating on the campaign's scale, no pair rated twice in the file or already in the campaign);
    /// any error imports nothing. Raters not yet in the campaign are enrolled; the judge's rows of an export are ignored.
    /// </summary>
    public async Task<AnnotationImportResult> ImportAsync(long campaignId, TextReader csv, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var campaign = await FindCampaignAsync(db, campaignId, cancellationToken);
        var items = await db.Set<AnnotationItem>().AsNoTracking().Where(i => i.CampaignId == campaignId).ToDictionaryAsync(i => i.Key, cancellationToken);
        var existing = (await (from r in db.Set<AnnotationRating>()
                               join s in db.Set<AnnotationAssignment>() on r.AssignmentId equals s.Id
                               join a in db.Set<AnnotationAnnotator>() on s.AnnotatorId equals a.Id
                               join i in db.Set<AnnotationItem>() on s.ItemId equals i.Id
                               where a.CampaignId == campaignId && (r.Rating != null || r.SkipReason != null)
                               select new { i.Key, a.Name }).ToListAsync(cancellationToken)).Select(x => (x.Key, x.Name)).ToHashSet();
        var rows = RatingsCsv.Parse(csv, row =>
            !items.ContainsKey(row.Item) ? $"no item '{row.Item}' in campaign {campaignId}"
            : row.Rater.Equals(JudgeRater, StringComparison.OrdinalIgnoreCase) ? null
            : row.Rating != Math.Floor(row.Rating) || row.Rating < campaign.ScaleMin || row.Rating > campaign.ScaleMax ? $"rating {row.Rating.ToString(CultureInfo.InvariantCulture)} is outside the scale {campaign.ScaleMin}-{campaign.ScaleMax}"
            : existing.Contains((row.Item, row.Rater)) ? $"rater '{row.Rater}' already rated item '{row.Item}' in this campaign"
            : null).Where(r => !r.Rater.Equals(JudgeRater, StringComparison.OrdinalIgnoreCase)).ToList();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var annotators = await db.Set<AnnotationAnnotator>().Where(a => a.CampaignId == campaignId).ToDictionaryAsync(a => a.Name, cancellationToken);
        var created = new List<string>();
        foreach (var name in rows.Select(r => r.Rater).Distinct().Where(n => !annotators.ContainsKey(n)))
        {
            annotators[name] = await EnrolAsync(db, campaign, name, null, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            created.Add(name);
        }
        var now = time.GetUtcNow();
        foreach (var group in rows.GroupBy(r => r.Rater))
        {
            var annotator = annotators[group.Key];
            var assignments = await db.Set<AnnotationAssignment>().Where(a => a.AnnotatorId == annotator.Id).ToDictionaryAsync(a => a.ItemId, cancellationToken);
            var next = assignments.Count;
            var ratingRows = await (from r in db.Set<AnnotationRating>() join s in db.Set<AnnotationAssignment>() on r.AssignmentId equals s.Id
                                    where s.AnnotatorId == annotator.Id select r).ToDictionaryAsync(r => r.AssignmentId, cancellationToken);
            foreach (var row in group)
            {
                var item = items[row.Item];
                if (!assignments.TryGetValue(item.Id, out var assignment))
                {
                    // Rated offline outside this annotator's share: appended to their order.
                    assignment = new AnnotationAssignment { AnnotatorId = annotator.Id, ItemId = item.Id, Position = next++ };
                    db.Add(assignment);
                    await db.SaveChangesAsync(cancellationToken);
                    assignments[item.Id] = assignment;
                }
                if (!ratingRows.TryGetValue(assignment.Id, out var rating))
                    db.Add(rating = new AnnotationRating { AssignmentId = assignment.Id });
                rating.Rating = (int)row.Rating;
                rating.UpdatedAt = now;
            }
        }
        audit.Add(db, AuditActions.Import, AuditTargets.Campaign, campaignId, $"{rows.Count} rating(s), {created.Count} new annotator(s)");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AnnotationImportResult(rows.Count, created);
    }

    /// <summary>
    /// One key press: the annotator with the campaign (one query), the change, one save, then the
    /// annotator's whole order with what is done (one query over at most a few hundred rows) and the
    /// item now shown (one query). Fewer round trips keep the p95 of the annotator page low with
    /// several annotators saving at once (docs/performance.md "Annotator page").
    /// </summary>
    async Task<AnnotationScreen> WithAnnotatorAsync(long annotatorId, Func<AloeDbContext, AnnotationCampaign, AnnotationAnnotator, Task> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await (from a in db.Set<AnnotationAnnotator>()
                           join c in db.Set<AnnotationCampaign>() on a.CampaignId equals c.Id
                           where a.Id == annotatorId
                           select new { Annotator = a, Campaign = c }).AsTracking().FirstOrDefaultAsync(cancellationToken)
            ?? throw new KeyNotFoundException($"No annotator {annotatorId}.");
        var (annotator, campaign) = (found.Annotator, found.Campaign);
        await change(db, campaign, annotator);
        await db.SaveChangesAsync(cancellationToken);

        var order = await db.Set<AnnotationAssignment>().AsNoTracking().Where(s => s.AnnotatorId == annotator.Id)
            .Select(s => new { s.Id, s.Position, Done = db.Set<AnnotationRating>().Any(r => r.AssignmentId == s.Id && (r.Rating != null || r.SkipReason != null)) })
            .ToListAsync(cancellationToken);
        var total = order.Count;
        var done = order.Count(o => o.Done);
        var position = Math.Clamp(annotator.Position, 0, total);
        AnnotationScreenItem? shown = null;
        if (order.FirstOrDefault(o => o.Position == position) is { } at)
        {
            var current = await (from it in db.Set<AnnotationItem>()
                                 join s in db.Set<AnnotationAssignment>() on it.Id equals s.ItemId
                                 where s.Id == at.Id
                                 select new { Item = it, Rating = db.Set<AnnotationRating>().FirstOrDefault(r => r.AssignmentId == s.Id) })
                .AsNoTracking().FirstAsync(cancellationToken);
            var i = current.Item;
            shown = new AnnotationScreenItem(i.Profile, i.Personality, JsonSerializer.Deserialize<List<Exchange>>(i.ContextJson, Json) ?? [],
                i.UserMessage, i.Response, i.ResponseB, current.Rating?.Rating, current.Rating?.SkipReason, current.Rating?.Flagged ?? false, current.Rating?.Comment);
        }
        return new AnnotationScreen(campaign.Id, campaign.Name, campaign.Task, campaign.ScaleMin, campaign.ScaleMax, campaign.Guidelines,
            annotator.Id, annotator.Name, position, total, done, shown);
    }

    /// <summary>The rating row of the item at a position (one query: the assignment with its rating, if any), added when new.</summary>
    async Task<AnnotationRating> RatingRowAsync(AloeDbContext db, AnnotationAnnotator annotator, int position, CancellationToken cancellationToken)
    {
        var found = await db.Set<AnnotationAssignment>().Where(a => a.AnnotatorId == annotator.Id && a.Position == position)
            .Select(a => new { a.Id, Rating = db.Set<AnnotationRating>().FirstOrDefault(r => r.AssignmentId == a.Id) })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new ArgumentException($"Annotator {annotator.Id} has no item at position {position}.");
        var row = found.Rating;
        if (row is null)
            db.Add(row = new AnnotationRating { AssignmentId = found.Id });
        row.UpdatedAt = time.GetUtcNow();
        return row;
    }

    async Task<AnnotationAnnotator> EnrolAsync(AloeDbContext db, AnnotationCampaign campaign, string name, string? userId, CancellationToken cancellationToken)
    {
        var ordinal = await db.Set<AnnotationAnnotator>().CountAsync(a => a.CampaignId == campaign.Id, cancellationToken);
        var annotator = new AnnotationAnnotator { CampaignId = campaign.Id, Name = name, UserId = userId, Slot = ordinal % campaign.Annotators, CreatedAt = time.GetUtcNow() };
        db.Add(annotator);
        await db.SaveChangesAsync(cancellationToken);
        var items = await db.Set<AnnotationItem>().AsNoTracking().Where(i => i.CampaignId == campaign.Id).OrderBy(i => i.Index)
            .Select(i => new { i.Id, i.Index, Check = i.ExpectedRating != null }).ToListAsync(cancellationToken);
        var mine = items.Where(i => i.Check || InSlot(i.Index, annotator.Slot, campaign)).Select(i => i.Id).ToList();
        if (campaign.Shuffle)
            Shuffle(mine, new Random(unchecked(campaign.Seed * 31 + ordinal + 1)));
        db.AddRange(mine.Select((itemId, position) => new AnnotationAssignment { AnnotatorId = annotator.Id, ItemId = itemId, Position = position }));
        return annotator;
    }

    /// <summary>Slot s sees item i when i falls in the k slots starting at s, cyclically (k = annotators per item), so each item has k annotators.</summary>
    static bool InSlot(int index, int slot, AnnotationCampaign campaign) =>
        ((slot - index) % campaign.Annotators + campaign.Annotators) % campaign.Annotators < campaign.AnnotatorsPerItem;

    static async Task<AnnotationCampaign> FindCampaignAsync(AloeDbContext db, long campaignId, CancellationToken cancellationToken) =>
        await db.Set<AnnotationCampaign>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, cancellationToken)
        ?? throw new KeyNotFoundException($"No annotation campaign {campaignId}.");

    async Task<AnnotationCampaign> SaveAsync(AloeDbContext db, AnnotationCampaign campaign, List<AnnotationItem> items, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Add(campaign);
        await db.SaveChangesAsync(cancellationToken);
        for (var i = 0; i < items.Count; i++)
        {
            items[i].CampaignId = campaign.Id;
            items[i].Index = i;
        }
        db.AddRange(items);
        audit.Add(db, AuditActions.Create, AuditTargets.Campaign, campaign.Id, $"{campaign.Name} ({campaign.Task}, {items.Count} items)");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return campaign;
    }

    static (int Annotators, int PerItem) Overlap(int annotators, int? perItem)
    {
        if (annotators is < 1 or > 100)
            throw new ArgumentException("Plan between 1 and 100 annotators.");
        var k = perItem ?? annotators;
        if (k < 1 || k > annotators)
            throw new ArgumentException($"Annotators per item must be between 1 and {annotators} (the annotators planned).");
        return (annotators, k);
    }

    /// <summary>Instructed-response items: the answer is in the text, so a careless annotator shows.</summary>
    static IEnumerable<AnnotationItem> AttentionChecks(int count, Random random, IReadOnlyList<AnnotationItem> items)
    {
        for (var n = 0; n < count && items.Count > 0; n++)
        {
            var host = items[random.Next(items.Count)];
            var expected = random.Next(1, 6);
            yield return new AnnotationItem
            {
                Key = $"attention-{n + 1:D2}",
                Profile = host.Profile,
                Personality = host.Personality,
                UserMessage = host.UserMessage,
                Response = $"This is an attention check, not a real response. Please rate it {expected}.",
                ExpectedRating = expected,
            };
        }
    }

    static List<T> Sample<T>(List<T> population, int count, Random random)
    {
        var copy = population.ToList();
        Shuffle(copy, random);
        return copy.Take(count).ToList();
    }

    static void Shuffle<T>(List<T> list, Random random)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
