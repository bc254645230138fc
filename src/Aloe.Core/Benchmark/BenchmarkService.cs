using Aloe.Core.Hosting;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Core.Prompts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aloe.Core.Benchmark;

/// <summary>What a researcher asks for: a model, how many cases and turns, which judge mode.</summary>
public sealed record BenchmarkRunRequest
{
    /// <summary>The Evaluated role's model for this run (e.g. sim-adaptive).</summary>
    public required string EvaluatedModel { get; init; }
    /// <summary>The endpoint serving it; default: the configured Evaluated endpoint.</summary>
    public string? EvaluatedEndpoint { get; init; }
    /// <summary>The first N cases of the evaluation set; default all (paper: 100).</summary>
    public int? Cases { get; init; }
    public int Turns { get; init; } = 10;
    public JudgeMode JudgeMode { get; init; } = JudgeMode.Paper;
    /// <summary>The run's sample seed (also its bootstrap seed); random unless given, and recorded on the run. The same seed replays from the cache.</summary>
    public int Seed { get; init; } = LlmRunScope.NewSeed();
    public string? Name { get; init; }
    /// <summary>Optional spending cap in US dollars: the run stops cleanly when it is reached, and resumes after it is raised.</summary>
    public double? BudgetUsd { get; init; }
}

/// <summary>Starts benchmark runs and re-judgings; the work itself happens in <see cref="BenchmarkRunJob"/> and <see cref="BenchmarkJudgeJob"/>.</summary>
internal sealed class BenchmarkService(
    IDbContextFactory<AloeDbContext> dbFactory,
    IBenchmarkCaseSource caseSource,
    ILlmGateway llm,
    PromptLibrary prompts,
    BenchmarkJudge judge,
    JobService jobs,
    LlmBudgetService budgets,
    IOptions<BenchmarkOptions> options,
    TimeProvider time)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public const int MaxTurns = 50;

    public async Task<BenchmarkRun> StartRunAsync(BenchmarkRunRequest request, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(request.EvaluatedModel))
            throw new ArgumentException("Choose the model to evaluate.");
        if (request.Turns is < 2 or > MaxTurns)
            throw new ArgumentException($"Turns must be between 2 and {MaxTurns} (the Improvement Rate needs at least two).");
        if (request.Cases is < 1)
            throw new ArgumentException("Cases must be at least 1.");
        InputLimits.Check(request.EvaluatedModel, "model name");
        InputLimits.Check(request.EvaluatedEndpoint, "endpoint name");
        InputLimits.Check(request.Name, "run name");

        var set = await caseSource.GetEvaluationSetAsync(cancellationToken);
        // More cases than the set holds is refused, not quietly cut to the set's size.
        if (request.Cases > set.Cases.Count)
            throw new ArgumentException($"Cases must be between 1 and {set.Cases.Count} (the evaluation set {set.Name} has {set.Cases.Count}).");
        var cases = set.Cases.Take(request.Cases ?? int.MaxValue).ToList();
        if (cases.Count == 0)
            throw new InvalidOperationException("The evaluation set has no cases.");

        var roles = RolesFor(llm, request);
        var evaluated = roles[LlmRole.Evaluated];
        EnsureEndpointExists(evaluated);
        // Asked for a real model on the simulated endpoint: an error, not a simulated stand-in under that name.
        if (llm.IsSimulated(LlmRole.Evaluated, evaluated) && !Llm.Simulated.SimulatedChatClient.IsModel(evaluated.Model))
            throw new ArgumentException(Llm.Simulated.SimulatedChatClient.UnknownModel(evaluated.Model));
        var judgePrompt = judge.PromptFor(request.JudgeMode);
        var rolePlayPrompt = prompts.Get(PromptNames.RolePlay);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The run, its cases, its scoring and its job commit together.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var run = new BenchmarkRun
        {
            Name = string.IsNullOrWhiteSpace(request.Name) ? $"{evaluated.Model} · {cases.Count}×{request.Turns}" : request.Name.Trim(),
            EvaluatedModel = evaluated.Model,
            EvaluatedEndpoint = evaluated.Endpoint,
            Provenance = RunProvenance.Create(llm, roles.Where(r => RunRoles.Contains(r.Key)), new Dictionary<string, string> { [rolePlayPrompt.Name] = rolePlayPrompt.Hash, [judgePrompt.Name] = judgePrompt.Hash }, request.Seed),
            JudgeMode = request.JudgeMode,
            Turns = request.Turns,
            CaseSet = cases.Count == set.Cases.Count ? set.Name : $"{set.Name}, first {cases.Count}",
            CaseCount = cases.Count,
            Concurrency = options.Value.Concurrency,
            Simulated = RunRoles.Any(r => llm.IsSimulated(r, roles[r])),
            CreatedAt = now,
        };
        db.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        db.AddRange(cases.Select((c, i) => new BenchmarkCase
        {
            RunId = run.Id, Index = i, CaseKey = c.CaseKey, Profile = c.Persona.Profile, Personality = c.Persona.Personality, Status = BenchmarkCaseStatus.Pending,
        }));
        db.Add(NewScoring(run.Id, request.JudgeMode, roles[LlmRole.Judge], judgePrompt, now));
        await db.SaveChangesAsync(cancellationToken);

        if (request.BudgetUsd is < 0)
            throw new ArgumentException("A budget cannot be negative.");
        var job = await jobs.AddQueuedAsync(db, BenchmarkRunJob.JobKind, $"Benchmark {run.Name}", new BenchmarkRunJob.Parameters(run.Id), cancellationToken);
        run.JobRunId = job.Id;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // The cap is keyed by the job run and written before the job is handed to the executor.
        await budgets.SetAsync(job.Id, request.BudgetUsd, cancellationToken);
        await jobs.ScheduleAsync(job, cancellationToken);
        return run;
    }

    /// <summary>The role map of a run: the configured one with the request's evaluated model.</summary>
    /// <summary>The roles a benchmark run calls, and so the ones its record lists (and labels when simulated).</summary>
    internal static readonly LlmRole[] RunRoles = [LlmRole.RolePlay, LlmRole.Judge, LlmRole.Evaluated];

    internal static IReadOnlyDictionary<LlmRole, RoleBinding> RolesFor(ILlmGateway llm, BenchmarkRunRequest request)
    {
        var configured = llm.ResolveRoles();
        var evaluated = configured[LlmRole.Evaluated] with
        {
            Model = request.EvaluatedModel.Trim(),
            Endpoint = string.IsNullOrWhiteSpace(request.EvaluatedEndpoint) ? configured[LlmRole.Evaluated].Endpoint : request.EvaluatedEndpoint.Trim(),
        };
        return llm.ResolveRoles(new Dictionary<LlmRole, RoleBinding> { [LlmRole.Evaluated] = evaluated });
    }

    /// <summary>A new scoring of the run's existing transcripts (another judge model or mode); nothing is regenerated.</summary>
    /// <param name="budgetUsd">Optional spending cap of the re-judging in US dollars: it stops cleanly at the cap and resumes after it is raised.</param>
    public async Task<BenchmarkScoring> RejudgeAsync(long runId, JudgeMode mode, string? judgeModel = null, string? judgeEndpoint = null, CancellationToken cancellationToken = default,
        double? budgetUsd = null)
    {
        if (budgetUsd is <= 0)
            throw new ArgumentException("A budget must be more than $0.");
        InputLimits.Check(judgeModel, "judge model name");
        InputLimits.Check(judgeEndpoint, "judge endpoint name");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Set<BenchmarkRun>().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken)
            ?? throw new KeyNotFoundException($"Benchmark run {runId} does not exist.");
        var configured = llm.ResolveRoles()[LlmRole.Judge];
        var binding = configured with
        {
            Model = string.IsNullOrWhiteSpace(judgeModel) ? configured.Model : judgeModel.Trim(),
            Endpoint = string.IsNullOrWhiteSpace(judgeEndpoint) ? configured.Endpoint : judgeEndpoint.Trim(),
        };
        EnsureEndpointExists(binding);
        var scoring = NewScoring(run.Id, mode, binding, judge.PromptFor(mode), time.GetUtcNow());
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Add(scoring);
        await db.SaveChangesAsync(cancellationToken);
        var job = await jobs.AddQueuedAsync(db, BenchmarkJudgeJob.JobKind, $"Re-judge benchmark {run.Name} ({mode}, {binding.Model})", new BenchmarkJudgeJob.Parameters(scoring.Id), cancellationToken);
        scoring.JobRunId = job.Id;
        // The cap is keyed by the job run and committed before the job is handed to the executor.
        if (budgetUsd is { } cap)
            db.Add(new LlmRunBudget { RunId = job.Id, CapUsd = cap, UpdatedAt = scoring.CreatedAt });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await jobs.ScheduleAsync(job, cancellationToken);
        return scoring;
    }

    /// <summary>
    /// Judges again the responses whose score failed in one scoring (default: the run's own): their
    /// failed scores are removed and the scoring's job runs again, judging every unscored turn.
    /// Returns that job; throws when it is still active or nothing failed.
    /// </summary>
    public async Task<JobRun> RetryFailedScoresAsync(long runId, long? scoringId = null, CancellationToken cancellationToken = default)
    {
        long jobId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var run = await db.Set<BenchmarkRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken)
                ?? throw new KeyNotFoundException($"Benchmark run {runId} does not exist.");
            var scorings = await db.Set<BenchmarkScoring>().AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.Id).ToListAsync(cancellationToken);
            var scoring = scorings.FirstOrDefault(s => s.Id == scoringId) ?? scorings[0];
            // The run's own scoring is made by the run's job (which also finishes unfinished cases); a re-judging by its own job.
            jobId = (scoring.Id == scorings[0].Id ? run.JobRunId : scoring.JobRunId)
                ?? throw new InvalidOperationException($"Scoring {scoring.Id} has no job to run again.");
            if (await db.Set<JobRun>().Active().AnyAsync(j => j.Id == jobId, cancellationToken))
                throw new InvalidOperationException($"Job {jobId} is still running: it judges unscored turns itself.");
            var failed = db.Set<BenchmarkScore>().Where(s => s.ScoringId == scoring.Id && s.Score == null);
            if (scoring.Id == scorings[0].Id)
            {
                // The run's job passes over completed cases, so theirs go back to pending: it then judges their unscored turns and completes them again.
                var caseIds = db.Set<BenchmarkTurn>().Where(t => failed.Any(s => s.TurnId == t.Id)).Select(t => t.CaseId);
                await db.Set<BenchmarkCase>().Where(c => c.RunId == runId && c.Status == BenchmarkCaseStatus.Completed && caseIds.Contains(c.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, BenchmarkCaseStatus.Pending), cancellationToken);
            }
            if (await failed.ExecuteDeleteAsync(cancellationToken) == 0)
                throw new InvalidOperationException($"No score failed in scoring {scoring.Id}.");
        }
        await jobs.RunAgainAsync(jobId, cancellationToken);
        return await jobs.GetAsync(jobId, cancellationToken) ?? throw new InvalidOperationException($"Job {jobId} no longer exists.");
    }

    /// <summary>An unknown endpoint is the researcher's typo: a message for the form, not a failed job later.</summary>
    void EnsureEndpointExists(RoleBinding binding)
    {
        try
        {
            llm.IsSimulated(LlmRole.Evaluated, binding);
        }
        catch (LlmCallException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    static BenchmarkScoring NewScoring(long runId, JudgeMode mode, RoleBinding judgeBinding, Prompt prompt, DateTimeOffset now) => new()
    {
        RunId = runId,
        JudgeMode = mode,
        JudgeModel = judgeBinding.Model,
        JudgeJson = JsonSerializer.Serialize(judgeBinding, Json),
        PromptHash = prompt.Hash,
        CreatedAt = now,
    };
}
