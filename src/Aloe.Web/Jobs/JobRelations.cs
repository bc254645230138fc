using System.Text.Json;
using Aloe.Core.Analysis;
using Aloe.Core.Analysis.Scoring;
using Aloe.Core.Benchmark;
using Aloe.Core.Data;
using Aloe.Core.Dialogues;
using Aloe.Core.Personas;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Web.Jobs;

/// <summary>What a job run works on, as a link from its page: the dialogue run it builds, the benchmark it runs or judges, the generation it grows.</summary>
public sealed record JobSubject(string Label, string Href);

/// <summary>
/// A job's place among the others: what it works on, and for a dialogue build split across workers,
/// the whole build's job (<see cref="ParentId"/>) or its parts.
/// </summary>
public sealed record JobRelations(JobSubject? Subject, long? ParentId, IReadOnlyList<JobRow> Parts)
{
    public static readonly JobRelations None = new(null, null, []);

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<JobRelations> FindAsync(AloeDbContext db, JobRun run, CancellationToken cancellationToken = default)
    {
        switch (run.Kind)
        {
            case DialogueBuildJob.JobKind:
                var build = await db.Set<DialogueRun>().AsNoTracking().Where(r => r.JobRunId == run.Id).Select(r => new { r.Id, r.Title }).FirstOrDefaultAsync(cancellationToken);
                var partIds = Read<DialogueBuildJob.Parameters>(run)?.PartJobRunIds ?? [];
                var parts = partIds.Count == 0 ? [] : await db.Set<JobRun>().AsNoTracking().Where(j => partIds.Contains(j.Id)).OrderBy(j => j.Id).Select(JobRow.From).ToListAsync(cancellationToken);
                return new(build is null ? null : new($"Dialogue run {build.Id}: {build.Title}", $"/dialogues/runs/{build.Id}"), null, parts);
            case DialogueBuildPartJob.JobKind:
                var whole = await db.Set<DialogueRun>().AsNoTracking().Where(r => r.Id == (Read<DialogueBuildPartJob.Parameters>(run) ?? new()).DialogueRunId)
                    .Select(r => new { r.Id, r.Title, r.JobRunId }).FirstOrDefaultAsync(cancellationToken);
                return whole is null ? None : new(new($"Dialogue run {whole.Id}: {whole.Title}", $"/dialogues/runs/{whole.Id}"), whole.JobRunId, []);
            case DialogueExpandJob.JobKind:
                var turnId = Read<DialogueExpandJob.Parameters>(run)?.TurnId;
                var dialogueId = await db.Set<DialogueTurn>().AsNoTracking().Where(t => t.Id == turnId).Select(t => (long?)t.DialogueId).FirstOrDefaultAsync(cancellationToken);
                return Only(dialogueId is { } d ? new($"Dialogue {d}", $"/dialogues/{d}") : null);
            case BenchmarkRunJob.JobKind:
                var bench = await db.Set<BenchmarkRun>().AsNoTracking().Where(r => r.JobRunId == run.Id).Select(r => new { r.Id, r.Name }).FirstOrDefaultAsync(cancellationToken);
                return Only(bench is null ? null : new($"Benchmark run {bench.Id}: {bench.Name}", $"/benchmark/runs/{bench.Id}"));
            case BenchmarkJudgeJob.JobKind:
                var scoringId = Read<BenchmarkJudgeJob.Parameters>(run)?.ScoringId;
                var judged = await db.Set<BenchmarkScoring>().AsNoTracking().Where(s => s.Id == scoringId).Select(s => (long?)s.RunId).FirstOrDefaultAsync(cancellationToken);
                return Only(judged is { } b ? new($"Benchmark run {b} (scoring {scoringId})", $"/benchmark/runs/{b}") : null);
            case PoolGenerationJob.JobKind:
                var generation = await db.Set<GenerationRun>().AsNoTracking().Where(r => r.JobRunId == run.Id).Select(r => (long?)r.Id).FirstOrDefaultAsync(cancellationToken);
                return Only(generation is { } g ? new($"Generation run {g}", $"/personas/runs/{g}") : null);
            case PoolRefreshJob.JobKind:
                return Only(new("Pool analysis", "/personas/analysis"));
            case AnalysisFitJob.JobKind or AttributeScoringJob.JobKind:
                return Only(new("Constructiveness analysis", "/analysis"));
            default:
                return None;
        }
    }

    static JobRelations Only(JobSubject? subject) => subject is null ? None : new(subject, null, []);

    static T? Read<T>(JobRun run) where T : class
    {
        try { return JsonSerializer.Deserialize<T>(run.ParametersJson, Json); }
        catch (JsonException) { return null; }
    }
}
