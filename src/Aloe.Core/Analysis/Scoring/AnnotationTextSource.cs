using System.Globalization;
using Aloe.Core.Annotation;
using Aloe.Core.Benchmark;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Analysis.Scoring;

/// <summary>
/// Human annotations: each item's pending user message (the prompt) and, per human rating, the
/// rated response(s). A rating campaign's response carries the rating as <see cref="ScoringText.Score"/>
/// (1-5, the 1b outcome); a pairwise one gives answers A and B with <see cref="ScoringText.Chosen"/>
/// from the annotator's pick (the 1a outcome). User = the annotator (the person judging, as PRISM's
/// participant), Conversation = the item, Model = the benchmark run's evaluated model where the
/// campaign came from one, else the answer's position. Skips, unrated items and attention checks
/// (whose rating the instructions dictate) are left out.
/// </summary>
internal sealed class AnnotationTextSource(IDbContextFactory<AloeDbContext> dbFactory) : IScoringTextSource
{
    public string Name => ScoringSources.Annotations;

    public async Task<IReadOnlyList<ScoringText>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var models = await (from c in db.Set<AnnotationCampaign>().AsNoTracking()
                            join r in db.Set<BenchmarkRun>().AsNoTracking() on c.BenchmarkRunId equals r.Id
                            select new { c.Id, r.EvaluatedModel }).ToDictionaryAsync(c => c.Id, c => c.EvaluatedModel, cancellationToken);
        var ratings = await (from rating in db.Set<AnnotationRating>().AsNoTracking()
                             join a in db.Set<AnnotationAssignment>().AsNoTracking() on rating.AssignmentId equals a.Id
                             join annotator in db.Set<AnnotationAnnotator>().AsNoTracking() on a.AnnotatorId equals annotator.Id
                             join item in db.Set<AnnotationItem>().AsNoTracking() on a.ItemId equals item.Id
                             join campaign in db.Set<AnnotationCampaign>().AsNoTracking() on item.CampaignId equals campaign.Id
                             where rating.Rating != null && item.ExpectedRating == null
                             orderby rating.Id
                             select new
                             {
                                 rating.Id, rating.Rating, Annotator = annotator.Name, ItemId = item.Id, item.Key, item.UserMessage, item.Response, item.ResponseB,
                                 CampaignId = campaign.Id, campaign.Name, campaign.Task,
                             }).ToListAsync(cancellationToken);
        var texts = new List<ScoringText>(ratings.Count * 2);
        var prompts = new HashSet<long>();
        foreach (var r in ratings)
        {
            var prompt = $"annotation:{r.ItemId.ToString(CultureInfo.InvariantCulture)}:prompt";
            // Annotator names are unique within a campaign only.
            var user = $"{r.CampaignId.ToString(CultureInfo.InvariantCulture)}:{r.Annotator}";
            var conversation = $"{r.CampaignId.ToString(CultureInfo.InvariantCulture)}:{r.Key}";
            if (prompts.Add(r.ItemId))
                texts.Add(new ScoringText(prompt, Name, TextRole.Prompt, r.UserMessage) { Conversation = conversation, Category = r.Name });
            var id = r.Id.ToString(CultureInfo.InvariantCulture);
            var model = models.GetValueOrDefault(r.CampaignId);
            if (r.Task == AnnotationTask.Pairwise && r.ResponseB is not null)
            {
                foreach (var (position, text) in new[] { ("a", r.Response), ("b", r.ResponseB) })
                    texts.Add(new ScoringText($"annotation:{id}:{position}", Name, TextRole.Response, text)
                    {
                        PromptTextId = prompt, Chosen = (r.Rating == 1) == (position == "a") ? 1 : 0,
                        User = user, Conversation = conversation, Model = model ?? position, Category = r.Name,
                    });
            }
            else
                texts.Add(new ScoringText($"annotation:{id}:response", Name, TextRole.Response, r.Response)
                {
                    PromptTextId = prompt, Score = r.Rating, User = user, Conversation = conversation, Model = model, Category = r.Name,
                });
        }
        return texts;
    }
}
