using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aloe.Core.Analysis.Scoring;

/// <summary>What a scoring run was asked to do (the job's parameters).</summary>
public sealed class ScoringParameters
{
    public string Source { get; set; } = ScoringSources.Dialogues;
    public string Scorer { get; set; } = SimulatedAttributeScorer.ScorerId;
    /// <summary>Comma-separated attribute names; empty = all eight.</summary>
    public string? Attributes { get; set; }
}

/// <summary>
/// Scores every text of a source that the scorer's current version has not scored yet. The stored
/// scores are the checkpoint: a resumed, retried or repeated run skips what is there (no call is
/// made twice) and retries what failed. Each text is tried up to <see cref="ScoringOptions.Attempts"/>
/// times, then its remaining attributes are stored as Failed with the reason.
/// </summary>
internal sealed class AttributeScoringJob(
    IDbContextFactory<AloeDbContext> dbFactory,
    IEnumerable<IScoringTextSource> sources,
    IEnumerable<IAttributeScorer> scorers,
    IOptions<ScoringOptions> options,
    TimeProvider time) : IJobHandler
{
    public const string JobKind = "attribute-scoring";
    public string Kind => JobKind;

    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters<ScoringParameters>();
        var source = sources.FirstOrDefault(s => s.Name == parameters.Source)
            ?? throw new InvalidOperationException(AttributeScoringService.UnknownSource(parameters.Source));
        var scorer = scorers.FirstOrDefault(s => s.Id == parameters.Scorer)
            ?? throw new InvalidOperationException($"Unknown scorer '{parameters.Scorer}'.");
        var attributes = ConstructiveAttributes.ParseList(parameters.Attributes);
        var version = scorer.Version;

        var texts = await source.ListAsync(cancellationToken);
        var distinct = texts.Where(t => !t.IsEmpty).Select(t => t.Text).Distinct(StringComparer.Ordinal)
            .Select(t => (Hash: AttributeScore.Hash(t), Text: t)).ToList();
        var skipped = texts.Count(t => t.IsEmpty);

        HashSet<(string, ConstructiveAttribute)> done;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            done = (await db.Set<AttributeScore>().AsNoTracking()
                    .Where(s => s.ScorerId == scorer.Id && s.ScorerVersion == version && s.Status == AttributeScoreStatus.Scored)
                    .Select(s => new { s.TextHash, s.Attribute }).ToListAsync(cancellationToken))
                .Select(s => (s.TextHash, s.Attribute)).ToHashSet();
        var todo = distinct.Select(t => (t.Hash, t.Text, Missing: attributes.Where(a => !done.Contains((t.Hash, a))).ToList()))
            .Where(t => t.Missing.Count > 0).ToList();

        var total = distinct.Count;
        var finished = total - todo.Count;
        var failed = 0;
        string Message() => $"{finished} of {total} texts scored by {scorer.Id} {version}{(scorer.Simulated ? " (simulated)" : "")}" +
            (failed > 0 ? $", {failed} with failures" : "") + (skipped > 0 ? $", {skipped} empty skipped" : "");
        await context.ReportAsync(finished, total, Message(), cancellationToken: cancellationToken);

        // Small batches for slow backends (a crash loses little), large ones for the instant simulator.
        var batchSize = Math.Max(1, scorer.Concurrency * (scorer.Simulated ? 500 : 2));
        foreach (var batch in todo.Chunk(batchSize))
        {
            var results = new List<(string Hash, AttributeValue Value, int Attempts)>[batch.Length];
            await Parallel.ForEachAsync(Enumerable.Range(0, batch.Length),
                new ParallelOptions { MaxDegreeOfParallelism = scorer.Concurrency, CancellationToken = cancellationToken },
                async (i, ct) => results[i] = await ScoreWithRetriesAsync(scorer, batch[i].Hash, batch[i].Text, batch[i].Missing, context.RunId, ct));
            var rows = results.SelectMany(r => r).ToList();
            await SaveAsync(scorer.Id, version, rows, context.RunId, cancellationToken);
            finished += batch.Length;
            failed += results.Count(r => r.Any(v => v.Value.Value is null));
            await context.ReportAsync(finished, total, Message(), cancellationToken: cancellationToken);
        }
    }

    async Task<List<(string, AttributeValue, int)>> ScoreWithRetriesAsync(IAttributeScorer scorer, string hash, string text,
        List<ConstructiveAttribute> attributes, long runId, CancellationToken cancellationToken)
    {
        var results = new Dictionary<ConstructiveAttribute, (AttributeValue Value, int Attempts)>();
        var remaining = attributes;
        var attempts = options.Value.Attempts;
        for (var attempt = 0; attempt < attempts && remaining.Count > 0; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var values = await scorer.ScoreAsync(text, remaining, new ScorerCall(runId, attempt), cancellationToken);
                foreach (var value in values)
                    results[value.Attribute] = (value, attempt + 1);
                foreach (var missing in remaining.Where(a => values.All(v => v.Attribute != a)))
                    results[missing] = (AttributeValue.Failed(missing, "The scorer returned no value for this attribute."), attempt + 1);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var final = e is AttributeScorerException { Retryable: false };
                foreach (var a in remaining)
                    results[a] = (AttributeValue.Failed(a, e.Message, final), attempt + 1);
            }
            remaining = remaining.Where(a => results[a].Value is { Value: null, Final: false }).ToList();
        }
        return results.Select(r => (hash, r.Value.Value.Value is null
            ? r.Value.Value with { Error = $"No score after {r.Value.Attempts} tries: {r.Value.Value.Error}" }
            : r.Value.Value, r.Value.Attempts)).ToList();
    }

    async Task SaveAsync(string scorerId, string version, List<(string Hash, AttributeValue Value, int Attempts)> rows, long runId, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            return;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Failures of an earlier run are replaced by this run's outcome.
        var hashes = rows.Select(r => r.Hash).Distinct().ToList();
        await db.Set<AttributeScore>().Where(s => s.ScorerId == scorerId && s.ScorerVersion == version && s.Status == AttributeScoreStatus.Failed && hashes.Contains(s.TextHash))
            .ExecuteDeleteAsync(cancellationToken);
        var now = time.GetUtcNow();
        db.AddRange(rows.Select(r => new AttributeScore
        {
            TextHash = r.Hash,
            Attribute = r.Value.Attribute,
            ScorerId = scorerId,
            ScorerVersion = version,
            Value = r.Value.Value,
            Status = r.Value.Value is null ? AttributeScoreStatus.Failed : AttributeScoreStatus.Scored,
            Error = r.Value.Value is null ? r.Value.Error : null,
            TruncatedBytes = r.Value.TruncatedBytes,
            Attempts = r.Attempts,
            JobRunId = runId,
            CreatedAt = now,
        }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
