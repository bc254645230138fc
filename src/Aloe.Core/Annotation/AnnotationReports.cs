using Aloe.Core.Benchmark;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Annotation;

/// <summary>How far an annotator has come; attention checks passed out of those answered.</summary>
public sealed record AnnotatorProgress(string Annotator, int Assigned, int Rated, int Skipped, int Flagged, double? MedianSeconds, int AttentionPassed, int AttentionAnswered);

/// <summary>One annotator against the judge on the items both rated: Cohen's kappa three ways.</summary>
internal sealed record JudgeAgreementRow(string Annotator, int Items, CohenKappa Unweighted, CohenKappa Linear, CohenKappa Quadratic);

/// <summary>The paper's figure: each kappa averaged over annotators (those where it is defined).</summary>
public sealed record MeanKappa(double? Unweighted, double? Linear, double? Quadratic, int Annotators);

/// <summary>Counts of (human rating, judge rating) pooled over annotators; rows are the human's, columns the judge's.</summary>
public sealed record ConfusionTable(IReadOnlyList<int> Categories, IReadOnlyList<IReadOnlyList<int>> Counts);

/// <summary>An AL(k) curve over the campaign's items: the judge's, an annotator's, or all humans' mean; with its Table 1 summary (IR) when every turn has a value.</summary>
public sealed record AnnotationCurve(string Name, IReadOnlyList<int> Turns, IReadOnlyList<double?> AlignmentLevels, IReadOnlyList<int> N, AlignmentSummary? Summary);

/// <summary>Human vs judge at one turn, pooled over annotators.</summary>
public sealed record TurnAgreement(int Turn, int Pairs, double? ExactAgreement, double? QuadraticKappa, double? MeanHuman, double? MeanJudge);

/// <summary>An item where the humans' mean is furthest from the judge; Link is the transcript's page when the item came from a benchmark run.</summary>
public sealed record Disagreement(string Item, string? CaseKey, int? Turn, int Judge, IReadOnlyList<int> Human, double Gap, string? Link);

internal sealed record AnnotationReport(
    AnnotationCampaign Campaign,
    int Items,
    IReadOnlyList<AnnotatorProgress> Progress,
    IReadOnlyList<JudgeAgreementRow> VersusJudge,
    MeanKappa Mean,
    IReadOnlyList<AgreementCoefficient> BetweenAnnotators,
    ConfusionTable Confusion,
    IReadOnlyList<AnnotationCurve> Curves,
    IReadOnlyList<TurnAgreement> PerTurn,
    IReadOnlyList<Disagreement> Disagreements,
    int Resamples,
    int Seed);

/// <summary>The researcher's report on a campaign (paper, section 5.4): agreement with the judge and between annotators, and human AL curves beside the judge's.</summary>
internal sealed class AnnotationReports(IDbContextFactory<AloeDbContext> dbFactory)
{
    public async Task<AnnotationReport> ReportAsync(long campaignId, int resamples = Agreement.DefaultResamples, int seed = Agreement.DefaultSeed, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var campaign = await db.Set<AnnotationCampaign>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, cancellationToken)
            ?? throw new KeyNotFoundException($"No annotation campaign {campaignId}.");
        var items = await db.Set<AnnotationItem>().AsNoTracking().Where(i => i.CampaignId == campaignId)
            .Select(i => new ItemFacts(i.Id, i.Key, i.CaseKey, i.BenchmarkCaseId, i.Turn, i.JudgeRating, i.ExpectedRating))
            .ToDictionaryAsync(i => i.Id, cancellationToken);
        var annotators = await db.Set<AnnotationAnnotator>().AsNoTracking().Where(a => a.CampaignId == campaignId).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var assignments = await (from s in db.Set<AnnotationAssignment>()
                                 join a in db.Set<AnnotationAnnotator>() on s.AnnotatorId equals a.Id
                                 where a.CampaignId == campaignId
                                 select new { s.AnnotatorId, s.ItemId }).ToListAsync(cancellationToken);
        var marks = await (from r in db.Set<AnnotationRating>()
                           join s in db.Set<AnnotationAssignment>() on r.AssignmentId equals s.Id
                           join a in db.Set<AnnotationAnnotator>() on s.AnnotatorId equals a.Id
                           where a.CampaignId == campaignId
                           select new Mark(s.AnnotatorId, s.ItemId, r.Rating, r.SkipReason != null, r.Flagged, r.Milliseconds)).ToListAsync(cancellationToken);
        return Build(campaign, items, annotators, assignments.GroupBy(a => a.AnnotatorId).ToDictionary(g => g.Key, g => g.Count()), marks, resamples, seed);
    }

    internal sealed record ItemFacts(long Id, string Key, string? CaseKey, long? BenchmarkCaseId, int? Turn, int? Judge, int? Expected);

    internal sealed record Mark(long AnnotatorId, long ItemId, int? Rating, bool Skipped, bool Flagged, long Milliseconds);

    /// <summary>The report from loaded rows (separate so the benchmark can time the statistics alone).</summary>
    internal static AnnotationReport Build(AnnotationCampaign campaign, IReadOnlyDictionary<long, ItemFacts> items, IReadOnlyList<AnnotationAnnotator> annotators,
        IReadOnlyDictionary<long, int> assigned, IReadOnlyList<Mark> marks, int resamples, int seed)
    {
        var categories = Enumerable.Range(campaign.ScaleMin, campaign.ScaleMax - campaign.ScaleMin + 1).ToList();
        var scale = categories.Select(c => (double)c).ToList();
        var byAnnotator = marks.GroupBy(m => m.AnnotatorId).ToDictionary(g => g.Key, g => g.ToList());
        // Real items only: attention checks measure care, not agreement.
        var rated = marks.Where(m => m.Rating is not null && items[m.ItemId].Expected is null).ToList();

        var progress = annotators.Select(a =>
        {
            var mine = byAnnotator.GetValueOrDefault(a.Id) ?? [];
            var times = mine.Where(m => m.Rating is not null || m.Skipped).Select(m => m.Milliseconds / 1000.0).Order().ToList();
            var checks = mine.Where(m => m.Rating is not null && items[m.ItemId].Expected is not null).ToList();
            return new AnnotatorProgress(a.Name, assigned.GetValueOrDefault(a.Id), mine.Count(m => m.Rating is not null), mine.Count(m => m.Skipped && m.Rating is null),
                mine.Count(m => m.Flagged), times.Count == 0 ? null : Median(times),
                checks.Count(m => m.Rating == items[m.ItemId].Expected), checks.Count);
        }).ToList();

        // Each annotator's bootstrap is independent (own seed), so they run side by side.
        var versusJudge = annotators.Select((annotator, index) => (annotator, index)).AsParallel().AsOrdered().Select(x =>
        {
            var pairs = rated.Where(m => m.AnnotatorId == x.annotator.Id && items[m.ItemId].Judge is not null)
                .Select(m => ((double)m.Rating!.Value, (double)items[m.ItemId].Judge!.Value)).ToList();
            var kappas = Agreement.Cohen(pairs, scale, resamples, seed + x.index);
            return new JudgeAgreementRow(x.annotator.Name, pairs.Count, kappas[0], kappas[1], kappas[2]);
        }).ToList();
        double? Mean(Func<JudgeAgreementRow, CohenKappa> pick) =>
            versusJudge.Select(pick).Where(k => k.Value is not null).Select(k => k.Value!.Value).DefaultIfEmpty(double.NaN).Average() is var m && double.IsNaN(m) ? null : m;
        var mean = new MeanKappa(Mean(r => r.Unweighted), Mean(r => r.Linear), Mean(r => r.Quadratic), versusJudge.Count(r => r.Unweighted.Value is not null));

        var names = annotators.ToDictionary(a => a.Id, a => a.Name);
        var matrix = RatingMatrix.FromRows(rated.Select(m => new RatingRow(items[m.ItemId].Key, names[m.AnnotatorId], m.Rating!.Value)));
        IReadOnlyList<AgreementCoefficient> between = matrix.Raters.Count < 2 ? [] :
        [
            Agreement.Fleiss(matrix, scale),
            Agreement.Krippendorff(matrix, KrippendorffLevel.Nominal),
            Agreement.Krippendorff(matrix, KrippendorffLevel.Ordinal),
            Agreement.Krippendorff(matrix, KrippendorffLevel.Interval),
            Agreement.GwetAc1(matrix, scale),
            Agreement.PercentAgreement(matrix),
        ];

        var judged = rated.Where(m => items[m.ItemId].Judge is not null).ToList();
        var confusion = Agreement.ConfusionMatrix(judged.Select(m => ((double)m.Rating!.Value, (double)items[m.ItemId].Judge!.Value)), scale);
        var table = new ConfusionTable(categories, Enumerable.Range(0, categories.Count)
            .Select(i => (IReadOnlyList<int>)Enumerable.Range(0, categories.Count).Select(j => confusion[i, j]).ToList()).ToList());

        var curves = new List<AnnotationCurve>();
        var perTurn = new List<TurnAgreement>();
        var turns = items.Values.Where(i => i.Turn is not null && i.Expected is null).Select(i => i.Turn!.Value).Distinct().Order().ToList();
        if (campaign.Task == AnnotationTask.Rating && turns.Count > 0)
        {
            // The judge's curve over the same items the humans rated, so the two differ only by who rated.
            var ratedItems = rated.Select(m => m.ItemId).ToHashSet();
            curves.Add(Curve("Judge", turns, items.Values.Where(i => ratedItems.Contains(i.Id) && i.Judge is not null).Select(i => (i.Turn, (double)i.Judge!.Value))));
            curves.Add(Curve("Humans (mean)", turns, rated.GroupBy(m => m.ItemId).Select(g => (items[g.Key].Turn, g.Average(m => (double)m.Rating!.Value)))));
            foreach (var annotator in annotators)
                curves.Add(Curve(annotator.Name, turns, rated.Where(m => m.AnnotatorId == annotator.Id).Select(m => (items[m.ItemId].Turn, (double)m.Rating!.Value))));
            foreach (var turn in turns)
            {
                var pairs = judged.Where(m => items[m.ItemId].Turn == turn).Select(m => ((double)m.Rating!.Value, (double)items[m.ItemId].Judge!.Value)).ToList();
                var kappa = pairs.Count == 0 ? null : Agreement.Cohen(pairs, scale, resamples: 0)[2].Value;
                perTurn.Add(new TurnAgreement(turn, pairs.Count, pairs.Count == 0 ? null : pairs.Count(p => p.Item1 == p.Item2) / (double)pairs.Count,
                    kappa, pairs.Count == 0 ? null : pairs.Average(p => p.Item1), pairs.Count == 0 ? null : pairs.Average(p => p.Item2)));
            }
        }

        var disagreements = judged.GroupBy(m => m.ItemId)
            .Select(g => (Item: items[g.Key], Human: g.Select(m => m.Rating!.Value).ToList()))
            .Select(x => new Disagreement(x.Item.Key, x.Item.CaseKey, x.Item.Turn, x.Item.Judge!.Value, x.Human, Math.Abs(x.Human.Average() - x.Item.Judge.Value),
                campaign.BenchmarkRunId is { } runId && x.Item.BenchmarkCaseId is { } caseId ? $"/benchmark/runs/{runId}/cases/{caseId}" : null))
            .Where(d => d.Gap > 0)
            .OrderByDescending(d => d.Gap).ThenBy(d => d.Item, StringComparer.Ordinal)
            .Take(10).ToList();

        return new AnnotationReport(campaign, items.Values.Count(i => i.Expected is null), progress, versusJudge, mean, between, table, curves, perTurn, disagreements, resamples, seed);
    }

    static AnnotationCurve Curve(string name, IReadOnlyList<int> turns, IEnumerable<(int? Turn, double Rating)> ratings)
    {
        var byTurn = ratings.Where(r => r.Turn is not null).GroupBy(r => r.Turn!.Value).ToDictionary(g => g.Key, g => (N: g.Count(), Mean: g.Average(r => r.Rating)));
        var levels = turns.Select(t => byTurn.TryGetValue(t, out var x) ? x.Mean : (double?)null).ToList();
        var summary = turns.Count >= 2 && levels.All(l => l is not null) ? AlignmentMetrics.Summarize(levels.Select(l => l!.Value).ToList()) : null;
        return new AnnotationCurve(name, turns, levels, turns.Select(t => byTurn.TryGetValue(t, out var x) ? x.N : 0).ToList(), summary);
    }

    static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
