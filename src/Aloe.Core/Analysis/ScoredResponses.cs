using Aloe.Core.Analysis.Scoring;

namespace Aloe.Core.Analysis;

/// <summary>The responses of a scored table that the analyses can use, and how many were left out and why.</summary>
internal sealed record AnalysisRows(IReadOnlyList<ScoredResponse> Rows, int Responses, int MissingAttributes, int WithoutPrompt);

/// <summary>
/// Stored scores (<see cref="ScoredTableService"/>'s <see cref="ScoredRow"/>s) as the analyses' input
/// (<see cref="ScoredResponse"/>): one row per response. A response lacking any of the eight attributes
/// (an empty text, a failed score) is left out, since every predictor must be a number; a response
/// whose prompt is not fully scored stays in but has no prompt attributes (the mirroring models skip it).
/// </summary>
internal static class ScoredResponses
{
    /// <summary>Stands in for a grouping a source does not have (annotations have no model), so the random term has one level and is reported as such.</summary>
    public const string Unknown = "unknown";

    public static AnalysisRows From(ScoredTable table)
    {
        var rows = new List<ScoredResponse>();
        int responses = 0, missing = 0, withoutPrompt = 0;
        foreach (var row in table.Rows.Where(r => r.Role == "response"))
        {
            responses++;
            var attributes = Complete(row.Attributes);
            if (attributes is null)
            {
                missing++;
                continue;
            }
            var prompt = Complete(row.PromptAttributes);
            if (prompt is null)
                withoutPrompt++;
            var moderators = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (var (name, value) in row.Moderators)
                if (value is { } v)
                    moderators[name] = v >= 0.5;
            rows.Add(new ScoredResponse(row.User ?? Unknown, row.Conversation ?? row.TextId, row.Model ?? Unknown,
                row.Category ?? table.Source, row.Chosen is { } chosen ? chosen >= 0.5 : null, row.Score,
                attributes, prompt ?? new Dictionary<string, double>(), moderators));
        }
        return new AnalysisRows(rows, responses, missing, withoutPrompt);
    }

    /// <summary>The eight attributes as the analyses name them, or null when one is missing.</summary>
    static Dictionary<string, double>? Complete(IReadOnlyDictionary<string, double?> scores)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var attribute in ConstructivenessAnalysis.Attributes)
        {
            if (scores.GetValueOrDefault(attribute) is not { } value)
                return null;
            result[attribute] = value;
        }
        return result;
    }
}
