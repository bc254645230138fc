using System.CommandLine;
using System.Globalization;
using Aloe.Core.Benchmark;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Cli;

/// <summary>`aloe bench run|report|compare|rejudge` and `aloe metrics alignment` (paper, section 3).</summary>
internal static class BenchCommands
{
    public static Command Create(IServiceProvider services)
    {
        var json = CliOutput.JsonOption();
        var evaluated = new Option<string>("--evaluated") { Description = "Model to evaluate (the Evaluated role for this run), e.g. sim-adaptive", Required = true };
        var endpoint = new Option<string?>("--endpoint") { Description = "Endpoint serving that model (default: the configured Evaluated endpoint)" };
        var cases = new Option<int?>("--cases") { Description = "Use the first N cases of the evaluation set (default: all; the paper's set has 100)" };
        var turns = new Option<int>("--turns") { Description = "Turns per conversation, K", DefaultValueFactory = _ => 10 };
        var judgeMode = new Option<string>("--judge-mode") { Description = "paper (persona, message, response) or history (also the conversation so far)", DefaultValueFactory = _ => "paper" };
        judgeMode.AcceptOnlyFromAmong("paper", "history");
        var name = new Option<string?>("--name") { Description = "A name for the run" };
        var sampleSeed = new Option<int?>("--seed") { Description = "Sample seed (default: random, recorded on the run); a run with the same seed replays from the cache" };
        var budget = new Option<double?>("--budget") { Description = "Spending cap in US dollars: the run stops cleanly at it (raise it with 'aloe llm budget' and resume)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only forecast calls, tokens and cost (from the prompt sizes and the run's shape); start nothing" };
        var run = new Command("run", "Run the interactive benchmark in the foreground and print its metrics") { evaluated, endpoint, cases, turns, judgeMode, name, sampleSeed, budget, dryRun, json };
        run.SetAction((parse, cancellationToken) => ReportingErrorsAsync(async () =>
        {
            if (parse.GetValue(dryRun))
            {
                var forecast = await services.GetRequiredService<BenchmarkForecast>().ForecastAsync(new BenchmarkRunRequest
                {
                    EvaluatedModel = parse.GetValue(evaluated)!,
                    EvaluatedEndpoint = parse.GetValue(endpoint),
                    Cases = parse.GetValue(cases),
                    Turns = parse.GetValue(turns),
                    JudgeMode = ParseMode(parse.GetValue(judgeMode)),
                }, cancellationToken);
                CliOutput.WriteForecast(Console.Out, forecast, parse.GetValue(json));
                return 0;
            }
            var started = await services.GetRequiredService<BenchmarkService>().StartRunAsync(new BenchmarkRunRequest
            {
                BudgetUsd = parse.GetValue(budget),
                EvaluatedModel = parse.GetValue(evaluated)!,
                EvaluatedEndpoint = parse.GetValue(endpoint),
                Cases = parse.GetValue(cases),
                Turns = parse.GetValue(turns),
                JudgeMode = ParseMode(parse.GetValue(judgeMode)),
                Name = parse.GetValue(name),
                Seed = parse.GetValue(sampleSeed) ?? LlmRunScope.NewSeed(),
            }, cancellationToken);
            if (!parse.GetValue(json))
                Console.Error.WriteLine($"Benchmark run {started.Id}: {started.CaseCount} cases x {started.Turns} turns of {started.EvaluatedModel}, seed {started.Seed}...");
            await services.GetRequiredService<JobRunner>().ExecuteAsync(started.JobRunId!.Value, cancellationToken);
            return await PrintReportAsync(services, started.Id, null, parse.GetValue(json), cancellationToken);
        }));

        var runId = new Argument<long>("run") { Description = "Benchmark run id" };
        var scoring = new Option<long?>("--scoring") { Description = "Which scoring (judging) of the run; default: the run's own" };
        var report = new Command("report", "Print a run's metrics: AL(k) with n and 95% intervals, average, IR, N-IR, R2, N-R2") { runId, scoring, json };
        report.SetAction((parse, cancellationToken) => PrintReportAsync(services, parse.GetValue(runId), parse.GetValue(scoring), parse.GetValue(json), cancellationToken));

        var runIds = new Argument<long[]>("runs") { Description = "Two or more run ids; the first is the baseline", Arity = new ArgumentArity(2, 20) };
        var compare = new Command("compare", "Compare runs on their shared cases (paired bootstrap difference in average AL)") { runIds, json };
        compare.SetAction(async (parse, cancellationToken) =>
        {
            var comparison = await services.GetRequiredService<BenchmarkReports>().CompareAsync(parse.GetValue(runIds)!, cancellationToken);
            var missing = parse.GetValue(runIds)!.Except(comparison.Runs.Select(r => r.Run.Id)).ToList();
            if (missing.Count > 0)
            {
                Console.Error.WriteLine($"No benchmark run {string.Join(", ", missing)}.");
                return 1;
            }
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(Console.Out, BenchmarkComparisonJson.From(comparison));
                return 0;
            }
            WriteTable1(comparison.Runs);
            for (var i = 1; i < comparison.Runs.Count; i++)
                if (comparison.VersusFirst[i] is { } p)
                    Console.WriteLine($"Run {comparison.Runs[i].Run.Id} - run {comparison.Runs[0].Run.Id} on {p.SharedCases} shared cases: average AL {F(p.AverageDifference)} {Ci(p.AverageDifferenceInterval)}, IR {F(p.ImprovementRateDifference)} {Ci(p.ImprovementRateDifferenceInterval)}");
                else
                    Console.WriteLine($"Run {comparison.Runs[i].Run.Id}: a different number of turns from run {comparison.Runs[0].Run.Id}, so no paired difference.");
            return 0;
        });

        var rejudgeMode = new Option<string>("--judge-mode") { Description = "paper or history", DefaultValueFactory = _ => "paper" };
        rejudgeMode.AcceptOnlyFromAmong("paper", "history");
        var judgeModel = new Option<string?>("--judge-model") { Description = "Judge model (default: the configured Judge)" };
        var rejudge = new Command("rejudge", "Score a run's transcripts again (new scoring; nothing is regenerated)") { runId, rejudgeMode, judgeModel, json };
        rejudge.SetAction((parse, cancellationToken) => ReportingErrorsAsync(async () =>
        {
            var created = await services.GetRequiredService<BenchmarkService>().RejudgeAsync(parse.GetValue(runId), ParseMode(parse.GetValue(rejudgeMode)), parse.GetValue(judgeModel), cancellationToken: cancellationToken);
            await services.GetRequiredService<JobRunner>().ExecuteAsync(created.JobRunId!.Value, cancellationToken);
            return await PrintReportAsync(services, parse.GetValue(runId), created.Id, parse.GetValue(json), cancellationToken);
        }));

        var page = new Option<int>("--page") { Description = "Page of 50 runs, newest first", DefaultValueFactory = _ => 1 };
        var list = new Command("list", "List benchmark runs") { page, json };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var runs = await services.GetRequiredService<BenchmarkReports>().ListAsync(parse.GetValue(page), 50, cancellationToken: cancellationToken);
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(Console.Out, runs.Rows.Select(r => new { run = BenchmarkRunJson.From(r.Run, r.Job), metrics = AlignmentJson.From(r.Summary) }));
                return;
            }
            if (runs.Total == 0)
            {
                Console.WriteLine("No benchmark runs yet. Start one with: aloe bench run --evaluated MODEL");
                return;
            }
            CliOutput.WriteTable(Console.Out, ["ID", "MODEL", "CASES", "K", "JUDGE", "STATUS", "AVERAGE", "IR", "NAME"], runs.Rows.Select(r => (IReadOnlyList<string>)
                [r.Run.Id.ToString(CultureInfo.InvariantCulture), Evaluated(r.Run), r.Run.CaseCount.ToString(CultureInfo.InvariantCulture),
                 r.Run.Turns.ToString(CultureInfo.InvariantCulture), r.Run.JudgeMode.ToString().ToLowerInvariant() + r.Run.Provenance.Mark(LlmRole.Judge), r.Job?.Status.ToString() ?? "?", F(r.Summary?.Average), F(r.Summary?.ImprovementRate), r.Run.Name]));
        });

        return new Command("bench", "Interactive benchmark: Alignment Level per turn and Improvement Rate") { run, report, compare, rejudge, list };
    }

    public static Command CreateMetrics()
    {
        var json = CliOutput.JsonOption();
        var al = new Option<string?>("--al") { Description = "AL(k) for k = 1..K, comma separated (e.g. 2.87,2.94,2.88)" };
        var scores = new Option<FileInfo?>("--scores") { Description = "CSV of case,turn,score: AL(k) is computed first, with 95% bootstrap intervals" };
        var resamples = new Option<int>("--resamples") { Description = "Bootstrap resamples", DefaultValueFactory = _ => AlignmentStatistics.DefaultResamples };
        var seed = new Option<int>("--seed") { Description = "Bootstrap seed", DefaultValueFactory = _ => AlignmentStatistics.DefaultSeed };
        var alignment = new Command("alignment", "Average AL, IR, N-IR, R2 and N-R2 of an AL(k) curve (paper, Table 1)") { al, scores, resamples, seed, json };
        alignment.SetAction(parse =>
        {
            try
            {
                if (parse.GetValue(al) is { } text == (parse.GetValue(scores) is not null))
                    throw new FormatException("Give either --al or --scores.");
                if (parse.GetValue(scores) is { } file)
                {
                    using var reader = file.OpenText();
                    var rows = ScoreCsv.Parse(reader);
                    var report = AlignmentStatistics.Analyze(AlignmentStatistics.FromRows(rows), rows.Max(r => r.Turn), parse.GetValue(resamples), parse.GetValue(seed));
                    if (parse.GetValue(json))
                        CliOutput.WriteJson(Console.Out, AlignmentReportJson.From(report));
                    else
                        WriteReport(report);
                    return 0;
                }
                var levels = ParseLevels(parse.GetValue(al)!);
                var summary = AlignmentMetrics.Summarize(levels);
                if (parse.GetValue(json))
                    CliOutput.WriteJson(Console.Out, AlignmentJson.From(summary));
                else
                    Console.WriteLine($"average {F(summary.Average)}  IR {F(summary.ImprovementRate)}  N-IR {F(summary.NormalizedImprovementRate)}  R2 {F(summary.RSquared)}  N-R2 {F(summary.NormalizedRSquared)}");
                return 0;
            }
            catch (Exception e) when (e is FormatException or ArgumentException or IOException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return new Command("metrics", "Metrics from numbers or files, without a run") { alignment };
    }

    /// <summary>Bad requests and missing set-up print one clear line (exit code 1), not a stack trace.</summary>
    static async Task<int> ReportingErrorsAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException)
        {
            Console.Error.WriteLine(e.Message.Contains("ILlmGateway", StringComparison.Ordinal)
                ? "No language model gateway is configured (the LLM feature registers it)."
                : e.Message);
            return 1;
        }
    }

    static List<double> ParseLevels(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var levels = new List<double>();
        for (var i = 0; i < parts.Length; i++)
            levels.Add(double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
                ? v : throw new FormatException($"--al value {i + 1} ('{parts[i]}') is not a number."));
        return levels;
    }

    static JudgeMode ParseMode(string? mode) => mode == "history" ? JudgeMode.History : JudgeMode.Paper;

    static async Task<int> PrintReportAsync(IServiceProvider services, long runId, long? scoringId, bool json, CancellationToken cancellationToken)
    {
        var detail = await services.GetRequiredService<BenchmarkReports>().GetAsync(runId, scoringId, cancellationToken);
        if (detail is null)
        {
            Console.Error.WriteLine($"No benchmark run {runId}.");
            return 1;
        }
        if (json)
        {
            CliOutput.WriteJson(Console.Out, BenchmarkReportJson.From(detail));
            return 0;
        }
        var run = detail.Run;
        Console.WriteLine($"Run {run.Id} \"{run.Name}\": {Evaluated(run)}, {run.CaseCount} cases ({run.CaseSet}), K = {run.Turns}, " +
            $"judge {detail.Scoring.JudgeModel}{run.Provenance.Mark(LlmRole.Judge)} ({detail.Scoring.JudgeMode.ToString().ToLowerInvariant()} mode), status {detail.Job?.Status.ToString() ?? "?"}.");
        if (run.Provenance.Describe() is { } simulated)
            Console.WriteLine($"{simulated} (the Simulated provider: deterministic stand-ins, not a language model).");
        WriteReport(detail.Report);
        var failedCases = detail.Cases.Count(c => c.Case.Status == BenchmarkCaseStatus.Failed);
        if (failedCases > 0 || detail.FailedScores > 0)
            Console.WriteLine($"{failedCases} case(s) stopped early; {detail.FailedScores} response(s) without a judge score.");
        return 0;
    }

    static void WriteReport(AlignmentReport report)
    {
        CliOutput.WriteTable(Console.Out, ["K", "N", "AL", "95% CI"], report.Turns.Select(t => (IReadOnlyList<string>)
            [t.Turn.ToString(CultureInfo.InvariantCulture), t.N.ToString(CultureInfo.InvariantCulture), F(t.AlignmentLevel), Ci(t.Interval)]));
        var s = report.Summary;
        Console.WriteLine($"average {F(s?.Average)} {Ci(report.AverageInterval)}  IR {F(s?.ImprovementRate)} {Ci(report.ImprovementRateInterval)}  N-IR {F(s?.NormalizedImprovementRate)}  R2 {F(s?.RSquared)}  N-R2 {F(s?.NormalizedRSquared)}");
        if (report.NVariesByTurn && report.CompleteCaseSummary is { } c)
            Console.WriteLine($"n varies by turn; over the {report.CompleteCases} cases scored at every turn: average {F(c.Average)}  IR {F(c.ImprovementRate)}");
    }

    static void WriteTable1(IReadOnlyList<BenchmarkRunDetail> runs)
    {
        var turns = runs.Max(r => r.Run.Turns);
        CliOutput.WriteTable(Console.Out,
            ["RUN", "MODEL", .. Enumerable.Range(1, turns).Select(k => $"k={k}"), "AVERAGE", "IR", "N-IR", "R2", "N-R2"],
            runs.Select(r => (IReadOnlyList<string>)[r.Run.Id.ToString(CultureInfo.InvariantCulture), Evaluated(r.Run),
                .. Enumerable.Range(0, turns).Select(k => k < r.Report.Turns.Count ? F(r.Report.Turns[k].AlignmentLevel, "0.00") : ""),
                F(r.Report.Summary?.Average, "0.00"), F(r.Report.Summary?.ImprovementRate), F(r.Report.Summary?.NormalizedImprovementRate), F(r.Report.Summary?.RSquared), F(r.Report.Summary?.NormalizedRSquared)]));
        foreach (var r in runs)
            if (r.Run.Provenance.Describe() is { } simulated)
                Console.WriteLine($"Run {r.Run.Id}: {simulated} (the Simulated provider, not a language model).");
    }

    /// <summary>The evaluated model, marked "(simulated)" only when that role was (older runs record only the run as a whole).</summary>
    static string Evaluated(BenchmarkRun run) => run.EvaluatedModel +
        (run.Provenance.Simulated().Count == 0 ? (run.Simulated ? " (simulated run)" : "") : run.Provenance.Mark(LlmRole.Evaluated));

    static string F(double? value, string format = "0.000") => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    static string Ci(Interval? interval) => interval is null ? "" : $"[{F(interval.Low)}, {F(interval.High)}]";
}
