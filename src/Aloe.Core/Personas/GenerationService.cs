using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Personas;

public sealed record GenerationRunSummary(GenerationRun Run, JobRun? Job, IReadOnlyList<GenerationRound> Rounds)
{
    public int Generated => Rounds.Sum(r => r.Generated);
    public int Accepted => Rounds.Sum(r => r.Accepted);
    /// <summary>Kept candidates over all cleaned candidates.</summary>
    public double? AcceptanceRate => Generated == 0 ? null : (double)Accepted / Generated;
    public int PoolSize => Rounds.Count == 0 ? Run.InitialPoolSize : Rounds[^1].PoolSize;
}

public sealed record CandidateView(long Id, int Round, int Call, string Text, CandidateVerdict Verdict, float Similarity, long? NearestItemId, string? NearestText);

public sealed record CandidatePage(IReadOnlyList<CandidateView> Items, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>Starts self-generation runs and reads what they stored.</summary>
internal sealed class GenerationService(IDbContextFactory<AloeDbContext> dbFactory, JobService jobs, PoolGenerationJob generation)
{
    /// <summary>Records the run with its provenance and its queued job in one transaction, then schedules the job.</summary>
    public async Task<JobRun> StartAsync(GenerationParameters parameters, CancellationToken cancellationToken = default)
    {
        parameters.Validate();
        var title = $"Generate {parameters.Kind.ToString().ToLowerInvariant()}s ({parameters.Split.ToString().ToLowerInvariant()})";
        JobRun job;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            job = await jobs.AddQueuedAsync(db, PoolGenerationJob.JobKind, title, parameters, cancellationToken);
            db.Add(await generation.NewRunAsync(db, job.Id, parameters, generation.PromptFor(parameters.Kind), cancellationToken));
            // The cap is keyed by the job run and stored before the job is handed to the executor.
            if (parameters.BudgetUsd is { } cap)
                db.Add(new Llm.LlmRunBudget { RunId = job.Id, CapUsd = cap, UpdatedAt = job.CreatedAt });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await jobs.ScheduleAsync(job, cancellationToken);
        return job;
    }

    public async Task<IReadOnlyList<GenerationRunSummary>> ListAsync(int count = 20, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = await db.Set<GenerationRun>().AsNoTracking().OrderByDescending(r => r.Id).Take(count).ToListAsync(cancellationToken);
        var ids = runs.Select(r => r.Id).ToList();
        var rounds = await db.Set<GenerationRound>().AsNoTracking().Where(r => ids.Contains(r.RunId)).OrderBy(r => r.Round).ToListAsync(cancellationToken);
        var jobRuns = await db.Set<JobRun>().AsNoTracking().Where(j => ids.Contains(j.Id)).ToDictionaryAsync(j => j.Id, cancellationToken);
        return runs.Select(r => new GenerationRunSummary(r, jobRuns.GetValueOrDefault(r.Id), rounds.Where(x => x.RunId == r.Id).ToList())).ToList();
    }

    public async Task<GenerationRunSummary?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Set<GenerationRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null) return null;
        var rounds = await db.Set<GenerationRound>().AsNoTracking().Where(r => r.RunId == id).OrderBy(r => r.Round).ToListAsync(cancellationToken);
        var job = await db.Set<JobRun>().AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, cancellationToken);
        return new GenerationRunSummary(run, job, rounds);
    }

    public async Task<CandidatePage> CandidatesAsync(long runId, CandidateVerdict? verdict, int page = 1, int pageSize = 25, CancellationToken cancellationToken = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 200);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<GenerationCandidate>().AsNoTracking().Where(c => c.RunId == runId);
        if (verdict is not null) query = query.Where(c => c.Verdict == verdict);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(c => c.Round).ThenBy(c => c.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(c => new
            {
                c.Id, c.Round, c.Call, c.Text, c.Verdict, c.Similarity, c.NearestItemId,
                NearestText = db.Set<PoolItem>().Where(i => i.Id == c.NearestItemId).Select(i => i.Text).FirstOrDefault(),
            }).ToListAsync(cancellationToken);
        return new CandidatePage(rows.Select(c => new CandidateView(c.Id, c.Round, c.Call, c.Text, c.Verdict, c.Similarity, c.NearestItemId, c.NearestText)).ToList(), total, page, pageSize);
    }
}
