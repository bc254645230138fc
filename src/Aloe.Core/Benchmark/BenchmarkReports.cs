using System.Globalization;
using System.Text;
using System.Text.Json;
using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Benchmark;

/// <summary>A run in the runs grid: its job, headline metrics of its first scoring and that scoring's judge model.</summary>
public sealed record BenchmarkRunRow(BenchmarkRun Run, JobRun? Job, AlignmentSummary? Summary, string JudgeModel = "");

/// <summary>The columns the runs grid can be sorted by.</summary>
public enum BenchmarkRunSort { Created, Name, Model, Average, ImprovementRate, Judge, Cases, Status }

/// <summary>The cases before and after one in its run (by case index), for previous/next navigation.</summary>
public sealed record BenchmarkCaseNeighbours(long? Previous, long? Next);

public sealed record BenchmarkRunList(IReadOnlyList<BenchmarkRunRow> Rows, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>A case's row on the run page: its per-turn scores in the chosen scoring.</summary>
public sealed record BenchmarkCaseRow(BenchmarkCase Case, IReadOnlyList<int?> Scores, int TurnsReached, int FailedScores);

public sealed record BenchmarkRunDetail(
    BenchmarkRun Run,
    JobRun? Job,
    IReadOnlyList<BenchmarkScoring> Scorings,
    BenchmarkScoring Scoring,
    AlignmentReport Report,
    IReadOnlyList<BenchmarkCaseRow> Cases,
    IReadOnlyDictionary<string, RoleProvenance> Roles,
    IReadOnlyDictionary<string, string> PromptHashes,
    int FailedScores);

public sealed record BenchmarkTranscriptTurn(BenchmarkTurn Turn, BenchmarkScore? Score);

public sealed record BenchmarkTranscript(BenchmarkRun Run, BenchmarkCase Case, BenchmarkScoring Scoring, IReadOnlyList<BenchmarkTranscriptTurn> Turns);

/// <summary>Several runs on shared axes; each later run is compared with the first on the cases they share.</summary>
public sealed record BenchmarkComparison(IReadOnlyList<BenchmarkRunDetail> Runs, IReadOnlyList<PairedComparison?> VersusFirst);

/// <summary>Reads stored runs and computes their metrics (analysis never reads live state).</summary>
internal sealed class BenchmarkReports(IDbContextFactory<AloeDbContext> dbFactory)
{
    /// <summary>
    /// A page of runs. Stored columns sort and page in the database; the computed ones (average,
    /// IR, judge, status) need every matching run's metrics, computed without bootstrap.
    /// </summary>
    public async Task<BenchmarkRunList> ListAsync(int page = 1, int pageSize = 20, string? search = null,
        BenchmarkRunSort sort = BenchmarkRunSort.Created, bool descending = true, CancellationToken cancellationToken = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 100);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<BenchmarkRun>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
            query = query.Where(r => r.Name.Contains(search) || r.EvaluatedModel.Contains(search));
        var total = await query.CountAsync(cancellationToken);
        var stored = sort switch
        {
            BenchmarkRunSort.Name => descending ? query.OrderByDescending(r => r.Name) : query.OrderBy(r => r.Name),
            BenchmarkRunSort.Model => descending ? query.OrderByDescending(r => r.EvaluatedModel) : query.OrderBy(r => r.EvaluatedModel),
            BenchmarkRunSort.Cases => descending ? query.OrderByDescending(r => r.CaseCount) : query.OrderBy(r => r.CaseCount),
            _ => (IOrderedQueryable<BenchmarkRun>?)null,
        };
        if (sort is BenchmarkRunSort.Created or BenchmarkRunSort.Name or BenchmarkRunSort.Model or BenchmarkRunSort.Cases)
        {
            var ordered = stored is null
                ? descending ? query.OrderByDescending(r => r.Id) : query.OrderBy(r => r.Id)
                : descending ? stored.ThenByDescending(r => r.Id) : stored.ThenBy(r => r.Id);
            var runs = await ordered.Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
            return new BenchmarkRunList(await RowsAsync(db, runs, cancellationToken), total, page, pageSize);
        }
        var all = await RowsAsync(db, await query.OrderByDescending(r => r.Id).ToListAsync(cancellationToken), cancellationToken);
        IEnumerable<BenchmarkRunRow> sorted = sort switch
        {
            BenchmarkRunSort.Average => By(all, r => r.Summary?.Average, descending),
            BenchmarkRunSort.ImprovementRate => By(all, r => r.Summary?.ImprovementRate, descending),
            BenchmarkRunSort.Judge => By(all, r => r.JudgeModel + " " + r.Run.JudgeMode, descending),
            _ => By(all, r => r.Job?.Status.ToString(), descending),
        };
        return new BenchmarkRunList(sorted.Skip((page - 1) * pageSize).Take(pageSize).ToList(), total, page, pageSize);
    }

    /// <summary>Sorted by the key (runs without one last in either direction), then newest first.</summary>
    static IEnumerable<BenchmarkRunRow> By<T>(IEnumerable<BenchmarkRunRow> rows, Func<BenchmarkRunRow, T?> key, bool descending)
    {
        var withKey = rows.Where(r => key(r) is not null);
        var ordered = descending ? withKey.OrderByDescending(key) : withKey.OrderBy(key);
        return ordered.ThenByDescending(r => r.Run.Id).Concat(rows.Where(r => key(r) is null));
    }

    async Task<List<BenchmarkRunRow>> RowsAsync(AloeDbContext db, List<BenchmarkRun> runs, CancellationToken cancellationToken)
    {
        var jobIds = runs.Where(r => r.JobRunId is not null).Select(r => r.JobRunId!.Value).ToList();
        var jobs = await db.Set<JobRun>().AsNoTracking().Where(j => jobIds.Contains(j.Id)).ToDictionaryAsync(j => j.Id, cancellationToken);
        var rows = new List<BenchmarkRunRow>();
        foreach (var run in runs)
        {
            var scoring = await db.Set<BenchmarkScoring>().AsNoTracking().Where(s => s.RunId == run.Id).OrderBy(s => s.Id).FirstAsync(cancellationToken);
            var scores = await CaseScoresAsync(db, run, scoring.Id, cancellationToken);
            var report = AlignmentStatistics.Analyze(scores, run.Turns, resamples: 0);
            rows.Add(new BenchmarkRunRow(run, run.JobRunId is { } id ? jobs.GetValueOrDefault(id) : null, report.Summary, scoring.JudgeModel));
        }
        return rows;
    }

    public async Task<BenchmarkCaseNeighbours> CaseNeighboursAsync(long runId, long caseId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var index = await db.Set<BenchmarkCase>().Where(c => c.Id == caseId && c.RunId == runId).Select(c => (int?)c.Index).SingleOrDefaultAsync(cancellationToken);
        if (index is null)
            return new BenchmarkCaseNeighbours(null, null);
        var inRun = db.Set<BenchmarkCase>().Where(c => c.RunId == runId);
        var previous = await inRun.Where(c => c.Index < index).OrderByDescending(c => c.Index).Select(c => (long?)c.Id).FirstOrDefaultAsync(cancellationToken);
        var next = await inRun.Where(c => c.Index > index).OrderBy(c => c.Index).Select(c => (long?)c.Id).FirstOrDefaultAsync(cancellationToken);
        return new BenchmarkCaseNeighbours(previous, next);
    }

    /// <summary>The run with the metrics of one scoring (default: the run's own judging).</summary>
    // The report's bootstrap intervals cost most of a run page's CPU (about 20 ms for 20 cases); the
    // same scores give the same report (the seed is the run's), so it is kept until a score changes.
    readonly StampedCache<(long Run, long Scoring), (int Turns, int Seed, string Scores), AlignmentReport> reports = new();

    public async Task<BenchmarkRunDetail?> GetAsync(long runId, long? scoringId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Set<BenchmarkRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
            return null;
        var job = run.JobRunId is { } jobId ? await db.Set<JobRun>().AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken) : null;
        var scorings = await db.Set<BenchmarkScoring>().AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        var scoring = scorings.FirstOrDefault(s => s.Id == scoringId) ?? scorings[0];
        var cases = await db.Set<BenchmarkCase>().AsNoTracking().Where(c => c.RunId == runId).OrderBy(c => c.Index).ToListAsync(cancellationToken);
        var cells = await CellsAsync(db, runId, scoring.Id, cancellationToken);
        var rows = cases.Select(c =>
        {
            var mine = cells.Where(x => x.CaseId == c.Id).ToList();
            var scores = Enumerable.Range(1, run.Turns).Select(k => mine.FirstOrDefault(x => x.Turn == k)?.Score).ToList();
            return new BenchmarkCaseRow(c, scores, mine.Count, mine.Count(x => x.Failed));
        }).ToList();
        var input = rows.Select(r => new CaseScores(r.Case.CaseKey, r.Scores.Select(s => (double?)s).ToList())).ToList();
        var stamp = string.Join(';', input.Select(c => c.CaseKey + ":" + string.Join(',', c.Scores)));
        var report = await reports.GetAsync((runId, scoring.Id), (run.Turns, run.Provenance.Seed, stamp),
            () => Task.FromResult(AlignmentStatistics.Analyze(input, run.Turns, seed: run.Provenance.Seed)));
        return new BenchmarkRunDetail(run, job, scorings, scoring, report, rows, run.Provenance.Roles, run.Provenance.PromptHashes, cells.Count(c => c.Failed));
    }

    public async Task<BenchmarkTranscript?> TranscriptAsync(long runId, long caseId, long? scoringId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Set<BenchmarkRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        var benchmarkCase = await db.Set<BenchmarkCase>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == caseId && c.RunId == runId, cancellationToken);
        if (run is null || benchmarkCase is null)
            return null;
        var scorings = await db.Set<BenchmarkScoring>().AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        var scoring = scorings.FirstOrDefault(s => s.Id == scoringId) ?? scorings[0];
        var turns = await db.Set<BenchmarkTurn>().AsNoTracking().Where(t => t.CaseId == caseId).OrderBy(t => t.Turn).ToListAsync(cancellationToken);
        var turnIds = turns.Select(t => t.Id).ToList();
        var scores = await db.Set<BenchmarkScore>().AsNoTracking().Where(s => s.ScoringId == scoring.Id && turnIds.Contains(s.TurnId)).ToDictionaryAsync(s => s.TurnId, cancellationToken);
        return new BenchmarkTranscript(run, benchmarkCase, scoring, turns.Select(t => new BenchmarkTranscriptTurn(t, scores.GetValueOrDefault(t.Id))).ToList());
    }

    public async Task<BenchmarkComparison> CompareAsync(IReadOnlyList<long> runIds, CancellationToken cancellationToken = default)
    {
        var runs = new List<BenchmarkRunDetail>();
        foreach (var id in runIds.Distinct())
            if (await GetAsync(id, cancellationToken: cancellationToken) is { } detail)
                runs.Add(detail);
        var versus = runs.Select((r, i) => i == 0 ? null : PairedVersus(r, runs[0])).ToList();
        return new BenchmarkComparison(runs, versus);
    }

    /// <summary>Run A minus run B on their shared cases (the later run against the baseline).</summary>
    static PairedComparison? PairedVersus(BenchmarkRunDetail a, BenchmarkRunDetail b) =>
        a.Run.Turns != b.Run.Turns ? null : AlignmentStatistics.Compare(ToCaseScores(a), ToCaseScores(b), a.Run.Turns, seed: a.Run.Seed);

    internal static IReadOnlyList<CaseScores> ToCaseScores(BenchmarkRunDetail detail) =>
        detail.Cases.Select(r => new CaseScores(r.Case.CaseKey, r.Scores.Select(s => (double?)s).ToList())).ToList();

    /// <summary>One line per stored turn: case, turn, score (empty when the judge failed), status.</summary>
    public static string ScoresCsv(BenchmarkRunDetail detail)
    {
        var csv = new StringBuilder("run,scoring,case,turn,score,status\n");
        foreach (var row in detail.Cases)
            for (var k = 0; k < row.TurnsReached && k < row.Scores.Count; k++)
                csv.Append(CultureInfo.InvariantCulture, $"{detail.Run.Id},{detail.Scoring.Id},{Csv.Field(row.Case.CaseKey)},{k + 1},{row.Scores[k]},{(row.Scores[k] is null ? "failed" : "scored")}\n");
        return csv.ToString();
    }

    /// <summary>Table 1 layout: one row per run with AL(1..K), n(1..K), average, IR, N-IR, R2, N-R2 and the intervals.</summary>
    public static string MetricsCsv(IReadOnlyList<BenchmarkRunDetail> runs)
    {
        var turns = runs.Count == 0 ? 0 : runs.Max(r => r.Run.Turns);
        var csv = new StringBuilder("run,model,judge_mode,scoring," + string.Join(",", Enumerable.Range(1, turns).Select(k => $"al_k{k}")) + ","
            + string.Join(",", Enumerable.Range(1, turns).Select(k => $"n_k{k}")) + ",average,average_low,average_high,ir,ir_low,ir_high,n_ir,r2,n_r2\n");
        foreach (var run in runs)
        {
            var r = run.Report;
            var s = r.Summary;
            var cells = new List<string> { run.Run.Id.ToString(CultureInfo.InvariantCulture), Csv.Field(run.Run.EvaluatedModel), run.Scoring.JudgeMode.ToString(), run.Scoring.Id.ToString(CultureInfo.InvariantCulture) };
            cells.AddRange(Enumerable.Range(0, turns).Select(k => k < r.Turns.Count ? Number(r.Turns[k].AlignmentLevel) : ""));
            cells.AddRange(Enumerable.Range(0, turns).Select(k => k < r.Turns.Count ? r.Turns[k].N.ToString(CultureInfo.InvariantCulture) : ""));
            cells.AddRange([Number(s?.Average), Number(r.AverageInterval?.Low), Number(r.AverageInterval?.High), Number(s?.ImprovementRate),
                Number(r.ImprovementRateInterval?.Low), Number(r.ImprovementRateInterval?.High), Number(s?.NormalizedImprovementRate), Number(s?.RSquared), Number(s?.NormalizedRSquared)]);
            csv.Append(string.Join(",", cells)).Append('\n');
        }
        return csv.ToString();
    }

    static string Number(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "";


    sealed record Cell(long CaseId, int Turn, int? Score, bool Failed);

    static async Task<List<Cell>> CellsAsync(AloeDbContext db, long runId, long scoringId, CancellationToken cancellationToken) =>
        await (from t in db.Set<BenchmarkTurn>()
               join c in db.Set<BenchmarkCase>() on t.CaseId equals c.Id
               where c.RunId == runId
               join s in db.Set<BenchmarkScore>().Where(s => s.ScoringId == scoringId) on t.Id equals s.TurnId into ss
               from s in ss.DefaultIfEmpty()
               select new Cell(t.CaseId, t.Turn, s == null ? null : s.Score, s != null && s.Score == null))
            .AsNoTracking().ToListAsync(cancellationToken);

    static async Task<IReadOnlyList<CaseScores>> CaseScoresAsync(AloeDbContext db, BenchmarkRun run, long scoringId, CancellationToken cancellationToken)
    {
        var cases = await db.Set<BenchmarkCase>().AsNoTracking().Where(c => c.RunId == run.Id).Select(c => new { c.Id, c.CaseKey }).ToListAsync(cancellationToken);
        var cells = (await CellsAsync(db, run.Id, scoringId, cancellationToken)).ToLookup(c => c.CaseId);
        return cases.Select(c => new CaseScores(c.CaseKey,
            Enumerable.Range(1, run.Turns).Select(k => (double?)cells[c.Id].FirstOrDefault(x => x.Turn == k)?.Score).ToList())).ToList();
    }
}
