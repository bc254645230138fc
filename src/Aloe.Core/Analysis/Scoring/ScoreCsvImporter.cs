using Aloe.Core.Audit;
using System.Globalization;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Analysis.Scoring;

public sealed record ScoreImportResult(string Source, string ScorerId, string ScorerVersion, int Texts, int Scores);

/// <summary>
/// Scores computed elsewhere, as CSV: a header "text_id,ATTRIBUTE,..." (names as in the scored
/// table, e.g. toxicity, personal_story, or Perspective's) and one row per text id of a source
/// (ids as the scored table prints them). Empty cells are no score. Every bad line is reported
/// with its number and nothing is stored unless the whole file is valid; stored as scorer "csv"
/// with the given label as its version.
/// </summary>
public sealed class ScoreCsvImporter(IDbContextFactory<AloeDbContext> dbFactory, IEnumerable<IScoringTextSource> sources, AuditLog audit, TimeProvider time)
{
    public const string ScorerId = "csv";

    public async Task<ScoreImportResult> ImportAsync(string source, TextReader reader, string label, CancellationToken cancellationToken = default)
    {
        var textSource = sources.FirstOrDefault(s => s.Name == source) ?? throw new ArgumentException(AttributeScoringService.UnknownSource(source));
        if (string.IsNullOrWhiteSpace(label) || label.Length > 128)
            throw new ArgumentException("The label (scorer version) must be 1-128 characters.");
        var texts = (await textSource.ListAsync(cancellationToken)).ToDictionary(t => t.TextId, StringComparer.Ordinal);

        var errors = new List<string>();
        using var records = Csv.Read(reader).GetEnumerator();
        if (!records.MoveNext())
            throw new FormatException("The file is empty (expected a header: text_id,ATTRIBUTE,...).");
        var columns = records.Current.Cells.Select(c => c.Trim()).ToArray();
        if (columns[0] != "text_id")
            errors.Add("line 1: the first column must be text_id");
        var attributes = new ConstructiveAttribute[columns.Length];
        for (var i = 1; i < columns.Length; i++)
            if (!ConstructiveAttributes.TryParse(columns[i], out attributes[i]))
                errors.Add($"line 1: unknown attribute column '{columns[i]}'");
        if (columns.Length < 2)
            errors.Add("line 1: no attribute columns");

        var rows = new List<(string Hash, ConstructiveAttribute Attribute, double Value)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        while (records.MoveNext())
        {
            var (number, raw) = records.Current;
            var cells = raw.Select(c => c.Trim()).ToArray();
            if (cells.Length != columns.Length)
            {
                errors.Add($"line {number}: expected {columns.Length} columns, found {cells.Length}");
                continue;
            }
            if (!texts.TryGetValue(cells[0], out var text))
            {
                errors.Add($"line {number}: no text '{cells[0]}' in {source}");
                continue;
            }
            if (!seen.TryAdd(cells[0], number))
            {
                errors.Add($"line {number}: text '{cells[0]}' already on line {seen[cells[0]]}");
                continue;
            }
            var hash = AttributeScore.Hash(text.Text);
            for (var i = 1; i < cells.Length; i++)
            {
                if (cells[i].Length == 0)
                    continue;
                if (double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1)
                    rows.Add((hash, attributes[i], value));
                else
                    errors.Add($"line {number}: {columns[i]} '{cells[i]}' is not a probability from 0 to 1");
            }
        }
        if (errors.Count > 0)
            throw new FormatException($"Score import failed, nothing was stored: {errors.Count} error(s): " + string.Join("; ", errors.Take(20)) + (errors.Count > 20 ? "; ..." : "."));
        // Two text ids with the same text (a prompt repeated) give the same key: the last value wins.
        var distinct = rows.GroupBy(r => (r.Hash, r.Attribute)).Select(g => g.Last()).ToList();

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Set<AttributeScore>().Where(s => s.ScorerId == ScorerId && s.ScorerVersion == label).ExecuteDeleteAsync(cancellationToken);
        var now = time.GetUtcNow();
        db.AddRange(distinct.Select(r => new AttributeScore
        {
            TextHash = r.Hash, Attribute = r.Attribute, ScorerId = ScorerId, ScorerVersion = label,
            Value = r.Value, Status = AttributeScoreStatus.Scored, Attempts = 0, CreatedAt = now,
        }));
        audit.Add(db, AuditActions.Import, AuditTargets.Scores, null, $"{distinct.Count} attribute scores for {source} ({label})");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ScoreImportResult(source, ScorerId, label, seen.Count, distinct.Count);
    }
}
