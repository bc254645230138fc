using System.Text.Json;
using Aloe.Core.Conversations;
using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Core.Benchmark;

/// <summary>
/// Scores a run's stored transcripts for one scoring (re-judging): every turn without a score
/// in that scoring is judged and saved; nothing is regenerated and a resume skips what is stored.
/// </summary>
internal sealed class BenchmarkJudgeJob(IDbContextFactory<AloeDbContext> dbFactory, IServiceProvider services, TimeProvider time) : IJobHandler
{
    public const string JobKind = "benchmark.judge";
    public string Kind => JobKind;

    public sealed record Parameters(long ScoringId)
    {
        public Parameters() : this(0) { }
    }

    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        // Resolved per run, as in BenchmarkRunJob: the handler itself must not need an LLM gateway.
        var judge = services.GetRequiredService<BenchmarkJudge>();
        var scoringId = context.Parameters<Parameters>().ScoringId;
        BenchmarkScoring scoring;
        BenchmarkRun run;
        List<BenchmarkCase> cases;
        List<BenchmarkTurn> turns;
        HashSet<long> scored;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            scoring = await db.Set<BenchmarkScoring>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == scoringId, cancellationToken)
                ?? throw new InvalidOperationException($"Scoring {scoringId} does not exist.");
            run = await db.Set<BenchmarkRun>().AsNoTracking().SingleAsync(r => r.Id == scoring.RunId, cancellationToken);
            cases = await db.Set<BenchmarkCase>().AsNoTracking().Where(c => c.RunId == run.Id).ToListAsync(cancellationToken);
            var caseIds = cases.Select(c => c.Id).ToList();
            turns = await db.Set<BenchmarkTurn>().AsNoTracking().Where(t => caseIds.Contains(t.CaseId)).ToListAsync(cancellationToken);
            scored = (await db.Set<BenchmarkScore>().Where(s => s.ScoringId == scoringId).Select(s => s.TurnId).ToListAsync(cancellationToken)).ToHashSet();
        }

        using var sampling = LlmRunScope.Begin(run.Seed);
        var binding = JsonSerializer.Deserialize<RoleBinding>(scoring.JudgeJson, BenchmarkService.Json);
        var call = new LlmCallOptions(context.RunId, 0, binding);
        var progress = new JobProgressReporter(context, turns.Count, turns.Count(t => scored.Contains(t.Id)), BenchmarkCaseTally.ReportInterval, time, new BenchmarkCaseTally().Describe);
        await progress.FlushAsync(cancellationToken);
        var byCase = turns.GroupBy(t => t.CaseId).ToDictionary(g => g.Key, g => g.OrderBy(t => t.Turn).ToList());
        var work = cases.Where(c => byCase.ContainsKey(c.Id)).SelectMany(c => byCase[c.Id].Select(t => (Case: c, Turn: t)))
            .Where(w => !scored.Contains(w.Turn.Id)).ToList();

        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, run.Concurrency), CancellationToken = cancellationToken }, async (w, token) =>
        {
            var earlier = byCase[w.Case.Id].TakeWhile(t => t.Turn < w.Turn.Turn).Select(t => new Exchange(t.UserMessage, t.Response)).ToList();
            var verdict = await judge.ScoreAsync(new PersonaText(w.Case.Profile, w.Case.Personality), earlier, w.Turn.UserMessage, w.Turn.Response, scoring.JudgeMode, call, token);
            await using var db = await dbFactory.CreateDbContextAsync(token);
            db.Add(BenchmarkRunJob.ToScore(scoring.Id, w.Turn.Id, verdict));
            await db.SaveChangesAsync(token);
            await progress.AdvanceAsync(1, token);
        });
        await progress.FlushAsync(cancellationToken);
    }
}
