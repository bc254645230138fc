using System.Text.Json;
using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Analysis.Scoring;

public sealed record ScoringStarted(long JobRunId, string Source, string Scorer, string ScorerVersion, bool Simulated);

/// <summary>How far one scoring run got.</summary>
public sealed record ScoringProgress(long JobRunId, string Source, string Scorer, string Status, int Done, int Total, double Percent, string? Message, string? Error, DateTimeOffset CreatedAt);

/// <summary>Scores stored by one scorer version.</summary>
public sealed record ScorerSummary(string ScorerId, string ScorerVersion, bool Simulated, int Scored, int Failed, int Truncated, DateTimeOffset LastScoredAt);

/// <summary>One stored failure, for the status page and `aloe analysis scores --failures`.</summary>
public sealed record ScoreFailure(string TextHash, string Attribute, string ScorerId, string ScorerVersion, string? Error, int Attempts);

/// <summary>How many of a source's distinct texts one scorer version scored in all eight attributes.</summary>
public sealed record SourceScorerCount(string ScorerId, string ScorerVersion, bool Simulated, int ScoredTexts);

/// <summary>A text source for the status panel: its distinct non-empty texts, responses, what scored them and the scoring run in progress.</summary>
public sealed record SourceStatus(string Source, int Texts, int Responses, IReadOnlyList<SourceScorerCount> Scorers, ScoringProgress? Active);

public sealed record ScoringStatus(IReadOnlyList<string> Sources, IReadOnlyList<string> Scorers, IReadOnlyList<ScorerSummary> Stored, IReadOnlyList<ScoringProgress> Runs, IReadOnlyList<ScoreFailure> RecentFailures);

/// <summary>Starts scoring runs and reports what is stored and how runs are going.</summary>
public sealed class AttributeScoringService(
    IDbContextFactory<AloeDbContext> dbFactory,
    JobService jobs,
    IEnumerable<IScoringTextSource> sources,
    IEnumerable<IAttributeScorer> scorers)
{
    internal static string UnknownSource(string name) => $"Unknown source '{name}' (known: {string.Join(", ", ScoringSources.All)}).";

    public IReadOnlyList<string> SourceNames => sources.Select(s => s.Name).ToList();
    public IReadOnlyList<string> ScorerIds => scorers.Select(s => s.Id).ToList();

    /// <summary>Queues a scoring run (the CLI then executes it in the foreground; the web app's scheduler picks it up).</summary>
    public async Task<ScoringStarted> StartAsync(string source, string scorer, string? attributes = null, CancellationToken cancellationToken = default)
    {
        if (sources.All(s => s.Name != source))
            throw new ArgumentException(UnknownSource(source));
        var backend = scorers.FirstOrDefault(s => s.Id == scorer)
            ?? throw new ArgumentException($"Unknown scorer '{scorer}' (known: {string.Join(", ", ScorerIds)}; csv scores are imported with --file).");
        ConstructiveAttributes.ParseList(attributes);
        if (backend is LlmAttributeRater { ServedBySimulatedProvider: true })
            throw new ArgumentException("The Attributes role is served by the Simulated provider, which does not rate attributes: configure a model for the Attributes role, or use --scorer simulated.");
        var run = await jobs.EnqueueAsync(AttributeScoringJob.JobKind, $"Attribute scores: {source} by {scorer}",
            new ScoringParameters { Source = source, Scorer = scorer, Attributes = attributes }, cancellationToken);
        return new ScoringStarted(run.Id, source, scorer, backend.Version, backend.Simulated);
    }

    public async Task<ScoringProgress?> ProgressAsync(long jobRunId, CancellationToken cancellationToken = default)
    {
        var run = await jobs.GetAsync(jobRunId, cancellationToken);
        return run is null || run.Kind != AttributeScoringJob.JobKind ? null : Progress(run);
    }

    public async Task<ScoringStatus> StatusAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.Set<AttributeScore>().AsNoTracking()
            .GroupBy(s => new { s.ScorerId, s.ScorerVersion })
            .Select(g => new
            {
                g.Key.ScorerId,
                g.Key.ScorerVersion,
                Scored = g.Count(s => s.Status == AttributeScoreStatus.Scored),
                Failed = g.Count(s => s.Status == AttributeScoreStatus.Failed),
                Truncated = g.Count(s => s.TruncatedBytes > 0),
                Last = g.Max(s => s.CreatedAt),
            }).ToListAsync(cancellationToken);
        var failures = await db.Set<AttributeScore>().AsNoTracking().Where(s => s.Status == AttributeScoreStatus.Failed)
            .OrderByDescending(s => s.Id).Take(20)
            .Select(s => new ScoreFailure(s.TextHash, s.Attribute.ToString(), s.ScorerId, s.ScorerVersion, s.Error, s.Attempts)).ToListAsync(cancellationToken);
        var runs = await jobs.ListAsync(1, 20, kind: AttributeScoringJob.JobKind, cancellationToken: cancellationToken);
        return new ScoringStatus(SourceNames, ScorerIds,
            stored.OrderBy(s => s.ScorerId).ThenBy(s => s.ScorerVersion)
                .Select(s => new ScorerSummary(s.ScorerId, s.ScorerVersion, s.ScorerId == SimulatedAttributeScorer.ScorerId, s.Scored, s.Failed, s.Truncated, s.Last)).ToList(),
            runs.Runs.Select(Progress).ToList(), failures);
    }

    /// <summary>
    /// Each source's texts and how many each scorer version covers. Lists every source's texts (and
    /// hashes them): seconds for PRISM's 68,000 utterances, so a page calls it on load and after a
    /// scoring run changes, not per render.
    /// </summary>
    public async Task<IReadOnlyList<SourceStatus>> SourcesAsync(CancellationToken cancellationToken = default)
    {
        var attributeCount = ConstructiveAttributes.All.Count;
        Dictionary<(string, string), HashSet<string>> complete;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            complete = (await db.Set<AttributeScore>().AsNoTracking().Where(s => s.Status == AttributeScoreStatus.Scored)
                    .GroupBy(s => new { s.TextHash, s.ScorerId, s.ScorerVersion }).Where(g => g.Count() == attributeCount)
                    .Select(g => g.Key).ToListAsync(cancellationToken))
                .GroupBy(k => (k.ScorerId, k.ScorerVersion)).ToDictionary(g => g.Key, g => g.Select(k => k.TextHash).ToHashSet(StringComparer.Ordinal));
        var active = (await jobs.ListAsync(1, 50, kind: AttributeScoringJob.JobKind, cancellationToken: cancellationToken)).Runs
            .Where(r => r.IsActive).Select(Progress).ToList();
        var stamp = await TextsStampAsync(cancellationToken);
        var result = new List<SourceStatus>();
        foreach (var source in sources)
        {
            var (hashes, responses) = await textsCache.GetAsync(source.Name, stamp, async () =>
            {
                var texts = await source.ListAsync(cancellationToken);
                return ((IReadOnlyCollection<string>)texts.Where(t => !t.IsEmpty).Select(t => AttributeScore.Hash(t.Text)).ToHashSet(StringComparer.Ordinal),
                    texts.Count(t => t.Role == TextRole.Response));
            });
            var scorers = complete.Select(c => new SourceScorerCount(c.Key.Item1, c.Key.Item2, c.Key.Item1 == SimulatedAttributeScorer.ScorerId, hashes.Count(c.Value.Contains)))
                .Where(c => c.ScoredTexts > 0).OrderBy(c => c.ScorerId, StringComparer.Ordinal).ThenBy(c => c.ScorerVersion, StringComparer.Ordinal).ToList();
            result.Add(new SourceStatus(source.Name, hashes.Count, responses, scorers, active.FirstOrDefault(a => a.Source == source.Name)));
        }
        return result;
    }

    // Each source's distinct text hashes and response count, kept until the rows the sources read
    // change (StampedCache): listing and hashing 90,000 dialogue texts costs hundreds of ms, which
    // every open of the Analysis page used to pay.
    readonly StampedCache<string, TextsStamp, (IReadOnlyCollection<string> Hashes, int Responses)> textsCache = new(16);

    readonly record struct TextsStamp(long DialogueTurns, long MaxDialogueTurn, long BenchmarkTurns, long MaxBenchmarkTurn,
        long Ratings, long MaxRating, long Rated, long Items, long Utterances, long MaxUtterance);

    async Task<TextsStamp> TextsStampAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return new TextsStamp(
            await db.Set<Dialogues.DialogueTurn>().LongCountAsync(cancellationToken), await db.Set<Dialogues.DialogueTurn>().MaxAsync(t => (long?)t.Id, cancellationToken) ?? 0,
            await db.Set<Benchmark.BenchmarkTurn>().LongCountAsync(cancellationToken), await db.Set<Benchmark.BenchmarkTurn>().MaxAsync(t => (long?)t.Id, cancellationToken) ?? 0,
            await db.Set<Annotation.AnnotationRating>().LongCountAsync(cancellationToken), await db.Set<Annotation.AnnotationRating>().MaxAsync(r => (long?)r.Id, cancellationToken) ?? 0,
            await db.Set<Annotation.AnnotationRating>().LongCountAsync(r => r.Rating != null, cancellationToken),
            await db.Set<Annotation.AnnotationItem>().LongCountAsync(cancellationToken),
            await db.Set<Prism.PrismUtterance>().LongCountAsync(cancellationToken), await db.Set<Prism.PrismUtterance>().MaxAsync(u => (long?)u.Id, cancellationToken) ?? 0);
    }

    static ScoringProgress Progress(JobRun run)
    {
        var parameters = JsonSerializer.Deserialize<ScoringParameters>(run.ParametersJson, JsonSerializerOptions.Web) ?? new ScoringParameters();
        return new ScoringProgress(run.Id, parameters.Source, parameters.Scorer, run.Status.ToString(), run.Done, run.Total, Math.Round(run.Percent, 1), run.Message, run.Error, run.CreatedAt);
    }
}
