using System.Globalization;
using System.Text;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Analysis.Scoring;

/// <summary>
/// One text of the scored table: its attribute probabilities (column names as in the paper's
/// formulas, plus reasoning_nuance = reasoning x nuance, which the paper merged), for a response
/// also its prompt's attributes (mirroring), the outcome (chosen 0/1, score), the grouping ids
/// for random intercepts and the binary moderators. A missing score is null.
/// </summary>
public sealed record ScoredRow(
    string TextId,
    string Source,
    string Role,
    IReadOnlyDictionary<string, double?> Attributes,
    IReadOnlyDictionary<string, double?> PromptAttributes,
    double? Chosen,
    double? Score,
    string? User,
    string? Conversation,
    string? Model,
    string? Category,
    IReadOnlyDictionary<string, double?> Moderators);

/// <summary>A source's texts with one scorer version's scores: what a model-fitting service consumes.</summary>
public sealed record ScoredTable(string Source, string ScorerId, string ScorerVersion, bool Simulated, IReadOnlyList<string> AttributeColumns,
    IReadOnlyList<string> ModeratorColumns, IReadOnlyList<ScoredRow> Rows);

public sealed class ScoredTableService(IDbContextFactory<AloeDbContext> dbFactory, IEnumerable<IScoringTextSource> sources)
{
    public const string ReasoningNuance = "reasoning_nuance";

    /// <param name="scorerVersion">Null: the version of that scorer that scored most recently.</param>
    public async Task<ScoredTable> GetAsync(string source, string scorerId, string? scorerVersion = null, CancellationToken cancellationToken = default)
    {
        var textSource = sources.FirstOrDefault(s => s.Name == source) ?? throw new ArgumentException(AttributeScoringService.UnknownSource(source));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var scores = db.Set<AttributeScore>().AsNoTracking().Where(s => s.ScorerId == scorerId && s.Status == AttributeScoreStatus.Scored);
        scorerVersion ??= await scores.OrderByDescending(s => s.Id).Select(s => s.ScorerVersion).FirstOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"No scores by '{scorerId}' yet: run aloe analysis score --source {source} --scorer {scorerId}.");
        var values = (await scores.Where(s => s.ScorerVersion == scorerVersion).Select(s => new { s.TextHash, s.Attribute, s.Value }).ToListAsync(cancellationToken))
            .ToDictionary(s => (s.TextHash, s.Attribute), s => s.Value);
        var texts = await textSource.ListAsync(cancellationToken);

        var columns = ConstructiveAttributes.All.Select(a => a.ColumnName()).Append(ReasoningNuance).ToList();
        var byId = new Dictionary<string, IReadOnlyDictionary<string, double?>>(StringComparer.Ordinal);
        foreach (var text in texts)
            byId[text.TextId] = AttributesOf(text, values);
        var empty = columns.ToDictionary(c => c, _ => (double?)null);
        var rows = texts.Select(t => new ScoredRow(t.TextId, t.Source, t.Role.ToString().ToLowerInvariant(), byId[t.TextId],
            t.PromptTextId is { } prompt ? byId.GetValueOrDefault(prompt) ?? empty : empty,
            t.Chosen, t.Score, t.User, t.Conversation, t.Model, t.Category, t.Moderators)).ToList();
        var moderators = texts.SelectMany(t => t.Moderators.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        return new ScoredTable(source, scorerId, scorerVersion, scorerId == SimulatedAttributeScorer.ScorerId, columns, moderators, rows);
    }

    static IReadOnlyDictionary<string, double?> AttributesOf(ScoringText text, Dictionary<(string, ConstructiveAttribute), double?> values)
    {
        var hash = text.IsEmpty ? null : AttributeScore.Hash(text.Text);
        var row = new Dictionary<string, double?>(StringComparer.Ordinal);
        foreach (var attribute in ConstructiveAttributes.All)
            row[attribute.ColumnName()] = hash is not null && values.TryGetValue((hash, attribute), out var v) ? v : null;
        row[ReasoningNuance] = row["reasoning"] * row["nuance"];
        return row;
    }

    /// <summary>
    /// The table as CSV for <c>aloe analysis fit --data</c>: one row per response (prompts are in
    /// the prompt_ columns), outcome columns chosen, score and log_score, grouping columns user,
    /// conversation, model, the category and the moderators. Missing values are empty cells; with
    /// <paramref name="completeOnly"/>, responses lacking any attribute of their own or of their
    /// prompt (an empty text, a failed score) are left out, so every attribute column is numeric.
    /// Returns the number of responses written.
    /// </summary>
    public static int WriteResponsesCsv(ScoredTable table, TextWriter output, bool completeOnly = false)
    {
        var header = new List<string> { "text_id", "chosen", "score", "log_score", "user", "conversation", "model", "category" };
        header.AddRange(table.AttributeColumns);
        header.AddRange(table.AttributeColumns.Select(c => "prompt_" + c));
        header.AddRange(table.ModeratorColumns);
        output.WriteLine(string.Join(',', header));
        var line = new StringBuilder();
        var written = 0;
        foreach (var row in table.Rows.Where(r => r.Role == "response"))
        {
            if (completeOnly && (row.Attributes.Values.Any(v => v is null) || row.PromptAttributes.Values.Any(v => v is null)))
                continue;
            written++;
            line.Clear();
            line.AppendJoin(',', new[] { Csv.Field(row.TextId), N(row.Chosen), N(row.Score), N(row.Score is > 0 ? Math.Log(row.Score.Value) : null),
                Csv.Field(row.User ?? ""), Csv.Field(row.Conversation ?? ""), Csv.Field(row.Model ?? ""), Csv.Field(row.Category ?? "") });
            foreach (var c in table.AttributeColumns)
                line.Append(',').Append(N(row.Attributes[c]));
            foreach (var c in table.AttributeColumns)
                line.Append(',').Append(N(row.PromptAttributes[c]));
            foreach (var m in table.ModeratorColumns)
                line.Append(',').Append(N(row.Moderators.GetValueOrDefault(m)));
            output.WriteLine(line);
        }
        return written;
    }

    static string N(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
