using System.Text.Json;
using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Core.Prompts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Core.Personas;

/// <summary>Parameters of a self-generation run (section 2.1, Figure 2).</summary>
internal sealed class GenerationParameters
{
    public PoolKind Kind { get; set; }
    /// <summary>The pool that grows and provides the examples.</summary>
    public PoolSplit Split { get; set; } = PoolSplit.Train;
    /// <summary>Keep a candidate when its highest cosine is at or below this; null = the embedder's default.</summary>
    public double? Threshold { get; set; }
    public int Seed { get; set; } = 1;
    /// <summary>Optional spending cap in US dollars (kept with the job run's budget): the run stops cleanly at it and resumes after it is raised.</summary>
    public double? BudgetUsd { get; set; }
    public int MaxRounds { get; set; } = 30;
    /// <summary>Stop after this many rounds in a row that each added fewer than <see cref="MinAddedPerRound"/> items (the bottleneck).</summary>
    public int Patience { get; set; } = 3;
    public int MinAddedPerRound { get; set; } = 2;
    /// <summary>Stop once the pool holds this many items.</summary>
    public int? TargetSize { get; set; }
    /// <summary>Generator calls per round, sent at once against the same pool snapshot.</summary>
    public int CallsPerRound { get; set; } = 2;
    public int ExamplesPerCall { get; set; } = 5;

    public void Validate()
    {
        if (Threshold is < 0 or > 1) throw new ArgumentException("The threshold must be between 0 and 1.");
        if (MaxRounds < 1) throw new ArgumentException("Max rounds must be at least 1.");
        if (Patience < 1) throw new ArgumentException("Patience must be at least 1.");
        if (MinAddedPerRound < 1) throw new ArgumentException("The minimum added per round must be at least 1.");
        if (CallsPerRound is < 1 or > 16) throw new ArgumentException("Calls per round must be between 1 and 16.");
        if (ExamplesPerCall < 1) throw new ArgumentException("Examples per call must be at least 1.");
        if (TargetSize is < 1) throw new ArgumentException("The target size must be positive.");
        if (BudgetUsd is <= 0) throw new ArgumentException("A budget must be more than $0.");
    }
}

/// <summary>A candidate after filtering: its verdict, the most similar existing or same-round item (as an index row) and the cosine.</summary>
internal sealed record FilteredCandidate(int Call, string Text, float[] Vector, bool Accepted, int NearestRow, float Similarity);

/// <summary>
/// The exact incremental filter: candidates are checked in order against the pool snapshot and
/// every candidate kept before them (same call or another call of the round), so two
/// near-duplicates generated at once can never both enter the pool.
/// </summary>
internal static class CandidateFilter
{
    public static List<FilteredCandidate> Apply(SimilarityIndex pool, IReadOnlyList<(int Call, string Text, float[] Vector)> candidates, double threshold)
    {
        var limit = (float)threshold;
        var result = new List<FilteredCandidate>(candidates.Count);
        foreach (var (call, text, vector) in candidates)
        {
            var nearest = pool.Nearest(vector);
            // An empty pool has no neighbour: the first candidate is always kept.
            var accepted = nearest.Index < 0 || nearest.Similarity <= limit;
            if (accepted)
                pool.Add(-(result.Count + 1), vector); // placeholder id; rows appended here are this round's kept candidates
            result.Add(new FilteredCandidate(call, text, vector, accepted, nearest.Index, nearest.Index < 0 ? 0 : nearest.Similarity));
        }
        return result;
    }
}

/// <summary>The bottleneck stop rule: patience, maximum rounds, target size, whichever comes first.</summary>
internal static class StopRule
{
    public static string? Check(GenerationParameters p, IReadOnlyList<GenerationRound> rounds, int poolSize)
    {
        if (p.TargetSize is { } target && poolSize >= target)
            return $"Target size reached ({poolSize} >= {target}).";
        if (rounds.Count >= p.MaxRounds)
            return $"Maximum of {p.MaxRounds} rounds reached.";
        var stalled = rounds.Reverse().TakeWhile(r => r.Accepted < p.MinAddedPerRound).Count();
        if (stalled >= p.Patience)
            return $"Bottleneck: {stalled} rounds in a row added fewer than {p.MinAddedPerRound} items.";
        return null;
    }
}

/// <summary>
/// Grows a pool by self-generation. Each round is stored in one transaction (round, candidates,
/// new items), so a resumed run continues at the next round without duplicates; a round cut
/// short is generated again (the gateway's cache answers repeated calls).
/// </summary>
internal sealed class PoolGenerationJob(IDbContextFactory<AloeDbContext> dbFactory, IServiceProvider services, PromptLibrary prompts, TimeProvider time) : IJobHandler
{
    // The JobRunner builds every handler at once; resolving the gateway only when a generation
    // runs keeps the other jobs working on a host whose LLM configuration is missing or broken.
    ILlmGateway llm => services.GetRequiredService<ILlmGateway>();
    PoolService pools => services.GetRequiredService<PoolService>();

    public const string JobKind = "personas.generate";
    public const int Attempts = 3;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Kind => JobKind;

    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var p = context.Parameters<GenerationParameters>();
        p.Validate();
        // The run's seed, and its budget (if it has one), which stops the run at the cap as a cancel would.
        using var sampling = LlmRunSampling.Begin(p.Seed, await services.LlmBudgetAsync(context.RunId, cancellationToken), cancellationToken);
        try
        {
            await GenerateAsync(context, p, sampling.Token);
        }
        catch (OperationCanceledException) when (sampling.StoppedByBudget(cancellationToken))
        {
            throw sampling.Exceeded(context.RunId);
        }
    }

    async Task GenerateAsync(JobContext context, GenerationParameters p, CancellationToken cancellationToken)
    {
        var prompt = PromptFor(p.Kind);
        await pools.RefreshAsync(p.Kind, cancellationToken);
        var run = await StartOrResumeAsync(context.RunId, p, prompt, cancellationToken);

        while (true)
        {
            List<GenerationRound> rounds;
            int poolSize;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                rounds = await db.Set<GenerationRound>().Where(r => r.RunId == run.Id).OrderBy(r => r.Round).ToListAsync(cancellationToken);
                poolSize = await db.Set<PoolItem>().CountAsync(i => i.Kind == p.Kind && i.Split == p.Split, cancellationToken);
            }
            var stop = StopRule.Check(p, rounds, poolSize);
            if (stop is not null)
            {
                await FinishAsync(run.Id, stop, cancellationToken);
                await context.ReportAsync(rounds.Count, rounds.Count, $"{stop} Pool: {poolSize} items.", cancellationToken: cancellationToken);
                return;
            }
            var round = rounds.Count + 1;
            var result = await RunRoundAsync(run, p, prompt, round, cancellationToken);
            await context.ReportAsync(round, p.MaxRounds,
                $"Round {round}: {result.Accepted} of {result.Generated} kept; pool {result.PoolSize}.", cancellationToken: cancellationToken);
        }
    }

    async Task<GenerationRun> StartOrResumeAsync(long runId, GenerationParameters p, Prompt prompt, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Set<GenerationRun>().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is not null)
        {
            if (run.Provenance.EmbedderId != llm.EmbedderId)
                throw new InvalidOperationException($"Run {runId} started with embedder {run.Provenance.EmbedderId}; the configured one is {llm.EmbedderId}.");
            return run;
        }
        // Queued before runs were recorded with their job (GenerationService.StartAsync now does both at once).
        run = await NewRunAsync(db, runId, p, prompt, cancellationToken);
        db.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    /// <summary>The run record of a generation job, with its provenance: the Generator role, the prompt, the seed and the embedder.</summary>
    internal async Task<GenerationRun> NewRunAsync(AloeDbContext db, long jobRunId, GenerationParameters p, Prompt prompt, CancellationToken cancellationToken) => new()
    {
        Id = jobRunId,
        JobRunId = jobRunId,
        Kind = p.Kind,
        Split = p.Split,
        Threshold = p.Threshold ?? (await pools.ThresholdAsync(cancellationToken)).Threshold,
        MaxRounds = p.MaxRounds,
        Patience = p.Patience,
        MinAddedPerRound = p.MinAddedPerRound,
        TargetSize = p.TargetSize,
        CallsPerRound = p.CallsPerRound,
        Provenance = RunProvenance.Create(llm, llm.ResolveRoles().Where(r => r.Key == LlmRole.Generator), [KeyValuePair.Create(prompt.Name, prompt.Hash)], p.Seed, llm.EmbedderId),
        Simulated = llm.IsSimulated(LlmRole.Generator),
        InitialPoolSize = await db.Set<PoolItem>().CountAsync(i => i.Kind == p.Kind && i.Split == p.Split, cancellationToken),
        CreatedAt = time.GetUtcNow(),
    };

    /// <summary>The generator prompt of a pool kind.</summary>
    internal Prompt PromptFor(PoolKind kind) => prompts.Get(kind == PoolKind.Profile ? PromptNames.GeneratorProfile : PromptNames.GeneratorPersonality);

    async Task<GenerationRound> RunRoundAsync(GenerationRun run, GenerationParameters p, Prompt prompt, int round, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The filter compares with every item of the kind, evaluation items included, so
        // generation never recreates an evaluation item in the training pool.
        var (items, index) = await pools.LoadIndexAsync(db, p.Kind, cancellationToken);
        var examplePool = items.Where(i => i.Split == p.Split).Select(i => i.Text).ToList();
        if (examplePool.Count == 0)
            throw new InvalidOperationException($"The {p.Split.ToString().ToLowerInvariant()} {p.Kind.ToString().ToLowerInvariant()} pool is empty: import or seed it before generating.");
        // Seeded per round, so a resumed run draws the same examples as the interrupted one.
        var random = new Random(unchecked(p.Seed * 1_000_003 + round));
        var examples = Enumerable.Range(0, p.CallsPerRound).Select(_ =>
        {
            var shuffled = examplePool.ToArray();
            random.Shuffle(shuffled);
            return shuffled.Take(p.ExamplesPerCall).ToList();
        }).ToList();

        var calls = await Task.WhenAll(examples.Select((ex, call) =>
            GenerateAsync(run.Id, prompt, ex, (round - 1) * p.CallsPerRound + call, cancellationToken)));

        var texts = calls.SelectMany((c, call) => c.Lines.Select(line => (call, line))).ToList();
        var vectors = texts.Count == 0 ? [] : await llm.EmbedAsync(texts.Select(t => t.line).ToList(), cancellationToken);
        var poolRows = index.Count;
        var filtered = CandidateFilter.Apply(index, texts.Select((t, k) => (t.call, t.line, vectors[k])).ToList(), run.Threshold);

        var now = time.GetUtcNow();
        var newItems = filtered.Where(f => f.Accepted).Select(f => new PoolItem
        {
            Kind = p.Kind, Split = p.Split, Source = ItemSource.Generated, Text = f.Text, GenerationRunId = run.Id,
            Embedding = EmbeddingBlob.ToBytes(f.Vector), EmbedderId = run.Provenance.EmbedderId, CreatedAt = now,
        }).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.AddRange(newItems);
        await db.SaveChangesAsync(cancellationToken);
        // Index rows: the snapshot first, then this round's kept candidates in order.
        long RowId(int row) => row < poolRows ? index.Ids[row] : newItems[row - poolRows].Id;
        UpdateNeighbours(items, newItems, index, poolRows, RowId);
        var kept = 0;
        foreach (var f in filtered)
            db.Add(new GenerationCandidate
            {
                RunId = run.Id, Round = round, Call = f.Call, Text = f.Text, Verdict = f.Accepted ? CandidateVerdict.Accepted : CandidateVerdict.Rejected,
                Similarity = f.Similarity, NearestItemId = f.NearestRow < 0 ? null : RowId(f.NearestRow),
                PoolItemId = f.Accepted ? newItems[kept++].Id : null,
            });
        var failures = calls.Where(c => c.Error is not null).ToList();
        var result = new GenerationRound
        {
            RunId = run.Id, Round = round, Generated = filtered.Count, Accepted = newItems.Count,
            PoolSize = examplePool.Count + newItems.Count, FailedCalls = failures.Count,
            Error = failures.Count == 0 ? null : string.Join(" | ", failures.Select(f => f.Error)),
        };
        db.Add(result);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Nearest neighbours after a round, incrementally: each new item gets its nearest among all
    /// items, and an existing item changes only when a new item is closer than its current one
    /// (a full recomputation is quadratic in the pool size, every round).
    /// </summary>
    static void UpdateNeighbours(List<PoolItem> items, List<PoolItem> newItems, SimilarityIndex index, int poolRows, Func<int, long> rowId)
    {
        var scores = new float[index.Count];
        for (var k = 0; k < newItems.Count; k++)
        {
            var row = poolRows + k;
            index.Scores(index.Row(row), scores);
            scores[row] = float.NegativeInfinity;
            if (index.Count > 1)
            {
                var best = System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(scores);
                newItems[k].NearestId = rowId(best);
                newItems[k].NearestSimilarity = scores[best];
            }
            for (var i = 0; i < poolRows; i++)
                if (items[i].NearestSimilarity is not { } current || scores[i] > current)
                {
                    items[i].NearestId = newItems[k].Id;
                    items[i].NearestSimilarity = scores[i];
                }
        }
    }

    sealed record CallResult(IReadOnlyList<string> Lines, string? Error);

    /// <summary>One generator call, retried on garbled or empty output or a failed call; after the last try the call is recorded as failed, never the run.</summary>
    async Task<CallResult> GenerateAsync(long runId, Prompt prompt, IReadOnlyList<string> examples, int sampleIndex, CancellationToken cancellationToken)
    {
        var text = prompt.Render(new Dictionary<string, string> { ["SeedExamples"] = string.Join("\n", examples) });
        string? error = null;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            try
            {
                var request = new LlmRequest(LlmRole.Generator, [new ChatMessage(ChatRole.User, text)])
                {
                    RunId = runId,
                    // Retries get their own cache key, so a cached garbled answer is not replayed.
                    SampleIndex = sampleIndex * Attempts + attempt,
                };
                var response = await llm.CompleteAsync(request, cancellationToken);
                var lines = GeneratorOutput.Clean(response.Text);
                if (lines.Count > 0)
                    return new CallResult(lines, null);
                error = "The generator's reply held no usable lines.";
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error = ex.Message;
            }
        }
        return new CallResult([], $"Call {sampleIndex} failed after {Attempts} tries: {error}");
    }

    async Task FinishAsync(long runId, string reason, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Set<GenerationRun>().SingleAsync(r => r.Id == runId, cancellationToken);
        run.StopReason = reason;
        await db.SaveChangesAsync(cancellationToken);
    }
}
