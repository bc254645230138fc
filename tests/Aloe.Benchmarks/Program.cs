using Aloe.Benchmarks;

// One subcommand per measured feature; each prints its figures for docs/performance.md.
var benchmarks = new Dictionary<string, (string Description, Func<string[], Task<int>> Run)>(StringComparer.OrdinalIgnoreCase)
{
    ["gateway"] = ("LLM gateway: 2,000 calls at 50 ms latency, 32 concurrent; cache-hit overhead; memory", GatewayBenchmark.RunAsync),
    ["personas"] = ("Persona pools: one candidate vs a 10,000-item pool; growing 20 seeds to 300+", _ => PersonasBenchmark.RunAsync()),
    ["bench"] = ("Benchmark pipeline: 100 cases x 10 turns against the fake server (100 ms, 32 concurrent) and with the Simulated provider", BenchBenchmark.RunAsync),
    ["dialogues"] = ("Dialogue construction: 300 personas x 10 turns against the fake server (100 ms, 64 concurrent)", DialoguesBenchmark.RunAsync),
    ["analysis"] = ("Mixed models: Gaussian and Bernoulli fits of 5,760 rows (7 attributes, ~1,200 nested groups, 21 models), 4 chains x 2,000 iterations; a 68,000-row Bernoulli fit", AnalysisBenchmark.RunAsync),
    ["dialogue-pages"] = ("Dialogue pages over HTTP with 3,000 ten-turn dialogues in the database", DialoguesBenchmark.PageAsync),
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.WriteLine("usage: dotnet run -c Release --project tests/Aloe.Benchmarks -- <benchmark> [options]");
    foreach (var (name, (description, _)) in benchmarks)
        Console.WriteLine($"  {name,-12} {description}");
    return args.Length == 0 ? 0 : 1;
}
return await benchmark.Run(args[1..]);
