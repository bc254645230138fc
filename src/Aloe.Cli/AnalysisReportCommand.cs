using System.CommandLine;
using System.Globalization;
using Aloe.Core.Analysis;
using Aloe.Core.Analysis.Scoring;
using Aloe.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Cli;

/// <summary>
/// `aloe analysis report`: the paper's analyses (preference, moderation, mirroring). Without --source,
/// the summaries of the last stored run that finished (from the page, the CLI or a worker), fitting
/// nothing; with --source, it runs the analyses on that source's stored scores now (a job, resumable
/// like any other) and reports them. The JSON's "origin" says which: "stored" or "ran".
/// </summary>
internal static class AnalysisReportCommand
{
    public static Command Create(IServiceProvider services)
    {
        var source = new Option<string?>("--source") { Description = "Run the analyses now on this source's stored scores (dialogues, benchmark, annotations, prism) or 'demo' (simulated demo data); without it, report the last stored run" };
        source.AcceptOnlyFromAmong([.. ScoringSources.All, AnalysisFits.Demo]);
        var scorer = new Option<string?>("--scorer") { Description = "With --source: whose scores (default simulated)" };
        var version = new Option<string?>("--version") { Description = "With --source: the scorer version (default: the one that scored last)" };
        var defaults = new SamplerOptions();
        var chains = new Option<int>("--chains") { Description = "With --source: Markov chains", DefaultValueFactory = _ => defaults.Chains };
        var warmup = new Option<int>("--warmup") { Description = "With --source: warm-up iterations per chain", DefaultValueFactory = _ => defaults.Warmup };
        var draws = new Option<int>("--draws") { Description = "With --source: kept draws per chain", DefaultValueFactory = _ => defaults.Draws };
        var seed = new Option<ulong>("--seed") { Description = "With --source: random seed", DefaultValueFactory = _ => defaults.Seed };
        var json = CliOutput.JsonOption();
        var command = new Command("report", "Summaries of the constructiveness analyses: the last stored run, or (--source) a run made now")
            { source, scorer, version, chains, warmup, draws, seed, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var fits = services.GetRequiredService<AnalysisFits>();
            StoredAnalysis? analysis;
            string origin;
            try
            {
                if (parse.GetValue(source) is { } name)
                {
                    var run = await fits.StartAsync(new AnalysisFitParameters
                    {
                        Source = name,
                        Scorer = name == AnalysisFits.Demo ? null : parse.GetValue(scorer) ?? SimulatedAttributeScorer.ScorerId,
                        ScorerVersion = parse.GetValue(version),
                        Chains = parse.GetValue(chains), Warmup = parse.GetValue(warmup), Draws = parse.GetValue(draws), Seed = parse.GetValue(seed),
                    }, cancellationToken);
                    Console.Error.WriteLine($"Analysis run {run.Id}: {run.Title}...");
                    await services.GetRequiredService<JobRunner>().ExecuteAsync(run.Id, cancellationToken);
                    analysis = await fits.LatestAsync(cancellationToken);
                    origin = "ran";
                }
                else
                {
                    analysis = await fits.LatestSucceededAsync(cancellationToken)
                        ?? throw new InvalidOperationException("No finished analysis run is stored: run one on the Analysis page, or here with --source SOURCE.");
                    origin = "stored";
                }
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or ModelSpecificationException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
            var report = analysis!.ToJson(origin);
            if (parse.GetValue(json))
                CliOutput.WriteJson(Console.Out, report);
            else
                Write(report, analysis);
            return report.Status == nameof(JobStatus.Succeeded) ? 0 : 1;
        });
        return command;
    }

    static void Write(AnalysisReportJson report, StoredAnalysis analysis)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(report.Origin == "stored" ? "Stored" : "New")} analysis run {report.RunId} ({report.Status}): {analysis.Parameters.DataLabel}{(report.Simulated ? " - SIMULATED, not real data" : "")}, {report.Rows} rows, {report.Chains} chains x ({report.Warmup} + {report.Draws}), seed {report.Seed}, ALOE Studio {report.AppVersion}"));
        if (analysis.Run.Error is { } error)
            Console.WriteLine($"error: {error}");
        foreach (var model in analysis.Report?.All ?? [])
        {
            Console.WriteLine();
            Console.WriteLine($"{model.Key}");
            if (model.Fit is { } fit)
                ModelCommands.Write(fit);
            else
                Console.WriteLine($"  not fitted: {model.Skipped}");
        }
    }
}
