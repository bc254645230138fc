using Aloe.Core.Llm;
using System.CommandLine;
using Aloe.Core.Jobs;
using Aloe.Core.Personas;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Cli;

/// <summary>`aloe personas import|generate|pair|stats|calibrate|export`.</summary>
internal static class PersonasCommands
{
    public static Command Create(IServiceProvider services)
    {
        var personas = new Command("personas", "Persona pools: import, self-generation, pairing, statistics, export.");
        personas.Subcommands.Add(Import(services));
        personas.Subcommands.Add(Generate(services));
        personas.Subcommands.Add(Pair(services));
        personas.Subcommands.Add(Stats(services));
        personas.Subcommands.Add(Calibrate(services));
        personas.Subcommands.Add(Export(services));
        return personas;
    }

    static Option<PoolKind> KindOption(bool required = true) => new("--kind") { Description = "profile or personality", Required = required, CustomParser = r =>
    {
        var value = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
        try { return ParseKind(value); }
        catch (ArgumentException ex) { r.AddError(ex.Message); return default; }
    } };

    static PoolKind ParseKind(string value) => value.ToLowerInvariant() switch
    {
        "profile" or "profiles" => PoolKind.Profile,
        "personality" or "personalities" => PoolKind.Personality,
        _ => throw new ArgumentException($"--kind must be profile or personality, not '{value}'."),
    };

    static readonly Option<bool> JsonOption = CliOutput.JsonOption();

    static void Write(bool json, object value, string text)
    {
        if (json) CliOutput.WriteJson(Console.Out, value);
        else Console.WriteLine(text);
    }

    /// <summary>The CLI host is never "started", so the first command loads the seed pools itself (as the web app does at start-up).</summary>

    static Command Import(IServiceProvider services)
    {
        var kind = KindOption();
        var eval = new Option<bool>("--eval") { Description = "Import into the evaluation pool" };
        var file = new Argument<FileInfo>("FILE") { Description = "ALOE jsonl file: one JSON string per line" };
        var command = new Command("import", "Import an ALOE jsonl pool file (all or nothing).") { kind, eval, file, JsonOption };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                Console.Error.WriteLine($"File not found: {path.FullName}");
                return 2;
            }
            try
            {
                var result = await services.GetRequiredService<PoolService>().ImportAsync(parse.GetValue(kind), parse.GetValue(eval) ? PoolSplit.Eval : PoolSplit.Train,
                    await File.ReadAllTextAsync(path.FullName, ct), cancellationToken: ct, refreshInBackground: true);
                foreach (var warning in result.Warnings)
                    Console.Error.WriteLine($"warning: {path.Name}: {warning}");
                // The import is committed; the neighbour refresh runs here in the foreground as its own job
                // (interrupted, it is resumed by `aloe jobs` or the web app, and the import stays).
                if (result.RefreshJobId is { } refresh)
                    await services.GetRequiredService<JobRunner>().ExecuteAsync(refresh, ct);
                Write(parse.GetValue(JsonOption), result, $"Imported {result.Imported} items ({result.Duplicates} already present).");
                return 0;
            }
            catch (PoolImportException ex)
            {
                foreach (var error in ex.Errors)
                    Console.Error.WriteLine($"error: {path.Name}: {error}");
                Console.Error.WriteLine("Nothing was imported.");
                return 1;
            }
        });
        return command;
    }

    static Command Generate(IServiceProvider services)
    {
        var kind = KindOption();
        var maxRounds = new Option<int>("--max-rounds") { Description = "Stop after this many rounds", DefaultValueFactory = _ => 30 };
        var threshold = new Option<double?>("--threshold") { Description = "Keep candidates whose highest cosine is at or below this (default: the embedder's)" };
        var patience = new Option<int>("--patience") { DefaultValueFactory = _ => 3, Description = "Rounds in a row below --min-added before stopping" };
        var minAdded = new Option<int>("--min-added") { DefaultValueFactory = _ => 2 };
        var target = new Option<int?>("--target-size") { Description = "Stop once the pool holds this many items" };
        var calls = new Option<int>("--calls") { DefaultValueFactory = _ => 2, Description = "Concurrent generator calls per round" };
        var seed = new Option<int>("--seed") { Description = "Seed for the examples shown and the generator's samples (default: random, recorded; the same seed replays from the cache)", DefaultValueFactory = _ => LlmRunScope.NewSeed() };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only forecast calls, tokens and cost (an upper bound: every round run); start nothing" };
        var command = new Command("generate", "Grow a pool by self-generation until the bottleneck (runs in the foreground).")
            { kind, maxRounds, threshold, patience, minAdded, target, calls, seed, dryRun, JsonOption };
        command.SetAction(async (parse, ct) =>
        {
            var parameters = new GenerationParameters
            {
                Kind = parse.GetValue(kind), MaxRounds = parse.GetValue(maxRounds), Threshold = parse.GetValue(threshold), Patience = parse.GetValue(patience),
                MinAddedPerRound = parse.GetValue(minAdded), TargetSize = parse.GetValue(target), CallsPerRound = parse.GetValue(calls), Seed = parse.GetValue(seed),
            };
            if (parse.GetValue(dryRun))
            {
                try { CliOutput.WriteForecast(Console.Out, await services.GetRequiredService<GenerationForecast>().ForecastAsync(parameters, ct), parse.GetValue(JsonOption)); }
                catch (ArgumentException ex) { Console.Error.WriteLine(ex.Message); return 2; }
                return 0;
            }
            var generation = services.GetRequiredService<GenerationService>();
            JobRun run;
            try { run = await generation.StartAsync(parameters, ct); }
            catch (ArgumentException ex) { Console.Error.WriteLine(ex.Message); return 2; }
            await services.GetRequiredService<JobRunner>().ExecuteAsync(run.Id, ct);
            var summary = (await generation.GetAsync(run.Id, ct))!;
            var result = new
            {
                runId = run.Id, status = summary.Job?.Status.ToString(), error = summary.Job?.Error,
                // Top level, so a script reading the result cannot miss that the items are rule-based stand-ins.
                simulated = summary.Run.Simulated, summary.Run.Threshold, summary.Run.Provenance.EmbedderId,
                summary.Run.Provenance.Seed, summary.Run.Provenance.AppVersion,
                rounds = summary.Rounds.Select(r => new { r.Round, r.Generated, r.Accepted, r.PoolSize, r.FailedCalls }),
                summary.Generated, summary.Accepted, summary.AcceptanceRate, summary.PoolSize, summary.Run.StopReason,
            };
            Write(parse.GetValue(JsonOption), result,
                $"Run {run.Id}{(summary.Run.Simulated ? " (simulated: the Generator role is the Simulated provider, not a language model)" : "")}: {summary.Rounds.Count} rounds, {summary.Accepted} of {summary.Generated} kept; pool {summary.Run.InitialPoolSize} -> {summary.PoolSize}. {summary.Run.StopReason ?? summary.Job?.Error}");
            return summary.Job?.Status == JobStatus.Succeeded ? 0 : 1;
        });
        return command;
    }

    static Command Pair(IServiceProvider services)
    {
        var count = new Option<int?>("--count") { Description = "How many new personas (grid scheme)" };
        var seed = new Option<int>("--seed") { Required = true };
        var eval = new Option<bool>("--eval") { Description = "Pair the evaluation pools" };
        var scheme = new Option<string>("--scheme") { Description = "grid: distinct random profile x personality pairs (the paper's mix and pair); per-profile: each profile used --uses times with random personalities (the authors' code)", DefaultValueFactory = _ => "grid" };
        scheme.AcceptOnlyFromAmong("grid", "per-profile");
        var uses = new Option<int>("--uses") { Description = "Uses per profile (per-profile scheme; the authors' code: 10)", DefaultValueFactory = _ => PersonaService.AuthorsUsesPerProfile };
        var benchmark = new Option<bool>("--aloe-benchmark") { Description = "Instead: build the ALOE benchmark set (20 eval profiles x first 5 eval personalities)" };
        var command = new Command("pair", "Pair profiles and personalities into personas (seeded, no duplicate pairs), by the grid or the per-profile scheme.") { count, seed, eval, scheme, uses, benchmark, JsonOption };
        command.SetAction(async (parse, ct) =>
        {
            var service = services.GetRequiredService<PersonaService>();
            try
            {
                if (parse.GetValue(benchmark))
                {
                    var set = await service.BuildAloeBenchmarkSetAsync(ct);
                    Write(parse.GetValue(JsonOption), new { personas = set.Personas.Count, seedItems = set.SeedItems },
                        $"ALOE benchmark set: {set.Describe()}.");
                    return 0;
                }
                var split = parse.GetValue(eval) ? PoolSplit.Eval : PoolSplit.Train;
                var perProfile = parse.GetValue(scheme) == "per-profile";
                if (!perProfile && parse.GetValue(count) is null)
                    throw new ArgumentException("Say how many personas to pair with --count (or use --scheme per-profile).");
                var result = perProfile
                    ? await service.PairPerProfileAsync(parse.GetValue(uses), parse.GetValue(seed), split, ct)
                    : await service.PairAsync(parse.GetValue(count)!.Value, parse.GetValue(seed), split, ct);
                Write(parse.GetValue(JsonOption), new { result.Created, result.Available, result.Total, scheme = PairingSchemes.Name(result.Scheme) },
                    $"Paired {result.Created} personas ({PairingSchemes.Name(result.Scheme)} scheme); {result.Available} more pairs possible; {result.Total} in all.");
                return 0;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }
        });
        return command;
    }

    static Command Stats(IServiceProvider services)
    {
        var command = new Command("stats", "Pool sizes, nearest-neighbour similarity quantiles, leakage count.") { JsonOption };
        command.SetAction(async (parse, ct) =>
        {
            var stats = await services.GetRequiredService<PoolService>().StatsAsync(ct);
            var lines = stats.Sizes.Select(s => $"{s.Kind}: {s.Train} train, {s.Eval} eval ({s.Seed} seed, {s.Generated} generated, {s.Imported} imported)")
                .Concat(stats.NearestNeighbour.Select(q => $"{q.Kind} nearest-neighbour similarity: median {q.Median:0.000}, p95 {q.P95:0.000}, max {q.Max:0.000}"))
                .Append($"Leakage: {stats.LeakageCount} evaluation items above {stats.Threshold:0.00} ({stats.EmbedderId}; {stats.ThresholdSource})")
                .Append($"Personas: {stats.TrainPersonas} train, {stats.EvalPersonas} eval");
            Write(parse.GetValue(JsonOption), stats, string.Join(Environment.NewLine, lines));
            return 0;
        });
        return command;
    }

    static Command Calibrate(IServiceProvider services)
    {
        var save = new Option<bool>("--save") { Description = "Store the suggested threshold (or --threshold) for the configured embedder" };
        var threshold = new Option<string?>("--threshold") { Description = "With --save: store this threshold (0 to 1) instead of the suggested one" };
        var reset = new Option<bool>("--reset") { Description = "Remove the stored threshold: configuration, the shipped value or the paper's 0.6 applies again" };
        var command = new Command("calibrate", "Choose the similarity filter threshold for the configured embedder: paraphrase pairs vs unrelated pairs, the threshold that separates them, what it would drop of the current pools; --save stores it.")
            { save, threshold, reset, JsonOption };
        command.SetAction(async (parse, ct) =>
        {
            var chosen = parse.GetValue(threshold) is { } text ? ParseThreshold(text) : (double?)null;
            if (chosen is not null && !parse.GetValue(save))
                throw new CliUserException("--threshold is stored only with --save.");
            if (parse.GetValue(reset) && parse.GetValue(save))
                throw new CliUserException("--save and --reset cannot be used together.");
            var calibration = services.GetRequiredService<EmbedderCalibrationService>();
            var c = await calibration.CalibrateAsync(ct);
            string? done = null;
            if (parse.GetValue(save))
            {
                c = await calibration.SaveAsync(c, chosen ?? c.SuggestedThreshold, ct);
                done = $"Stored {c.Current.Threshold:0.00} for {c.EmbedderId}: {c.Current.Note}.";
            }
            else if (parse.GetValue(reset))
            {
                c = await calibration.WithCurrentAsync(c, await services.GetRequiredService<EmbedderThresholds>().ResetAsync(c.EmbedderId, ct), ct);
                done = $"No stored threshold for {c.EmbedderId}: {c.Current.Threshold:0.00} from the {c.Current.Description}.";
            }
            var lines = new List<string>
            {
                $"Embedder {c.EmbedderId}: threshold {c.Current.Threshold:0.00}, {c.Current.Description}.",
                $"Suggested threshold {c.SuggestedThreshold:0.00}: {c.ParaphrasePairs - c.ParaphrasesMissed} of {c.ParaphrasePairs} paraphrases rejected, {c.UnrelatedPairs - c.UnrelatedRejected} of {c.UnrelatedPairs} unrelated pairs kept.",
            };
            foreach (var k in c.Kinds)
                lines.Add($"{k.Kind}: paraphrase similarity min {k.Paraphrases.Min:0.000}, median {k.Paraphrases.Median:0.000}; unrelated median {k.Unrelated.Median:0.000}, p95 {k.Unrelated.P95:0.000}, max {k.Unrelated.Max:0.000}; " +
                    $"the pool's {k.PoolItems} items: {k.PoolItems - k.KeptAtSuggested} dropped at {c.SuggestedThreshold:0.00}, {k.PoolItems - k.KeptAtCurrent} at {c.Current.Threshold:0.00}.");
            lines.Add(done ?? $"To store it: aloe personas calibrate --save (or configure {c.Setting}).");
            Write(parse.GetValue(JsonOption), c, string.Join(Environment.NewLine, lines));
            return 0;
        });
        return command;
    }

    static double ParseThreshold(string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1
            ? value
            : throw new CliUserException($"--threshold must be a number from 0 to 1, not '{text}'.");

    static Command Export(IServiceProvider services)
    {
        var what = new Option<string>("--kind") { Description = "profile, personality or personas", DefaultValueFactory = _ => "personas" };
        var eval = new Option<bool>("--eval");
        var format = new Option<string>("--format") { Description = "jsonl (ALOE) or csv", DefaultValueFactory = _ => "jsonl" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "File to write (default: standard output)" };
        var command = new Command("export", "Export a pool (ALOE jsonl or CSV) or the personas.") { what, eval, format, output };
        command.SetAction(async (parse, ct) =>
        {
            var pools = services.GetRequiredService<PoolService>();
            var personas = services.GetRequiredService<PersonaService>();
            var split = parse.GetValue(eval) ? PoolSplit.Eval : PoolSplit.Train;
            var csv = parse.GetValue(format) == "csv";
            var kindValue = parse.GetValue(what)!;
            string text;
            if (kindValue == "personas")
                text = csv ? await personas.ExportCsvAsync(split, ct) : await personas.ExportJsonlAsync(split, ct);
            else
            {
                PoolKind kind;
                try { kind = ParseKind(kindValue); }
                catch (ArgumentException ex) { Console.Error.WriteLine(ex.Message); return 2; }
                text = csv ? await pools.ExportCsvAsync(kind, ct) : await pools.ExportJsonlAsync(kind, split, ct);
            }
            if (parse.GetValue(output) is { } file)
                await File.WriteAllTextAsync(file.FullName, text, ct);
            else
                Console.Write(text);
            return 0;
        });
        return command;
    }
}
