using System.Text.Json;
using Aloe.Core.Analysis.Prism;
using Aloe.Core.Benchmark;
using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Aloe.Core.Dialogues;
using Aloe.Core.Llm;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Analysis.Scoring;

public enum TextRole { Prompt, Response }

/// <summary>
/// One text to score, with what a model needs beside its attributes: the outcome (chosen, score),
/// the grouping ids for random intercepts (user, conversation, model) and moderators.
/// </summary>
public sealed record ScoringText(string TextId, string Source, TextRole Role, string Text)
{
    /// <summary>For a response: the text id of the prompt it answers (the mirroring analysis).</summary>
    public string? PromptTextId { get; init; }
    /// <summary>1 when this response was the preferred/chosen one, 0 when not; null for prompts.</summary>
    public double? Chosen { get; init; }
    /// <summary>A rating of this response: judge 1-5, PRISM 1-100, human 1-5.</summary>
    public double? Score { get; init; }
    public string? User { get; init; }
    public string? Conversation { get; init; }
    public string? Model { get; init; }
    /// <summary>A subset label, e.g. PRISM's conversation type.</summary>
    public string? Category { get; init; }
    /// <summary>Binary moderators (1/0, null when unknown), e.g. younger, male, white, high_values.</summary>
    public IReadOnlyDictionary<string, double?> Moderators { get; init; } = new Dictionary<string, double?>();

    /// <summary>Nothing to score: empty, or PRISM's literal for an empty text.</summary>
    public bool IsEmpty => string.IsNullOrWhiteSpace(Text) || Text == PrismImporter.EmptyText;
}

/// <summary>
/// Where texts to score come from: <c>--source</c> names one. Dialogues, benchmark and PRISM are
/// built in, and so is "annotations" (<see cref="AnnotationTextSource"/>): the annotated responses with
/// <see cref="ScoringText.Score"/> = the human rating, User = the annotator, Conversation = the item.
/// </summary>
public interface IScoringTextSource
{
    string Name { get; }
    Task<IReadOnlyList<ScoringText>> ListAsync(CancellationToken cancellationToken);
}

public static class ScoringSources
{
    public const string Dialogues = "dialogues";
    public const string Benchmark = "benchmark";
    public const string Annotations = "annotations";
    public const string Prism = "prism";
    public static IReadOnlyList<string> All { get; } = [Dialogues, Benchmark, Annotations, Prism];
}

/// <summary>The user message and both answers of every preference dialogue turn (outcome: preferred = 1).</summary>
internal sealed class DialogueTextSource(IDbContextFactory<AloeDbContext> dbFactory) : IScoringTextSource
{
    public string Name => ScoringSources.Dialogues;

    public async Task<IReadOnlyList<ScoringText>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = await db.Set<DialogueRun>().AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Provenance.Roles, cancellationToken);
        var models = runs.ToDictionary(r => r.Key, r => (Preferred: RoleModel(r.Value, LlmRole.Preferred), Rejected: RoleModel(r.Value, LlmRole.Rejected)));
        var turns = await (from t in db.Set<DialogueTurn>().AsNoTracking()
                           join d in db.Set<Dialogue>().AsNoTracking() on t.DialogueId equals d.Id
                           orderby t.Id
                           select new { t.Id, t.UserMessage, t.Preferred, t.Rejected, d.PersonaKey, DialogueId = d.Id, d.RunId, d.Profile }).ToListAsync(cancellationToken);
        var texts = new List<ScoringText>(turns.Count * 3);
        foreach (var t in turns)
        {
            var prompt = $"dialogue:{t.Id}:prompt";
            var (preferredModel, rejectedModel) = models.GetValueOrDefault(t.RunId);
            var traits = PersonaTraits.Of(t.Profile);
            texts.Add(new ScoringText(prompt, Name, TextRole.Prompt, t.UserMessage) { User = t.PersonaKey, Conversation = t.DialogueId.ToString(System.Globalization.CultureInfo.InvariantCulture), Moderators = traits });
            foreach (var (branch, text, model) in new[] { (Branch.Preferred, t.Preferred, preferredModel), (Branch.Rejected, t.Rejected, rejectedModel) })
                texts.Add(new ScoringText($"dialogue:{t.Id}:{branch.ToString().ToLowerInvariant()}", Name, TextRole.Response, text)
                {
                    PromptTextId = prompt,
                    Chosen = branch == Branch.Preferred ? 1 : 0,
                    User = t.PersonaKey,
                    Conversation = t.DialogueId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Model = model ?? branch.ToString().ToLowerInvariant(),
                    Moderators = traits,
                });
        }
        return texts;
    }

    // Null for an imported run (no roles): the branch name stands in.
    static string? RoleModel(Dictionary<string, RoleProvenance> roles, LlmRole role) => roles.GetValueOrDefault(role.ToString())?.Model;
}

/// <summary>Benchmark transcripts: each simulated user message and the evaluated model's response, with the run's own judge score.</summary>
internal sealed class BenchmarkTextSource(IDbContextFactory<AloeDbContext> dbFactory) : IScoringTextSource
{
    public string Name => ScoringSources.Benchmark;

    public async Task<IReadOnlyList<ScoringText>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The run's own judging is its first scoring; re-judgings are other views of the same turns.
        var firstScoring = await db.Set<BenchmarkScoring>().GroupBy(s => s.RunId).Select(g => g.Min(s => s.Id)).ToListAsync(cancellationToken);
        var scores = await db.Set<BenchmarkScore>().AsNoTracking().Where(s => firstScoring.Contains(s.ScoringId) && s.Score != null)
            .Select(s => new { s.TurnId, s.Score }).ToDictionaryAsync(s => s.TurnId, s => s.Score, cancellationToken);
        var turns = await (from t in db.Set<BenchmarkTurn>().AsNoTracking()
                           join c in db.Set<BenchmarkCase>().AsNoTracking() on t.CaseId equals c.Id
                           join r in db.Set<BenchmarkRun>().AsNoTracking() on c.RunId equals r.Id
                           orderby t.Id
                           select new { t.Id, t.UserMessage, t.Response, c.CaseKey, CaseId = c.Id, r.EvaluatedModel, c.Profile }).ToListAsync(cancellationToken);
        var texts = new List<ScoringText>(turns.Count * 2);
        foreach (var t in turns)
        {
            var prompt = $"benchmark:{t.Id}:prompt";
            var conversation = t.CaseId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var traits = PersonaTraits.Of(t.Profile);
            texts.Add(new ScoringText(prompt, Name, TextRole.Prompt, t.UserMessage) { User = t.CaseKey, Conversation = conversation, Moderators = traits });
            texts.Add(new ScoringText($"benchmark:{t.Id}:response", Name, TextRole.Response, t.Response)
            {
                PromptTextId = prompt,
                Score = scores.GetValueOrDefault(t.Id),
                User = t.CaseKey,
                Conversation = conversation,
                Model = t.EvaluatedModel,
                Moderators = traits,
            });
        }
        return texts;
    }
}

/// <summary>The imported PRISM data: each interaction's user prompt and every model response, with score, chosen and the paper's moderators.</summary>
internal sealed class PrismTextSource(IDbContextFactory<AloeDbContext> dbFactory) : IScoringTextSource
{
    public string Name => ScoringSources.Prism;

    public async Task<IReadOnlyList<ScoringText>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var participants = await db.Set<PrismParticipant>().AsNoTracking().ToDictionaryAsync(p => p.UserId, cancellationToken);
        var utterances = await db.Set<PrismUtterance>().AsNoTracking().OrderBy(u => u.Id).ToListAsync(cancellationToken);
        var texts = new List<ScoringText>(utterances.Count * 2);
        var prompts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var u in utterances)
        {
            var moderators = PrismModerators.Of(participants.GetValueOrDefault(u.UserId));
            var prompt = $"prism:{u.InteractionId}:prompt";
            if (prompts.Add(prompt))
                texts.Add(new ScoringText(prompt, Name, TextRole.Prompt, u.UserPrompt)
                {
                    User = u.UserId, Conversation = u.ConversationId, Category = u.ConversationType, Moderators = moderators,
                });
            texts.Add(new ScoringText($"prism:{u.UtteranceId}:response", Name, TextRole.Response, u.ModelResponse)
            {
                PromptTextId = prompt,
                Chosen = u.IfChosen ? 1 : 0,
                Score = u.Score,
                User = u.UserId,
                Conversation = u.ConversationId,
                Model = u.ModelName,
                Category = u.ConversationType,
                Moderators = moderators,
            });
        }
        return texts;
    }
}
