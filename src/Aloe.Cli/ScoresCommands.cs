using System.CommandLine;
using System.Globalization;
using Aloe.Core.Analysis.Prism;
using Aloe.Core.Analysis.Scoring;
using Aloe.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Cli;

/// <summary>
/// `aloe analysis score|import-prism|scores|table`: the attribute scores and PRISM data that the
/// constructiveness models (Kyrychenko et al. 2025) are fitted on. <see cref="Verbs"/> can join
/// another `analysis` command (fit, report) as its subcommands.
/// </summary>
internal static class ScoresCommands
{
    public static Command Create(IServiceProvider services)
    {
        var analysis = new Command("analysis", "Constructiveness analysis (Kyrychenko et al. 2025): attribute scores, PRISM import, the scored table, Bayesian mixed-effects models");
        foreach (var verb in Verbs(services))
            analysis.Add(verb);
        analysis.Add(ModelCommands.Fit());
        analysis.Add(AnalysisReportCommand.Create(services));
        return analysis;
    }

    public static IReadOnlyList<Command> Verbs(IServiceProvider services)
    {
        var json = CliOutput.JsonOption();
        var source = new Option<string>("--source") { Description = "Texts to score: dialogues, benchmark, annotations or prism", Required = true };
        source.AcceptOnlyFromAmong([.. ScoringSources.All]);
        var scorer = new Option<string>("--scorer") { Description = "perspective (Perspective API), llm (the Attributes role), csv (import --file), simulated (lexical cues, not a measurement)", Required = true };
        scorer.AcceptOnlyFromAmong("perspective", "llm", "csv", "simulated");
        var attributes = new Option<string?>("--attributes") { Description = "Comma-separated attributes (default: all eight)" };
        var file = new Option<FileInfo?>("--file") { Description = "With --scorer csv: text_id,ATTRIBUTE,... rows of scores computed elsewhere" };
        var label = new Option<string?>("--label") { Description = "With --scorer csv: the version stored with the scores (default: the file name)" };
        var score = new Command("score", "Score a source's texts (a resumable job; texts already scored by this scorer version are skipped)") { source, scorer, attributes, file, label, json };
        score.SetAction((parse, cancellationToken) => ReportingErrorsAsync(async () =>
        {
            if (parse.GetValue(scorer) == ScoreCsvImporter.ScorerId)
            {
                var csv = parse.GetValue(file) ?? throw new ArgumentException("--scorer csv needs --file FILE.csv.");
                using var reader = csv.OpenText();
                var imported = await services.GetRequiredService<ScoreCsvImporter>().ImportAsync(parse.GetValue(source)!, reader,
                    parse.GetValue(label) ?? Path.GetFileNameWithoutExtension(csv.Name), cancellationToken);
                if (parse.GetValue(json))
                    CliOutput.WriteJson(Console.Out, imported);
                else
                    Console.WriteLine($"Imported {imported.Scores} scores of {imported.Texts} texts as csv {imported.ScorerVersion}.");
                return 0;
            }
            var scoring = services.GetRequiredService<AttributeScoringService>();
            var started = await scoring.StartAsync(parse.GetValue(source)!, parse.GetValue(scorer)!, parse.GetValue(attributes), cancellationToken);
            if (!parse.GetValue(json))
                Console.Error.WriteLine($"Scoring run {started.JobRunId}: {started.Source} by {started.Scorer} {started.ScorerVersion}{(started.Simulated ? " (simulated, not a measurement)" : "")}...");
            await services.GetRequiredService<JobRunner>().ExecuteAsync(started.JobRunId, cancellationToken);
            var progress = (await scoring.ProgressAsync(started.JobRunId, cancellationToken))!;
            if (parse.GetValue(json))
                CliOutput.WriteJson(Console.Out, progress);
            else
                Console.WriteLine($"{progress.Status}: {progress.Message}{(progress.Error is { } e ? " - " + e : "")}");
            return progress.Status == nameof(JobStatus.Succeeded) ? 0 : 1;
        }));

        var directory = new Argument<DirectoryInfo>("dir") { Description = "Folder with PRISM's utterances.jsonl, conversations.jsonl and survey.jsonl" };
        var importPrism = new Command("import-prism", "Import a local copy of the PRISM data set (replaces the PRISM data stored before; nothing is stored if any line is malformed)") { directory, json };
        importPrism.SetAction((parse, cancellationToken) => ReportingErrorsAsync(async () =>
        {
            var result = await services.GetRequiredService<PrismImporter>().ImportAsync(parse.GetValue(directory)!.FullName, cancellationToken);
            if (parse.GetValue(json))
                CliOutput.WriteJson(Console.Out, result);
            else
                Console.WriteLine($"Imported {result.Utterances} utterances ({result.Interactions} interactions), {result.Conversations} conversations and {result.Participants} participants in {result.Seconds.ToString(CultureInfo.InvariantCulture)} s; {result.EmptyTexts} utterances have an \"EMPTY STRING\" text.");
            return 0;
        }));

        var scores = new Command("scores", "Stored scores by scorer version, recent scoring runs and failures") { json };
        scores.SetAction(async (parse, cancellationToken) =>
        {
            var status = await services.GetRequiredService<AttributeScoringService>().StatusAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(Console.Out, status);
                return;
            }
            if (status.Stored.Count == 0)
                Console.WriteLine("No attribute scores yet. Score with: aloe analysis score --source dialogues --scorer simulated");
            else
                CliOutput.WriteTable(Console.Out, ["SCORER", "VERSION", "SCORED", "FAILED", "TRUNCATED"], status.Stored.Select(s => (IReadOnlyList<string>)
                    [s.ScorerId + (s.Simulated ? " (simulated)" : ""), s.ScorerVersion, I(s.Scored), I(s.Failed), I(s.Truncated)]));
            foreach (var failure in status.RecentFailures.Take(5))
                Console.WriteLine($"failed: {failure.Attribute} by {failure.ScorerId} ({failure.Attempts} tries): {failure.Error}");
        });

        var tableSource = new Option<string>("--source") { Description = "dialogues, benchmark, annotations or prism", Required = true };
        var tableScorer = new Option<string>("--scorer") { Description = "Scorer id whose scores to use", Required = true };
        var version = new Option<string?>("--version") { Description = "Scorer version (default: the one that scored last)" };
        var output = new Option<FileInfo?>("--out") { Description = "Write the CSV here instead of standard output" };
        var all = new Option<bool>("--all") { Description = "Also responses with a missing attribute score (empty cells); by default they are left out, so that aloe analysis fit reads every attribute column as numbers" };
        var table = new Command("table", "The scored table as CSV, one row per response (attributes, prompt_ attributes, chosen, score, log_score, user, conversation, model, moderators): input for aloe analysis fit --data") { tableSource, tableScorer, version, output, all };
        table.SetAction((parse, cancellationToken) => ReportingErrorsAsync(async () =>
        {
            var scored = await services.GetRequiredService<ScoredTableService>().GetAsync(parse.GetValue(tableSource)!, parse.GetValue(tableScorer)!, parse.GetValue(version), cancellationToken);
            var complete = !parse.GetValue(all);
            var responses = scored.Rows.Count(r => r.Role == "response");
            int written;
            if (parse.GetValue(output) is { } path)
            {
                await using var writer = path.CreateText();
                written = ScoredTableService.WriteResponsesCsv(scored, writer, complete);
                Console.Error.WriteLine($"Wrote {written} responses scored by {scored.ScorerId} {scored.ScorerVersion}{(scored.Simulated ? " (simulated)" : "")} to {path.FullName}.");
            }
            else
                written = ScoredTableService.WriteResponsesCsv(scored, Console.Out, complete);
            if (written < responses)
                Console.Error.WriteLine($"Left out {responses - written} of {responses} responses with a missing attribute score (an empty text or a failed score); --all keeps them.");
            return 0;
        }));

        return [score, importPrism, scores, table];
    }

    static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    static async Task<int> ReportingErrorsAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or IOException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }
}
