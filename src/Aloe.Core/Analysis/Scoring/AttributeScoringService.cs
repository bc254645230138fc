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
        var result = new List<SourceStatus>();
        foreach (var source in sources)
        {
            var texts = await source.ListAsync(cancellationToken);
            var hashes = texts.Where(t => !t.IsEmpty).Select(t => t.Text).Distinct(StringComparer.Ordinal).Select(AttributeScore.Hash).ToList();
            var scorers = complete.Select(c => new SourceScorerCount(c.Key.Item1, c.Key.Item2, c.Key.Item1 == SimulatedAttributeScorer.ScorerId, hashes.Count(c.Value.Contains)))
                .Where(c => c.ScoredTexts > 0).OrderBy(c => c.ScorerId, StringComparer.Ordinal).ThenBy(c => c.ScorerVersion, StringComparer.Ordinal).ToList();
            result.Add(new SourceStatus(source.Name, hashes.Count, texts.Count(t => t.Role == TextRole.Response), scorers,
                active.FirstOrDefault(a => a.Source == source.Name)));
        }
        return result;
    }

    static ScoringProgress Progress(JobRun run)
    {
        var parameters = JsonSerializer.Deserialize<ScoringParameters>(run.ParametersJson, JsonSerializerOptions.Web) ?? new ScoringParameters();
        return new ScoringProgress(run.Id, parameters.Source, parameters.Scorer, run.Status.ToString(), run.Done, run.Total, Math.Round(run.Percent, 1), run.Message, run.Error, run.CreatedAt);
    }
}
