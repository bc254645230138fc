using System.Text.Json;
using Aloe.Core.Conversations;
using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Core.Benchmark;

/// <summary>
/// Runs a benchmark: cases converse concurrently (bounded by the run's concurrency); each turn
/// and its score are saved as they complete. The stored turns are the checkpoint: a resumed
/// run judges any turn left unscored and continues each unfinished case from its last turn,
/// and unique indexes make a duplicate impossible. A case whose generation keeps failing stops
/// (marked failed, with the reason); the run goes on.
/// </summary>
internal sealed class BenchmarkRunJob(IDbContextFactory<AloeDbContext> dbFactory, IServiceProvider services, TimeProvider time) : IJobHandler
{
    // The LLM-facing services are resolved per run: every handler is built with JobRunner, and
    // other features' jobs must not fail to start where no LLM gateway is configured.
    BenchmarkConversation Conversation => services.GetRequiredService<BenchmarkConversation>();
    BenchmarkJudge Judge => services.GetRequiredService<BenchmarkJudge>();

    public const string JobKind = "benchmark.run";
    public string Kind => JobKind;

    public sealed record Parameters(long BenchmarkRunId)
    {
        public Parameters() : this(0) { }
    }

    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var runId = context.Parameters<Parameters>().BenchmarkRunId;
        BenchmarkRun run;
        BenchmarkScoring scoring;
        List<BenchmarkCase> cases;
        Dictionary<long, List<BenchmarkTurn>> turnsByCase;
        HashSet<long> scored;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            run = await db.Set<BenchmarkRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken)
                ?? throw new InvalidOperationException($"Benchmark run {runId} does not exist.");
            scoring = await db.Set<BenchmarkScoring>().AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.Id).FirstAsync(cancellationToken);
            cases = await db.Set<BenchmarkCase>().AsNoTracking().Where(c => c.RunId == runId).OrderBy(c => c.Index).ToListAsync(cancellationToken);
            var caseIds = cases.Select(c => c.Id).ToList();
            turnsByCase = (await db.Set<BenchmarkTurn>().AsNoTracking().Where(t => caseIds.Contains(t.CaseId)).ToListAsync(cancellationToken))
                .GroupBy(t => t.CaseId).ToDictionary(g => g.Key, g => g.OrderBy(t => t.Turn).ToList());
            scored = (await db.Set<BenchmarkScore>().Where(s => s.ScoringId == scoring.Id).Select(s => s.TurnId).ToListAsync(cancellationToken)).ToHashSet();
        }

        // Every call of the run samples with its seed (the same seed replays, a new one samples
        // afresh) and is charged to its budget, which stops the run at the cap.
        using var sampling = LlmRunSampling.Begin(run.Seed, await services.LlmBudgetAsync(context.RunId, cancellationToken), cancellationToken);
        var requested = cancellationToken;
        cancellationToken = sampling.Token;
        var roles = run.Provenance.Bindings();
        var judgeBinding = JsonSerializer.Deserialize<RoleBinding>(scoring.JudgeJson, BenchmarkService.Json);
        var total = cases.Count * run.Turns;
        var done = cases.Sum(c => c.Status == BenchmarkCaseStatus.Completed ? run.Turns : turnsByCase.GetValueOrDefault(c.Id)?.Count(t => scored.Contains(t.Id)) ?? 0);
        var tally = new BenchmarkCaseTally();
        var progress = new JobProgressReporter(context, total, done, BenchmarkCaseTally.ReportInterval, time, tally.Describe);
        foreach (var _ in cases.Where(c => c.Status == BenchmarkCaseStatus.Completed))
            tally.CaseCompleted();
        await progress.FlushAsync(cancellationToken);

        var unfinished = cases.Where(c => c.Status != BenchmarkCaseStatus.Completed).ToList();
        try
        {
            await Parallel.ForEachAsync(unfinished, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, run.Concurrency), CancellationToken = cancellationToken },
                (c, token) => new ValueTask(RunCaseAsync(context.RunId, run, scoring, roles, judgeBinding, c, turnsByCase.GetValueOrDefault(c.Id) ?? [], scored, progress, tally, token)));
        }
        catch (OperationCanceledException) when (sampling.StoppedByBudget(requested))
        {
            await progress.FlushAsync(requested);
            throw sampling.Exceeded(context.RunId);
        }
        await progress.FlushAsync(cancellationToken);

        // Failed cases end the run as failed, never as "Succeeded, 100%"; a retry takes up exactly them.
        await using var check = await dbFactory.CreateDbContextAsync(cancellationToken);
        var failed = await check.Set<BenchmarkCase>().CountAsync(c => c.RunId == runId && c.Status == BenchmarkCaseStatus.Failed, cancellationToken);
        CompletedWithFailuresException.ThrowIfAny(failed, cases.Count, "cases");
    }

    async Task RunCaseAsync(long jobRunId, BenchmarkRun run, BenchmarkScoring scoring, IReadOnlyDictionary<LlmRole, RoleBinding> roles, RoleBinding? judgeBinding,
        BenchmarkCase benchmarkCase, List<BenchmarkTurn> stored, HashSet<long> scored, JobProgressReporter progress, BenchmarkCaseTally tally, CancellationToken cancellationToken)
    {
        var persona = new PersonaText(benchmarkCase.Profile, benchmarkCase.Personality);
        var judgeCall = new LlmCallOptions(jobRunId, 0, judgeBinding);
        var history = new List<Exchange>();
        foreach (var turn in stored)
        {
            if (!scored.Contains(turn.Id))
            {
                await SaveScoreAsync(scoring.Id, turn.Id, await Judge.ScoreAsync(persona, history, turn.UserMessage, turn.Response, scoring.JudgeMode, judgeCall, cancellationToken), cancellationToken);
                await progress.AdvanceAsync(1, cancellationToken);
            }
            history.Add(new Exchange(turn.UserMessage, turn.Response));
        }

        // The judge does not feed the conversation, so turn k is judged while turn k+1 is generated:
        // a case's critical path is 2K + 1 calls instead of 3K. Turns are still saved in order
        // (turn k+1 waits for turn k's save), because a resume continues from the stored turns.
        Task? judging = null;
        try
        {
            for (var k = history.Count + 1; k <= run.Turns; k++)
            {
                string user, response;
                try
                {
                    user = await Conversation.UserMessageAsync(persona, history, roles.GetValueOrDefault(LlmRole.RolePlay), jobRunId, cancellationToken);
                    response = await Conversation.ResponseAsync(history, user, roles.GetValueOrDefault(LlmRole.Evaluated), jobRunId, cancellationToken);
                }
                catch (BenchmarkCallFailedException e)
                {
                    // The conversation cannot go on without this turn; later turns stay empty and n per turn shows it.
                    if (judging is not null)
                        await judging;
                    await SetStatusAsync(benchmarkCase.Id, BenchmarkCaseStatus.Failed, $"Stopped at turn {k}: {e.Message}", cancellationToken);
                    tally.CaseFailed();
                    await progress.AdvanceAsync(run.Turns - k + 1, cancellationToken);
                    return;
                }

                if (judging is not null)
                    await judging;
                judging = JudgeAndSaveAsync(benchmarkCase.Id, k, persona, [.. history], user, response, scoring, judgeCall, progress, cancellationToken);
                history.Add(new Exchange(user, response));
            }
            if (judging is not null)
                await judging;
        }
        catch when (judging is not null)
        {
            // Cancelled or failed mid-generation: let the judging in flight finish (or fail) before the job ends, so nothing is written after it.
            try { await judging; } catch (Exception) { /* the first failure is the one reported */ }
            throw;
        }
        await SetStatusAsync(benchmarkCase.Id, BenchmarkCaseStatus.Completed, null, cancellationToken);
        tally.CaseCompleted();
    }

    async Task JudgeAndSaveAsync(long caseId, int k, PersonaText persona, Exchange[] earlier, string user, string response,
        BenchmarkScoring scoring, LlmCallOptions judgeCall, JobProgressReporter progress, CancellationToken cancellationToken)
    {
        var verdict = await Judge.ScoreAsync(persona, earlier, user, response, scoring.JudgeMode, judgeCall, cancellationToken);
        await SaveTurnAsync(caseId, k, user, response, scoring.Id, verdict, cancellationToken);
        await progress.AdvanceAsync(1, cancellationToken);
    }

    /// <summary>The turn and its score in one transaction: a turn is never stored unjudged, and a run makes one commit per turn.</summary>
    async Task SaveTurnAsync(long caseId, int k, string user, string response, long scoringId, JudgeVerdict verdict, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var turn = new BenchmarkTurn { CaseId = caseId, Turn = k, UserMessage = user, Response = response, CreatedAt = time.GetUtcNow() };
        db.Add(turn);
        var score = ToScore(scoringId, 0, verdict);
        score.Turn = turn;
        db.Add(score);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// A context whose connection commits without waiting for the disk (synchronous=NORMAL, the
    /// setting SQLite recommends with WAL: a killed process still keeps every committed turn;
    /// only a power cut may lose the last ones, which a resume regenerates) and waits inside
    /// SQLite for the write lock (busy_timeout) instead of failing and retrying after a pause,
    /// since 64 cases and the gateway's call log write concurrently (docs/performance.md).
    /// </summary>
    internal async Task<AloeDbContext> OpenAsync(CancellationToken cancellationToken)
    {
        var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;", cancellationToken);
        return db;
    }

    async Task SetStatusAsync(long caseId, BenchmarkCaseStatus status, string? error, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Set<BenchmarkCase>().Where(c => c.Id == caseId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, status).SetProperty(c => c.Error, error), cancellationToken);
    }

    internal async Task SaveScoreAsync(long scoringId, long turnId, JudgeVerdict verdict, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        db.Add(ToScore(scoringId, turnId, verdict));
        await db.SaveChangesAsync(cancellationToken);
    }

    internal static BenchmarkScore ToScore(long scoringId, long turnId, JudgeVerdict verdict) => new()
    {
        ScoringId = scoringId,
        TurnId = turnId,
        Score = verdict.Score,
        Status = verdict.Score is null ? BenchmarkScoreStatus.Failed : BenchmarkScoreStatus.Scored,
        RawOutput = verdict.RawOutput,
        Attempts = verdict.Attempts,
        Error = verdict.Error,
    };
}
