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
    public int Seed { get; init; } = AlignmentStatistics.DefaultSeed;
    public string? Name { get; init; }
}

/// <summary>Starts benchmark runs and re-judgings; the work itself happens in <see cref="BenchmarkRunJob"/> and <see cref="BenchmarkJudgeJob"/>.</summary>
internal sealed class BenchmarkService(
    IDbContextFactory<AloeDbContext> dbFactory,
    IBenchmarkCaseSource caseSource,
    ILlmGateway llm,
    PromptLibrary prompts,
    BenchmarkJudge judge,
    JobService jobs,
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

        var set = await caseSource.GetEvaluationSetAsync(cancellationToken);
        var cases = set.Cases.Take(request.Cases ?? int.MaxValue).ToList();
        if (cases.Count == 0)
            throw new InvalidOperationException("The evaluation set has no cases.");

        var configured = llm.ResolveRoles();
        var evaluated = configured[LlmRole.Evaluated] with
        {
            Model = request.EvaluatedModel.Trim(),
            Endpoint = string.IsNullOrWhiteSpace(request.EvaluatedEndpoint) ? configured[LlmRole.Evaluated].Endpoint : request.EvaluatedEndpoint.Trim(),
        };
        var roles = llm.ResolveRoles(new Dictionary<LlmRole, RoleBinding> { [LlmRole.Evaluated] = evaluated });
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
            RolesJson = JsonSerializer.Serialize(roles, Json),
            PromptHashesJson = JsonSerializer.Serialize(new Dictionary<string, string> { [rolePlayPrompt.Name] = rolePlayPrompt.Hash, [judgePrompt.Name] = judgePrompt.Hash }, Json),
            JudgeMode = request.JudgeMode,
            Turns = request.Turns,
            Seed = request.Seed,
            CaseSet = cases.Count == set.Cases.Count ? set.Name : $"{set.Name}, first {cases.Count}",
            CaseCount = cases.Count,
            Concurrency = options.Value.Concurrency,
            Simulated = new[] { LlmRole.Evaluated, LlmRole.RolePlay, LlmRole.Judge }.Any(r => llm.IsSimulated(r, roles[r])),
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

        var job = await jobs.AddQueuedAsync(db, BenchmarkRunJob.JobKind, $"Benchmark {run.Name}", new BenchmarkRunJob.Parameters(run.Id), cancellationToken);
        run.JobRunId = job.Id;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await jobs.ScheduleAsync(job, cancellationToken);
        return run;
    }

    /// <summary>A new scoring of the run's existing transcripts (another judge model or mode); nothing is regenerated.</summary>
    public async Task<BenchmarkScoring> RejudgeAsync(long runId, JudgeMode mode, string? judgeModel = null, string? judgeEndpoint = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Set<BenchmarkRun>().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken)
            ?? throw new KeyNotFoundException($"Benchmark run {runId} does not exist.");
        var configured = llm.ResolveRoles()[LlmRole.Judge];
        var binding = configured with
        {
            Model = string.IsNullOrWhiteSpace(judgeModel) ? configured.Model : judgeModel.Trim(),
            Endpoint = string.IsNullOrWhiteSpace(judgeEndpoint) ? configured.Endpoint : judgeEndpoint.Trim(),
        };
        var scoring = NewScoring(run.Id, mode, binding, judge.PromptFor(mode), time.GetUtcNow());
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Add(scoring);
        await db.SaveChangesAsync(cancellationToken);
        var job = await jobs.AddQueuedAsync(db, BenchmarkJudgeJob.JobKind, $"Re-judge benchmark {run.Name} ({mode}, {binding.Model})", new BenchmarkJudgeJob.Parameters(scoring.Id), cancellationToken);
        scoring.JobRunId = job.Id;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await jobs.ScheduleAsync(job, cancellationToken);
        return scoring;
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
