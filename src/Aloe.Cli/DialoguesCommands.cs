using Aloe.Core.Llm;
using System.CommandLine;
using Aloe.Core.Dialogues;
using Aloe.Core.Jobs;
using Aloe.Core.Personas;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Cli;

/// <summary>`aloe dialogues build|list|expand|export|import`: preference dialogues (paper, section 2.1) headless.</summary>
internal static class DialoguesCommands
{
    public static Command Create(IServiceProvider services) =>
        new("dialogues", "Preference dialogues: build, grow branches, export training files, import the authors' format")
        {
            Build(services), Resume(services), List(services), Expand(services), Export(services), Import(services),
        };

    static Command Build(IServiceProvider services)
    {
        var json = CliOutput.JsonOption();
        var personas = new Option<int?>("--personas") { Description = "How many personas (default: every persona of the split)" };
        var split = new Option<string>("--split") { Description = "Persona split: train or eval", DefaultValueFactory = _ => "train" };
        var turns = new Option<int>("--turns") { Description = "Turns per dialogue (K; the paper uses 10)", DefaultValueFactory = _ => 10 };
        var noVerify = new Option<bool>("--no-verify") { Description = "Skip the verifier (on by default, as in the authors' code)" };
        var seed = new Option<int>("--seed") { Description = "Seed for persona order, answer order shown to the verifier, the continuing answer and the models' samples (default: random, recorded; the same seed replays from the cache)", DefaultValueFactory = _ => LlmRunScope.NewSeed() };
        var parallelism = new Option<int>("--parallelism") { Description = "Dialogues in flight at once", DefaultValueFactory = _ => DialogueConstruction.DefaultParallelism };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only forecast calls, tokens and cost (from the prompt sizes and the run's shape); start nothing" };
        var pairing = new Option<string>("--pairing") { Description = "Only personas paired by this scheme (more are paired by it when too few): grid (distinct random pairs), per-profile (each profile 10 times with random personalities, the authors' code) or any", DefaultValueFactory = _ => "any" };
        pairing.AcceptOnlyFromAmong("any", "grid", "per-profile");
        var command = new Command("build", "Build preference dialogues for a set of personas (runs in the foreground; resumable with `aloe jobs`)")
        {
            personas, split, turns, noVerify, seed, parallelism, pairing, dryRun, json,
        };
        PersonaSelection Selection(ParseResult parse) =>
            new(parse.GetValue(split)!, parse.GetValue(personas), parse.GetValue(seed), PairingSchemes.Parse(parse.GetValue(pairing)));
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(dryRun))
            {
                var forecast = await services.GetRequiredService<DialogueForecast>().ForecastAsync(new BuildRequest(
                    Selection(parse), parse.GetValue(turns), !parse.GetValue(noVerify)), cancellationToken);
                CliOutput.WriteForecast(Console.Out, forecast, parse.GetValue(json));
                return 0;
            }
            DialogueRun run;
            JobRun job;
            try
            {
                (run, job) = await services.GetRequiredService<DialogueConstruction>().StartBuildAsync(new BuildRequest(
                    Selection(parse),
                    parse.GetValue(turns), !parse.GetValue(noVerify), parse.GetValue(parallelism)), cancellationToken);
            }
            catch (Exception ex) when (ex is ArgumentException or FileNotFoundException or InvalidOperationException)
            {
                // InvalidOperationException: no model gateway is registered (configure the LLM roles first).
                Console.Error.WriteLine(ex.Message);
                return 2;
            }
            if (!parse.GetValue(json))
                Console.WriteLine($"Dialogue run {run.Id} (job {job.Id}): {run.Title}");
            await services.GetRequiredService<JobRunner>().ExecuteAsync(job.Id, cancellationToken);
            var summary = (await services.GetRequiredService<DialogueQueries>().RunAsync(run.Id, cancellationToken: cancellationToken))!;
            if (parse.GetValue(json))
                CliOutput.WriteJson(Console.Out, SummaryJson(summary));
            else
            {
                Console.WriteLine($"{summary.Job?.Status}: {summary.TurnsDone}/{summary.TurnsPlanned} turns; " +
                    string.Join(", ", summary.ByStatus.Select(s => $"{s.Value} {s.Key.ToString().ToLowerInvariant()}")) +
                    $"; {summary.Swapped} swapped by the verifier.");
                foreach (var failure in summary.Failures)
                    Console.WriteLine($"  dialogue {failure.DialogueId} ({failure.PersonaKey}): {failure.Error}");
                if (summary.Job?.Error is { } error)
                    Console.Error.WriteLine(error);
            }
            return summary.Job?.Status == JobStatus.Succeeded ? 0 : 1;
        });
        return command;
    }

    static Command Resume(IServiceProvider services)
    {
        var json = CliOutput.JsonOption();
        var run = new Argument<long>("run") { Description = "Dialogue run id" };
        var command = new Command("resume", "Continue a run's unfinished and failed dialogues from their stored turns") { run, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            JobRun job;
            try
            {
                job = await services.GetRequiredService<DialogueConstruction>().StartResumeAsync(parse.GetValue(run), cancellationToken);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }
            await services.GetRequiredService<JobRunner>().ExecuteAsync(job.Id, cancellationToken);
            var summary = (await services.GetRequiredService<DialogueQueries>().RunAsync(parse.GetValue(run), cancellationToken: cancellationToken))!;
            if (parse.GetValue(json))
                CliOutput.WriteJson(Console.Out, SummaryJson(summary));
            else
                Console.WriteLine($"{summary.Job?.Status}: {summary.TurnsDone}/{summary.TurnsPlanned} turns; {summary.ByStatus.GetValueOrDefault(DialogueStatus.Failed)} failed.");
            return summary.Job?.Status == JobStatus.Succeeded ? 0 : 1;
        });
        return command;
    }

    internal static object SummaryJson(DialogueRunSummary s) => new
    {
        run = s.Run.Id,
        job = s.Job?.Id,
        status = s.Job?.Status.ToString(),
        s.Run.Title,
        s.Run.PersonaPool,
        s.Run.Seed,
        s.Run.MaxTurns,
        s.Run.Verify,
        dialogues = s.Dialogues,
        byStatus = s.ByStatus.ToDictionary(p => p.Key.ToString(), p => p.Value),
        turnsDone = s.TurnsDone,
        turnsPlanned = s.TurnsPlanned,
        swapped = s.Swapped,
        inputTokens = s.InputTokens,
        outputTokens = s.OutputTokens,
        cost = s.Cost,
        calls = s.Calls,
        failures = s.Failures,
        error = s.Job?.Error,
        appVersion = s.Run.Provenance.AppVersion,
    };

    static Command List(IServiceProvider services)
    {
        var json = CliOutput.JsonOption();
        var run = new Option<long?>("--run") { Description = "Only dialogues of this run" };
        var status = new Option<DialogueStatus?>("--status") { Description = "Pending, Running, Completed or Failed" };
        var search = new Option<string?>("--search") { Description = "Text in the persona or any message" };
        var page = new Option<int>("--page") { Description = "Page of 50, newest first", DefaultValueFactory = _ => 1 };
        var command = new Command("list", "List dialogues") { run, status, search, page, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var result = await services.GetRequiredService<DialogueQueries>().ListAsync(
                new DialogueFilter(parse.GetValue(run), null, parse.GetValue(status), parse.GetValue(search), parse.GetValue(page), 50), cancellationToken);
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(Console.Out, result.Rows);
                return;
            }
            if (result.Total == 0)
            {
                Console.WriteLine("No dialogues yet. Build some with `aloe dialogues build --personas 10`.");
                return;
            }
            CliOutput.WriteTable(Console.Out, ["ID", "RUN", "STATUS", "TURNS", "PERSONA"],
                result.Rows.Select(r => (IReadOnlyList<string>)[r.Id.ToString(), r.RunId.ToString(), r.Status.ToString(), $"{r.Turns}/{r.MaxTurns}", r.PersonaKey]));
            if (result.PageCount > 1)
                Console.WriteLine($"Page {result.Page} of {result.PageCount}.");
        });
        return command;
    }

    static Command Expand(IServiceProvider services)
    {
        var turn = new Argument<long>("turn") { Description = "Turn id whose branch not taken should grow" };
        var command = new Command("expand", "Grow the branch not taken under a turn into a subtree") { turn };
        command.SetAction(async (parse, cancellationToken) =>
        {
            JobRun job;
            try
            {
                job = await services.GetRequiredService<DialogueConstruction>().StartExpandAsync(parse.GetValue(turn), cancellationToken: cancellationToken);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }
            await services.GetRequiredService<JobRunner>().ExecuteAsync(job.Id, cancellationToken);
            var ended = await services.GetRequiredService<JobService>().GetAsync(job.Id, cancellationToken);
            Console.WriteLine($"{ended!.Status}: {ended.Message}{(ended.Error is null ? "" : " " + ended.Error)}");
            return ended.Status == JobStatus.Succeeded ? 0 : 1;
        });
        return command;
    }

    static Command Export(IServiceProvider services)
    {
        var json = CliOutput.JsonOption();
        var format = new Option<string>("--format") { Description = "trl-sft, trl-dpo, openai-sft, openai-dpo or aloe", Required = true };
        format.AcceptOnlyFromAmong([.. ExportFormats.ByName.Keys]);
        var output = new Option<string>("--out") { Description = "JSONL file to write (a .manifest.json is written beside it)", Required = true };
        var run = new Option<long?>("--run") { Description = "Only this run (default: every completed dialogue)" };
        var branches = new Option<bool>("--branches") { Description = "Also export turns of expanded branches" };
        var command = new Command("export", "Write training files from completed dialogues") { format, output, run, branches, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var result = await services.GetRequiredService<DialogueExports>().ExportAsync(
                ExportFormats.Parse(parse.GetValue(format)!), parse.GetValue(output)!, new ExportScope(parse.GetValue(run), parse.GetValue(branches)), cancellationToken);
            if (parse.GetValue(json))
                CliOutput.WriteJson(Console.Out, result);
            else
                Console.WriteLine($"Wrote {result.Counts.Examples} lines from {result.Counts.Dialogues} dialogues to {result.Path} (sha256 {result.Sha256[..12]}); manifest {result.ManifestPath}.");
            return result.Counts.Examples > 0 ? 0 : 1;
        });
        return command;
    }

    static Command Import(IServiceProvider services)
    {
        var json = CliOutput.JsonOption();
        var file = new Argument<string>("file") { Description = "conversations.jsonl in the ALOE authors' format" };
        var command = new Command("import", "Import the ALOE authors' conversations.jsonl as a run of completed dialogues") { file, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var result = await services.GetRequiredService<AloeConversations>().ImportAsync(parse.GetValue(file)!, cancellationToken);
                if (parse.GetValue(json))
                    CliOutput.WriteJson(Console.Out, new { run = result.Run.Id, result.Dialogues, result.Turns });
                else
                    Console.WriteLine($"Imported {result.Dialogues} dialogues ({result.Turns} turns) as run {result.Run.Id}.");
                return 0;
            }
            catch (Exception ex) when (ex is AloeImportException or FileNotFoundException)
            {
                Console.Error.WriteLine(ex.Message + " Nothing was imported.");
                return 2;
            }
        });
        return command;
    }
}
