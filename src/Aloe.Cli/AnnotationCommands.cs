using System.CommandLine;
using System.Globalization;
using Aloe.Core.Annotation;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Cli;

/// <summary>`aloe annotation create|list|export|import|report`: human rating campaigns (paper, section 5.4).</summary>
internal static class AnnotationCommands
{
    public static Command Create(IServiceProvider services)
    {
        var json = CliOutput.JsonOption();
        var campaignId = new Option<long>("--campaign") { Description = "Campaign id", Required = true };

        var benchmarkRun = new Option<long?>("--benchmark-run") { Description = "Rate responses of this benchmark run (the paper's design by default)" };
        var dialogueRun = new Option<long?>("--dialogue-run") { Description = "Pairwise: which answer of this dialogue run's turns suits the persona" };
        var itemsCsv = new Option<FileInfo?>("--items-csv") { Description = "Items made elsewhere: CSV with item,profile,personality,message,response[,response_b,judge,expected,turn,case]" };
        var perTurn = new Option<int>("--per-turn") { Description = "Responses sampled per turn (paper: 5)", DefaultValueFactory = _ => 5 };
        var items = new Option<int>("--items") { Description = "Answer pairs sampled from a dialogue run", DefaultValueFactory = _ => 50 };
        var annotators = new Option<int>("--annotators") { Description = "Annotators planned (paper: 3)", DefaultValueFactory = _ => 3 };
        var perItem = new Option<int?>("--annotators-per-item") { Description = "Overlap: annotators per item (default: all of them)" };
        var seed = new Option<int>("--seed") { Description = "Seed for the sample and each annotator's order", DefaultValueFactory = _ => Agreement.DefaultSeed };
        var attention = new Option<int>("--attention-checks") { Description = "Instructed-response items added to every annotator's order", DefaultValueFactory = _ => 0 };
        var noShuffle = new Option<bool>("--no-shuffle") { Description = "Every annotator sees the items in the same order" };
        var name = new Option<string?>("--name") { Description = "A name for the campaign" };
        var create = new Command("create", "Create a campaign from a benchmark run, preference dialogues or a CSV of items")
            { benchmarkRun, dialogueRun, itemsCsv, perTurn, items, annotators, perItem, seed, attention, noShuffle, name, json };
        create.SetAction((parse, cancellationToken) => ReportingErrorsAsync(async () =>
        {
            var service = services.GetRequiredService<AnnotationService>();
            var sources = new object?[] { parse.GetValue(benchmarkRun), parse.GetValue(dialogueRun), parse.GetValue(itemsCsv) }.Count(s => s is not null);
            if (sources != 1)
                throw new ArgumentException("Give exactly one of --benchmark-run, --dialogue-run or --items-csv.");
            AnnotationCampaign campaign;
            if (parse.GetValue(benchmarkRun) is { } runId)
                campaign = await service.CreateFromBenchmarkAsync(new BenchmarkCampaignRequest
                {
                    BenchmarkRunId = runId, PerTurn = parse.GetValue(perTurn), Annotators = parse.GetValue(annotators), AnnotatorsPerItem = parse.GetValue(perItem),
                    Seed = parse.GetValue(seed), AttentionChecks = parse.GetValue(attention), Shuffle = !parse.GetValue(noShuffle), Name = parse.GetValue(name), CreatedBy = Environment.UserName,
                }, cancellationToken);
            else if (parse.GetValue(dialogueRun) is { } dialogueRunId)
                campaign = await service.CreateFromDialoguesAsync(new DialogueCampaignRequest
                {
                    DialogueRunId = dialogueRunId, Items = parse.GetValue(items), Annotators = parse.GetValue(annotators), AnnotatorsPerItem = parse.GetValue(perItem),
                    Seed = parse.GetValue(seed), Name = parse.GetValue(name), CreatedBy = Environment.UserName,
                }, cancellationToken);
            else
            {
                using var reader = parse.GetValue(itemsCsv)!.OpenText();
                campaign = await service.CreateFromCsvAsync(new CsvCampaignRequest
                {
                    Name = parse.GetValue(name) ?? Path.GetFileNameWithoutExtension(parse.GetValue(itemsCsv)!.Name), Annotators = parse.GetValue(annotators),
                    AnnotatorsPerItem = parse.GetValue(perItem), Seed = parse.GetValue(seed), CreatedBy = Environment.UserName,
                }, reader, cancellationToken);
            }
            var row = (await service.ListAsync(cancellationToken)).Single(r => r.Campaign.Id == campaign.Id);
            if (parse.GetValue(json))
                CliOutput.WriteJson(Console.Out, row);
            else
                Console.WriteLine($"Campaign {campaign.Id} '{campaign.Name}': {row.Items} items from {campaign.Source}; {campaign.Annotators} annotators planned, {campaign.AnnotatorsPerItem} per item.");
            return 0;
        }));

        var list = new Command("list", "List campaigns") { json };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var rows = await services.GetRequiredService<AnnotationService>().ListAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(Console.Out, rows);
                return;
            }
            CliOutput.WriteTable(Console.Out, ["ID", "TASK", "ITEMS", "ANNOTATORS", "RATINGS", "NAME"], rows.Select(r => (IReadOnlyList<string>)
                [I(r.Campaign.Id), r.Campaign.Task.ToString().ToLowerInvariant(), I(r.Items), I(r.Annotators), I(r.Ratings), r.Campaign.Name]));
        });

        var output = new Option<FileInfo>("--out") { Description = "CSV file to write (item,rater,rating; the judge's ratings under rater 'judge')", Required = true };
        var export = new Command("export", "Export ratings in long format, the judge's included (input for `aloe agreement`)") { campaignId, output };
        export.SetAction((parse, cancellationToken) => ReportingErrorsAsync(async () =>
        {
            await using (var writer = parse.GetValue(output)!.CreateText())
                await services.GetRequiredService<AnnotationService>().ExportAsync(parse.GetValue(campaignId), writer, cancellationToken);
            Console.Error.WriteLine($"Wrote {parse.GetValue(output)!.FullName}.");
            return 0;
        }));

        var file = new Argument<FileInfo>("file") { Description = "CSV with header item,rater,rating (ratings collected offline)" };
        var import = new Command("import", "Import ratings collected offline; any bad line imports nothing") { campaignId, file, json };
        import.SetAction((parse, cancellationToken) => ReportingErrorsAsync(async () =>
        {
            using var reader = parse.GetValue(file)!.OpenText();
            var result = await services.GetRequiredService<AnnotationService>().ImportAsync(parse.GetValue(campaignId), reader, cancellationToken);
            if (parse.GetValue(json))
                CliOutput.WriteJson(Console.Out, result);
            else
                Console.WriteLine($"Imported {result.Ratings} ratings" + (result.NewAnnotators.Count > 0 ? $"; new annotators: {string.Join(", ", result.NewAnnotators)}." : "."));
            return 0;
        }));

        var resamples = new Option<int>("--resamples") { Description = "Bootstrap resamples for kappa intervals", DefaultValueFactory = _ => Agreement.DefaultResamples };
        var report = new Command("report", "Agreement with the judge (Cohen's kappa per annotator and their mean), between annotators, AL curves") { campaignId, resamples, seed, json };
        report.SetAction((parse, cancellationToken) => ReportingErrorsAsync(async () =>
        {
            var result = await services.GetRequiredService<AnnotationReports>().ReportAsync(parse.GetValue(campaignId), parse.GetValue(resamples), parse.GetValue(seed), cancellationToken);
            if (parse.GetValue(json))
                CliOutput.WriteJson(Console.Out, result);
            else
                WriteReport(result);
            return 0;
        }));

        return new Command("annotation", "Human annotation campaigns and their agreement with the judge") { create, list, export, import, report };
    }

    static void WriteReport(AnnotationReport report)
    {
        Console.WriteLine($"Campaign {report.Campaign.Id} '{report.Campaign.Name}': {report.Items} items from {report.Campaign.Source}");
        CliOutput.WriteTable(Console.Out, ["ANNOTATOR", "ASSIGNED", "RATED", "SKIPPED", "FLAGGED", "MEDIAN S", "ATTENTION"], report.Progress.Select(p => (IReadOnlyList<string>)
            [p.Annotator, I(p.Assigned), I(p.Rated), I(p.Skipped), I(p.Flagged), F(p.MedianSeconds, "0.0"), p.AttentionAnswered == 0 ? "-" : $"{p.AttentionPassed}/{p.AttentionAnswered}"]));
        Console.WriteLine();
        Console.WriteLine("Cohen's kappa against the judge (SE; 95% bootstrap interval):");
        CliOutput.WriteTable(Console.Out, ["ANNOTATOR", "N", "UNWEIGHTED", "LINEAR", "QUADRATIC"], report.VersusJudge.Select(r => (IReadOnlyList<string>)
            [r.Annotator, I(r.Items), K(r.Unweighted), K(r.Linear), K(r.Quadratic)]));
        Console.WriteLine($"Mean over {report.Mean.Annotators} annotators: unweighted {F(report.Mean.Unweighted)}, linear {F(report.Mean.Linear)}, quadratic {F(report.Mean.Quadratic)} (paper: 0.789)");
        if (report.BetweenAnnotators.Count > 0)
            Console.WriteLine("Between annotators: " + string.Join(", ", report.BetweenAnnotators.Select(c => $"{c.Metric} {F(c.Value)}")));
        foreach (var curve in report.Curves)
            Console.WriteLine($"AL(k) {curve.Name}: {string.Join(" ", curve.AlignmentLevels.Select(l => F(l, "0.00")))}  IR {F(curve.Summary?.ImprovementRate)}");
    }

    static string K(CohenKappa k) => k.Value is null ? "undefined" : $"{F(k.Value)} ({F(k.StandardError)}; {F(k.Interval?.Low, "0.00")} to {F(k.Interval?.High, "0.00")})";

    static string F(double? value, string format = "0.000") => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";

    static string I(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Bad requests and malformed files print their message (exit code 1), not a stack trace.</summary>
    static async Task<int> ReportingErrorsAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException or FormatException or IOException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }
}
