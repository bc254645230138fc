using Aloe.Core.Hosting;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using System.Collections.Concurrent;

namespace Aloe.Core.Dialogues;

/// <summary>What a researcher asks for when building preference dialogues: which personas, K, verification.</summary>
/// <param name="BudgetUsd">An optional spending cap: the build stops cleanly at it and resumes after it is raised.</param>
/// <param name="Parts">Part jobs that worker processes share (null: Jobs:BuildParts); with more than one,
/// <paramref name="Parallelism"/> is the dialogues in flight per process.</param>
public sealed record BuildRequest(PersonaSelection Personas, int MaxTurns = 10, bool Verify = true, int Parallelism = DialogueConstruction.DefaultParallelism, string? Title = null, int ProgressIntervalMs = 1000,
    double? BudgetUsd = null, int? Parts = null);

/// <summary>
/// Builds and grows dialogue trees (section 2.1): starts runs, runs each persona's dialogue
/// turn by turn, saves every turn as it completes and resumes from what is stored.
/// </summary>
public sealed class DialogueConstruction(
    IDbContextFactory<AloeDbContext> dbFactory,
    DialogueTurnBuilder turns,
    IDialoguePersonaSource personas,
    ILlmGateway llm,
    JobService jobs,
    IOptions<JobsOptions> jobOptions,
    TimeProvider time)
{
    /// <summary>
    /// Dialogues in flight at once; the gateway's per-endpoint limit is what bounds the calls. High,
    /// so that dialogues advance together and finish together: with fewer in flight the last ones
    /// start late and leave the endpoint idle while they finish (300 x 10 turns against 64 slots:
    /// 1.29 of ideal at 128 in flight, 1.14 with all 300; docs/performance.md).
    /// </summary>
    public const int DefaultParallelism = 512;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    // SQLite admits one writer at a time and its driver waits for the lock by blocking a thread;
    // queueing this process's writes here keeps the thread pool free for the model calls.
    readonly SemaphoreSlim writer = new(1, 1);
    static readonly LlmRole[] Roles = [LlmRole.RolePlay, LlmRole.Induction, LlmRole.Preferred, LlmRole.Rejected, LlmRole.Verifier];

    /// <summary>Records the run with its provenance, one pending dialogue per persona, and queues the build job.</summary>
    public async Task<(DialogueRun Run, JobRun Job)> StartBuildAsync(BuildRequest request, CancellationToken cancellationToken = default)
    {
        if (request.MaxTurns is < 1 or > 50)
            throw new ArgumentException("Turns must be between 1 and 50.");
        var parts = request.Parts ?? (jobs.SchedulesInBackground ? jobOptions.Value.BuildParts : 1);
        InputLimits.Range(parts, "number of parts", 1, 64);
        if (request.BudgetUsd is <= 0)
            throw new ArgumentException("A budget must be more than $0.");
        if (request.Personas.Count is { } count)
            InputLimits.Range(count, "number of personas", 1, MaxPersonas);
        InputLimits.Check(request.Title, "run name");
        var selected = await personas.SelectAsync(request.Personas, cancellationToken);
        if (selected.Count == 0)
            throw new ArgumentException("The selection holds no personas.");
        var roles = llm.ResolveRoles();
        var run = new DialogueRun
        {
            Title = request.Title ?? $"{selected.Count} personas x {request.MaxTurns} turns{(request.Verify ? "" : ", unverified")}",
            PersonaPool = personas.Describe(request.Personas),
            MaxTurns = request.MaxTurns,
            Verify = request.Verify,
            Provenance = RunProvenance.Create(llm, Roles.Where(roles.ContainsKey).Select(r => KeyValuePair.Create(r, roles[r])), turns.PromptHashes(), request.Personas.Seed),
            Simulated = Roles.Any(r => llm.IsSimulated(r)),
            CreatedAt = time.GetUtcNow(),
        };
        // The run, its dialogues and its job commit together: no run without a job, no job
        // pointing at a run that is not there.
        JobRun job;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Add(run);
            await db.SaveChangesAsync(cancellationToken);
            db.AddRange(selected.Select(p => new Dialogue
            {
                RunId = run.Id,
                PersonaKey = p.Key,
                Profile = p.Persona.Profile,
                Personality = p.Persona.Personality,
                CreatedAt = run.CreatedAt,
            }));
            // Split: the parts first (their ids go into the run's job, which waits for them).
            var partJobs = new List<JobRun>();
            for (var part = 1; parts > 1 && part <= parts; part++)
                partJobs.Add(await jobs.AddQueuedAsync(db, DialogueBuildPartJob.JobKind, $"Dialogues: {run.Title} (part {part} of {parts})",
                    new DialogueBuildPartJob.Parameters { DialogueRunId = run.Id, Parallelism = request.Parallelism, ProgressIntervalMs = request.ProgressIntervalMs }, cancellationToken));
            job = await jobs.AddQueuedAsync(db, DialogueBuildJob.JobKind, $"Dialogues: {run.Title}",
                new DialogueBuildJob.Parameters
                {
                    DialogueRunId = run.Id, Parallelism = request.Parallelism, ProgressIntervalMs = request.ProgressIntervalMs,
                    PartJobRunIds = partJobs.Count == 0 ? null : partJobs.Select(p => p.Id).ToList(),
                }, cancellationToken);
            run.JobRunId = job.Id;
            // The cap is keyed by the job run and committed before the job is handed to the executor.
            if (request.BudgetUsd is { } cap)
                db.Add(new LlmRunBudget { RunId = job.Id, CapUsd = cap, UpdatedAt = run.CreatedAt });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            partJobs.Add(job);
            foreach (var each in partJobs)
                await jobs.ScheduleAsync(each, cancellationToken);
        }
        return (run, job);
    }

    /// <summary>
    /// Runs the run's build job again for its unfinished and failed dialogues; each continues from
    /// its stored turns. The same job, so the run's model calls (its token and cost totals) stay
    /// under one id; a job still queued or running is returned as it is.
    /// </summary>
    public async Task<JobRun> StartResumeAsync(long dialogueRunId, CancellationToken cancellationToken = default)
    {
        long? jobId;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            jobId = (await db.Set<DialogueRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == dialogueRunId, cancellationToken)
                ?? throw new ArgumentException($"Dialogue run {dialogueRunId} does not exist.")).JobRunId;
        }
        if (jobId is null)
            throw new ArgumentException($"Dialogue run {dialogueRunId} was imported; there is nothing to build.");
        await jobs.RunAgainAsync(jobId.Value, cancellationToken);
        return await jobs.GetAsync(jobId.Value, cancellationToken)
            ?? throw new InvalidOperationException($"The build job {jobId} of dialogue run {dialogueRunId} no longer exists.");
    }

    /// <summary>Queues the growth of the branch not taken under a turn (or of a given branch).</summary>
    public async Task<JobRun> StartExpandAsync(long turnId, Branch? branch = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var turn = await db.Set<DialogueTurn>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == turnId, cancellationToken)
            ?? throw new ArgumentException($"Turn {turnId} does not exist.");
        var chosen = branch ?? Other(turn.Chosen);
        return await jobs.EnqueueAsync(DialogueExpandJob.JobKind, $"Expand dialogue {turn.DialogueId}, turn {turn.Index} ({chosen})",
            new DialogueExpandJob.Parameters { TurnId = turnId, Branch = chosen }, cancellationToken);
    }

    public static Branch Other(Branch branch) => branch == Branch.Preferred ? Branch.Rejected : Branch.Preferred;

    /// <summary>The most personas one build takes (the paper's pool has 3,310).</summary>
    public const int MaxPersonas = 100_000;

    /// <summary>Runs every unfinished dialogue of a run (failed ones are tried again), reporting turns done.</summary>
    internal async Task BuildAsync(JobContext context, long dialogueRunId, int parallelism, int progressIntervalMs, CancellationToken cancellationToken)
    {
        DialogueRun run;
        List<long> pending;
        int total, done;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            run = await db.Set<DialogueRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == dialogueRunId, cancellationToken)
                ?? throw new InvalidOperationException($"Dialogue run {dialogueRunId} does not exist.");
            var all = await db.Set<Dialogue>().AsNoTracking().Where(d => d.RunId == run.Id).Select(d => new { d.Id, d.Status, d.Turns }).ToListAsync(cancellationToken);
            pending = all.Where(d => d.Status != DialogueStatus.Completed).Select(d => d.Id).ToList();
            total = all.Count * run.MaxTurns;
            done = all.Sum(d => d.Turns);
        }
        // Every call of the run samples with its seed: the same seed replays, a new one samples afresh.
        using var sampling = LlmRunScope.Begin(run.Seed);
        var progress = new JobProgressReporter(context, total, done, TimeSpan.FromMilliseconds(progressIntervalMs), time, TurnsDone);
        await progress.ReportAsync(force: true, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        progress.OnCancelled = stop.Cancel;
        try
        {
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = stop.Token },
                async (dialogueId, ct) =>
                {
                    await GrowAsync(run, dialogueId, parentId: null, branch: null, progress, ct);
                    await progress.ReportAsync(force: false, ct);
                });
        }
        catch (OperationCanceledException)
        {
            // Stopped mid-way: dialogues in progress wait again (their stored turns are kept).
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.Set<Dialogue>().Where(d => d.RunId == run.Id && d.Status == DialogueStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DialogueStatus.Pending), CancellationToken.None);
            throw;
        }
        await progress.ReportAsync(force: true, cancellationToken);

        // Failed dialogues end the build as failed, never as "Succeeded"; a resume or retry takes up exactly them.
        await using var check = await dbFactory.CreateDbContextAsync(cancellationToken);
        var failed = await check.Set<Dialogue>().CountAsync(d => d.RunId == run.Id && d.Status == DialogueStatus.Failed, cancellationToken);
        CompletedWithFailuresException.ThrowIfAny(failed, total / Math.Max(1, run.MaxTurns), "dialogues");
    }

    /// <summary>
    /// The run's job when the build is split into parts: puts failed dialogues back in the pool and
    /// the parts back on the queue (a resume or retry), then reports the run's turns (summed from
    /// the stored dialogues, so every part's work counts) until every part has ended, and ends as
    /// the one-job build would: failed with "completed with N failures" when dialogues failed. A
    /// cancel of this run cancels its parts (<see cref="JobService.CancelAsync"/>).
    /// </summary>
    internal async Task CoordinateAsync(JobContext context, long dialogueRunId, IReadOnlyList<long> partIds, int progressIntervalMs, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMilliseconds(Math.Max(200, progressIntervalMs));
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await db.Set<Dialogue>().Where(d => d.RunId == dialogueRunId && d.Status == DialogueStatus.Failed)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DialogueStatus.Pending).SetProperty(d => d.PartJobRunId, (long?)null), cancellationToken);
        }
        var requeued = false;
        while (true)
        {
            int dialogues, total, done, failed, waiting;
            List<JobRun> parts;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                var maxTurns = await db.Set<DialogueRun>().Where(r => r.Id == dialogueRunId).Select(r => r.MaxTurns).SingleAsync(cancellationToken);
                var byStatus = await db.Set<Dialogue>().Where(d => d.RunId == dialogueRunId).GroupBy(d => d.Status)
                    .Select(g => new { Status = g.Key, Count = g.Count(), Turns = g.Sum(d => d.Turns) }).ToListAsync(cancellationToken);
                dialogues = byStatus.Sum(g => g.Count);
                total = dialogues * maxTurns;
                done = byStatus.Sum(g => g.Turns);
                failed = byStatus.Where(g => g.Status == DialogueStatus.Failed).Sum(g => g.Count);
                waiting = byStatus.Where(g => g.Status == DialogueStatus.Pending).Sum(g => g.Count);
                parts = await db.Set<JobRun>().AsNoTracking().Where(r => partIds.Contains(r.Id)).OrderBy(r => r.Id).ToListAsync(cancellationToken);
            }
            var active = parts.Count(p => p.IsActive);
            try
            {
                await context.ReportAsync(Math.Min(done, total), total, $"{done} of {total} turns ({active} of {parts.Count} parts running)", cancellationToken: cancellationToken);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await jobs.CancelAsync(context.RunId, CancellationToken.None); // the parts, if the cancel came from elsewhere
                throw;
            }
            if (!requeued)
            {
                // A resume or retry: parts that ended go back on the queue for the dialogues still to do.
                requeued = true;
                if (waiting > 0)
                    foreach (var part in parts.Where(p => !p.IsActive))
                        await jobs.RunAgainAsync(part.Id, cancellationToken);
                continue;
            }
            if (active == 0)
            {
                if (parts.FirstOrDefault(p => p.Status is JobStatus.Failed or JobStatus.Cancelled) is { } ended)
                    throw new InvalidOperationException($"Part job {ended.Id} {(ended.Status == JobStatus.Cancelled ? "was cancelled" : $"failed ({ended.Error})")}; resume the run to finish its dialogues.");
                if (waiting > 0 && parts.Count > 0)
                {
                    // Put back in the pool after the last part looked (a part stopped by its host): one more pass.
                    await jobs.RunAgainAsync(parts[0].Id, cancellationToken);
                    continue;
                }
                CompletedWithFailuresException.ThrowIfAny(failed, dialogues, "dialogues");
                return;
            }
            await Task.Delay(interval, time, cancellationToken);
        }
    }

    /// <summary>
    /// Dialogues in flight in this process per split run, shared by the parts it executes, so
    /// that a process holds at most the run's parallelism however many parts it took and the
    /// other workers find dialogues left to claim.
    /// </summary>
    readonly ConcurrentDictionary<long, SemaphoreSlim> inFlight = new();

    /// <summary>
    /// One part of a split build: first the dialogues this part had claimed before a crash, then
    /// pending dialogues of the run claimed one at a time (a conditional update, so two workers
    /// never take the same one), with at most the run's parallelism in flight in this process.
    /// Ends when nothing is left to claim; failed dialogues are left for the run's job to count.
    /// </summary>
    internal async Task BuildPartAsync(JobContext context, long dialogueRunId, int parallelism, int progressIntervalMs, CancellationToken cancellationToken)
    {
        DialogueRun run;
        Queue<long> own;
        int total, done;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            run = await db.Set<DialogueRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == dialogueRunId, cancellationToken)
                ?? throw new InvalidOperationException($"Dialogue run {dialogueRunId} does not exist.");
            total = await db.Set<Dialogue>().CountAsync(d => d.RunId == run.Id, cancellationToken) * run.MaxTurns;
            var mine = await db.Set<Dialogue>().AsNoTracking().Where(d => d.RunId == run.Id && d.PartJobRunId == context.RunId)
                .Select(d => new { d.Id, d.Status, d.Turns }).ToListAsync(cancellationToken);
            done = mine.Sum(d => d.Turns);
            own = new Queue<long>(mine.Where(d => d.Status == DialogueStatus.Running).Select(d => d.Id).Order());
        }
        using var sampling = LlmRunScope.Begin(run.Provenance.Seed);
        var progress = new JobProgressReporter(context, total, done, TimeSpan.FromMilliseconds(progressIntervalMs), time, TurnsDone);
        await progress.ReportAsync(force: true, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        progress.OnCancelled = stop.Cancel;
        var limiter = inFlight.GetOrAdd(run.Id, _ => new SemaphoreSlim(Math.Max(1, parallelism)));
        var growing = new List<Task>();
        try
        {
            while (true)
            {
                await limiter.WaitAsync(stop.Token);
                long? next;
                try
                {
                    next = own.Count > 0 ? own.Dequeue() : await ClaimAsync(run.Id, context.RunId, stop.Token);
                }
                catch
                {
                    limiter.Release();
                    throw;
                }
                if (next is not { } dialogueId)
                {
                    limiter.Release();
                    break;
                }
                growing.RemoveAll(t => t.IsCompletedSuccessfully);
                growing.Add(Task.Run(async () =>
                {
                    try
                    {
                        await GrowAsync(run, dialogueId, parentId: null, branch: null, progress, stop.Token);
                        await progress.ReportAsync(force: false, stop.Token);
                    }
                    finally
                    {
                        limiter.Release();
                    }
                }, CancellationToken.None));
                if (growing.FirstOrDefault(t => t.IsFaulted || t.IsCanceled) is { } broken)
                    await broken;
            }
            await Task.WhenAll(growing);
        }
        catch (Exception)
        {
            await stop.CancelAsync();
            try { await Task.WhenAll(growing); } catch (Exception) { } // the first error is the one rethrown below
            // Stopped mid-way: this part's dialogues in progress go back to the pool (their stored turns are kept).
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.Set<Dialogue>().Where(d => d.RunId == run.Id && d.PartJobRunId == context.RunId && d.Status == DialogueStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DialogueStatus.Pending).SetProperty(d => d.PartJobRunId, (long?)null), CancellationToken.None);
            throw;
        }
        await progress.ReportAsync(force: true, cancellationToken);
    }

    /// <summary>Pending -> Running for this part, by a conditional update; null when the pool is empty.</summary>
    async Task<long?> ClaimAsync(long dialogueRunId, long partJobRunId, CancellationToken cancellationToken)
    {
        while (true)
        {
            List<long> candidates;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
                candidates = await db.Set<Dialogue>().Where(d => d.RunId == dialogueRunId && d.Status == DialogueStatus.Pending)
                    .OrderBy(d => d.Id).Select(d => d.Id).Take(16).ToListAsync(cancellationToken);
            if (candidates.Count == 0)
                return null;
            // Not always the first: workers claiming at once would all race for the same row.
            Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidates));
            foreach (var id in candidates)
            {
                var now = time.GetUtcNow();
                int claimed;
                await writer.WaitAsync(cancellationToken);
                try
                {
                    await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                    claimed = await db.Set<Dialogue>().Where(d => d.Id == id && d.Status == DialogueStatus.Pending)
                        .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DialogueStatus.Running)
                            .SetProperty(d => d.PartJobRunId, partJobRunId).SetProperty(d => d.UpdatedAt, now), cancellationToken);
                }
                finally
                {
                    writer.Release();
                }
                if (claimed == 1)
                    return id;
            }
        }
    }

    /// <summary>Grows the branch under a turn's answer to the run's depth, creating a subtree.</summary>
    internal async Task ExpandAsync(JobContext context, long turnId, Branch branch, CancellationToken cancellationToken)
    {
        DialogueRun run;
        DialogueTurn parent;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            parent = await db.Set<DialogueTurn>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == turnId, cancellationToken)
                ?? throw new InvalidOperationException($"Turn {turnId} does not exist.");
            var runId = await db.Set<Dialogue>().Where(d => d.Id == parent.DialogueId).Select(d => d.RunId).SingleAsync(cancellationToken);
            run = await db.Set<DialogueRun>().AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
        }
        using var sampling = LlmRunScope.Begin(run.Seed);
        var progress = new JobProgressReporter(context, Math.Max(0, run.MaxTurns - parent.Index), 0, TimeSpan.Zero, time, TurnsDone);
        await GrowAsync(run, parent.DialogueId, parent.Id, branch, progress, cancellationToken);
        await progress.ReportAsync(force: true, cancellationToken);
    }

    /// <summary>
    /// Walks down from (parent, branch) following stored turns (so a resumed run repeats
    /// nothing) and builds the missing ones up to the run's depth, saving each as it completes.
    /// A step that keeps failing marks the dialogue failed with its reason and other dialogues go
    /// on; on an expanded branch it fails the expansion job instead (the dialogue itself is fine).
    /// </summary>
    async Task GrowAsync(DialogueRun run, long dialogueId, long? parentId, Branch? branch, JobProgressReporter progress, CancellationToken cancellationToken)
    {
        DialogueTree tree;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var dialogue = await db.Set<Dialogue>().AsNoTracking().SingleAsync(d => d.Id == dialogueId, cancellationToken);
            tree = new DialogueTree(dialogue, await db.Set<DialogueTurn>().AsNoTracking().Where(t => t.DialogueId == dialogueId).ToListAsync(cancellationToken));
        }
        if (parentId is null && tree.Dialogue.Status != DialogueStatus.Running)
            await SetStatusAsync(dialogueId, DialogueStatus.Running, null, cancellationToken);
        var parent = parentId is null ? null : tree.Turns.Single(t => t.Id == parentId);
        var onMainPath = parent is null || (tree.IsOnMainPath(parent) && parent.Chosen == branch);
        try
        {
            for (var index = (parent?.Index ?? 0) + 1; index <= run.MaxTurns; index++)
            {
                var turn = tree.Child(parent, branch);
                if (turn is null)
                {
                    var random = new Random(StableSeed(run.Seed, tree.Dialogue.PersonaKey, tree.Address(parent, branch)));
                    var outcome = await turns.NextTurnAsync(tree.Persona, tree.HistoryThrough(parent, branch), run.Verify, random, run.JobRunId, cancellationToken);
                    turn = await SaveTurnAsync(tree.Dialogue.Id, parent, branch, index, outcome, onMainPath, cancellationToken);
                    tree = new DialogueTree(tree.Dialogue, [.. tree.Turns, turn]);
                    progress.Add(1);
                    await progress.ReportAsync(force: false, cancellationToken);
                }
                (parent, branch) = (turn, turn.Chosen);
            }
            if (onMainPath)
                await SetStatusAsync(dialogueId, DialogueStatus.Completed, null, cancellationToken);
        }
        catch (DialogueStepException ex) when (onMainPath)
        {
            await SetStatusAsync(dialogueId, DialogueStatus.Failed, $"Turn {(parent?.Index ?? 0) + 1}, {ex.Message}", cancellationToken);
        }
        catch (Exception ex) when (onMainPath && ex is not OperationCanceledException)
        {
            // Anything else (a database error after its retries, a bug) fails this dialogue, not the run.
            await SetStatusAsync(dialogueId, DialogueStatus.Failed, $"Turn {(parent?.Index ?? 0) + 1}: {ex.GetBaseException().Message}", cancellationToken);
        }
    }

    async Task<DialogueTurn> SaveTurnAsync(long dialogueId, DialogueTurn? parent, Branch? branch, int index, TurnOutcome outcome, bool onMainPath, CancellationToken cancellationToken)
    {
        // Many dialogues write at once; SQLite lets one writer in at a time, so a busy database is retried.
        for (var attempt = 1; ; attempt++)
        {
            await writer.WaitAsync(cancellationToken);
            try
            {
                return await TrySaveTurnAsync(dialogueId, parent, branch, index, outcome, onMainPath, cancellationToken);
            }
            catch (DbUpdateException ex) when (attempt < DialogueTurnBuilder.MaxAttempts && Aloe.Core.Data.DatabaseErrors.IsTransient(ex))
            {
            }
            finally
            {
                writer.Release();
            }
        }
    }

    async Task<DialogueTurn> TrySaveTurnAsync(long dialogueId, DialogueTurn? parent, Branch? branch, int index, TurnOutcome outcome, bool onMainPath, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var turn = new DialogueTurn
        {
            DialogueId = dialogueId,
            ParentId = parent?.Id,
            ParentBranch = parent is null ? null : branch,
            Index = index,
            UserMessage = outcome.UserMessage,
            Preferred = outcome.Preferred,
            Rejected = outcome.Rejected,
            InferredProfile = outcome.Inferred.Profile,
            InferredPersonality = outcome.Inferred.Personality,
            Verified = outcome.Verified,
            Swapped = outcome.Swapped,
            Chosen = outcome.Chosen,
            CreatedAt = now,
        };
        db.Add(turn);
        if (onMainPath)
        {
            // Attach a stub and mark two columns: the turn and the dialogue's count are written
            // in one transaction (one commit per turn, where SQLite's fsync is the cost).
            var dialogue = new Dialogue { Id = dialogueId, PersonaKey = "", Profile = "", Personality = "" };
            db.Attach(dialogue);
            dialogue.Turns = index;
            dialogue.UpdatedAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);
        return turn;
    }

    async Task SetStatusAsync(long dialogueId, DialogueStatus status, string? error, CancellationToken cancellationToken)
    {
        await writer.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var now = time.GetUtcNow();
            await db.Set<Dialogue>().Where(d => d.Id == dialogueId).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, status).SetProperty(d => d.Error, error).SetProperty(d => d.UpdatedAt, now), cancellationToken);
        }
        finally
        {
            writer.Release();
        }
    }

    /// <summary>A seed that depends only on the run's seed, the persona and the turn's place in the tree, so a resumed or repeated run draws the same coins.</summary>
    internal static int StableSeed(int seed, string personaKey, string address) =>
        BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}|{personaKey}|{address}")), 0);

    static string TurnsDone(int done, int total) => $"{done} of {total} turns";
}

/// <summary>
/// Builds a dialogue run (thin: the work is in <see cref="DialogueConstruction"/>). Handlers are
/// created with the job runner, so the construction (and the model gateway it needs) is resolved
/// only when a dialogue job runs: other jobs never depend on it.
/// </summary>
internal sealed class DialogueBuildJob(IServiceProvider services) : IJobHandler
{
    public const string JobKind = "dialogues.build";
    public string Kind => JobKind;

    public sealed class Parameters
    {
        public long DialogueRunId { get; set; }
        public int Parallelism { get; set; } = DialogueConstruction.DefaultParallelism;
        /// <summary>How often progress is written (and a cancel noticed); 0 writes after every turn.</summary>
        public int ProgressIntervalMs { get; set; } = 1000;
        /// <summary>The build split for several workers: its part jobs (<see cref="DialogueBuildPartJob"/>); this job then only waits for them and sums their turns.</summary>
        public List<long>? PartJobRunIds { get; set; }
    }

    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters<Parameters>();
        var construction = services.GetRequiredService<DialogueConstruction>();
        if (parameters.PartJobRunIds is { Count: > 0 } parts)
        {
            await construction.CoordinateAsync(context, parameters.DialogueRunId, parts, parameters.ProgressIntervalMs, cancellationToken);
            return;
        }
        // The run's budget (if it has one) stops the build at the cap, as a cancel would; the seed is the run's (set inside).
        using var spending = LlmRunSampling.Begin(seed: null, await services.LlmBudgetAsync(context.RunId, cancellationToken), cancellationToken);
        try
        {
            await construction.BuildAsync(context, parameters.DialogueRunId, parameters.Parallelism, parameters.ProgressIntervalMs, spending.Token);
        }
        catch (OperationCanceledException) when (spending.StoppedByBudget(cancellationToken))
        {
            throw spending.Exceeded(context.RunId);
        }
    }
}

/// <summary>
/// One part of a dialogue build split for several workers: claims the run's pending dialogues
/// until none is left (<see cref="DialogueConstruction.BuildPartAsync"/>). Its model calls count
/// under the run's job, and so does the budget (each process reads the spending so far when its
/// part starts, so parts running at once can pass the cap by what they spend in parallel).
/// </summary>
internal sealed class DialogueBuildPartJob(IServiceProvider services) : IJobHandler
{
    public const string JobKind = "dialogues.build.part";
    public string Kind => JobKind;

    public sealed class Parameters
    {
        public long DialogueRunId { get; set; }
        /// <summary>Dialogues in flight in one process, whichever of the run's parts it executes.</summary>
        public int Parallelism { get; set; } = DialogueConstruction.DefaultParallelism;
        public int ProgressIntervalMs { get; set; } = 1000;
    }

    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters<Parameters>();
        long runJobId;
        await using (var db = await services.GetRequiredService<IDbContextFactory<AloeDbContext>>().CreateDbContextAsync(cancellationToken))
            runJobId = await db.Set<DialogueRun>().Where(r => r.Id == parameters.DialogueRunId).Select(r => r.JobRunId).SingleOrDefaultAsync(cancellationToken) ?? context.RunId;
        using var spending = LlmRunSampling.Begin(seed: null, await services.LlmBudgetAsync(runJobId, cancellationToken), cancellationToken);
        try
        {
            await services.GetRequiredService<DialogueConstruction>().BuildPartAsync(context, parameters.DialogueRunId, parameters.Parallelism, parameters.ProgressIntervalMs, spending.Token);
        }
        catch (OperationCanceledException) when (spending.StoppedByBudget(cancellationToken))
        {
            throw spending.Exceeded(runJobId);
        }
    }
}

/// <summary>Grows the branch not taken under a turn into a subtree.</summary>
internal sealed class DialogueExpandJob(IServiceProvider services) : IJobHandler
{
    public const string JobKind = "dialogues.expand";
    public string Kind => JobKind;

    public sealed class Parameters
    {
        public long TurnId { get; set; }
        public Branch Branch { get; set; }
    }

    public Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters<Parameters>();
        return services.GetRequiredService<DialogueConstruction>().ExpandAsync(context, parameters.TurnId, parameters.Branch, cancellationToken);
    }
}
