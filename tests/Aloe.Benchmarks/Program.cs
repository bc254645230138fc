using Aloe.Benchmarks;

// One subcommand per measured feature; each prints its figures for docs/performance.md.
var benchmarks = new Dictionary<string, (string Description, Func<string[], Task<int>> Run)>(StringComparer.OrdinalIgnoreCase)
{
    ["gateway"] = ("LLM gateway: 2,000 calls at 50 ms latency, 32 concurrent; cache-hit overhead; memory", GatewayBenchmark.RunAsync),
    ["personas"] = ("Persona pools: one candidate vs a 10,000-item pool; growing 20 seeds to 300+", _ => PersonasBenchmark.RunAsync()),
    ["personas-import"] = ("Persona import: a 110,000-line (~50 MB) profile file in one transaction; peak memory", PersonasBenchmark.ImportAsync),
    ["bench"] = ("Benchmark pipeline: 100 cases x 10 turns against the fake server (100 ms, 32 concurrent) and with the Simulated provider", BenchBenchmark.RunAsync),
    ["dialogues"] = ("Dialogue construction: 300 personas x 10 turns against the fake server (100 ms, 64 concurrent)", DialoguesBenchmark.RunAsync),
    ["prism"] = ("PRISM import of 68,000 synthetic utterances, Simulated scoring of every text, the scored table", PrismBenchmark.RunAsync),
    ["analysis"] = ("Mixed models: Gaussian and Bernoulli fits of 5,760 rows (7 attributes, ~1,200 nested groups, 21 models), 4 chains x 2,000 iterations; a 68,000-row Bernoulli fit (--only small|prism: one of the two)", AnalysisBenchmark.RunAsync),
    ["workers"] = ("Several workers: 300 personas x 10 turns split into parts, fake server at 500 ms, 32 calls per worker, PostgreSQL; one worker vs two (--postgres <cs>, --kill)", WorkersBenchmark.RunAsync),
    ["dialogue-pages"] = ("Dialogue pages over HTTP with 3,000 ten-turn dialogues in the database", DialoguesBenchmark.PageAsync),
    ["pages"] = ("Every page's first response, 1 and 50 users, with the ALOE pools, 10,000 personas, 3,000 dialogues and 10 runs; grid queries (--users, --requests, --rounds, --db)", PagesBenchmark.RunAsync),
    ["circuits"] = ("Memory per open Blazor circuit (Chromium pages over the pages data set) and whether it returns after they close (--circuits, --cycles, --db)", PagesBenchmark.CircuitsAsync),
    ["annotation"] = ("Annotation report over 10,000 ratings (kappa with a 2,000-resample bootstrap per annotator)", AnnotationBenchmark.RunAsync),
    ["annotation-keys"] = ("Annotator page in Chromium: key press -> rating saved -> next item, three annotators at once", AnnotationBenchmark.KeysAsync),
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.WriteLine("usage: dotnet run -c Release --project tests/Aloe.Benchmarks -- <benchmark> [options]");
    foreach (var (name, (description, _)) in benchmarks)
        Console.WriteLine($"  {name,-12} {description}");
    return args.Length == 0 ? 0 : 1;
}
return await benchmark.Run(args[1..]);
