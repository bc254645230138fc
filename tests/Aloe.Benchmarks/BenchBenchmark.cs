using System.Diagnostics;
using System.Globalization;
using Aloe.Core.Benchmark;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.FakeOpenAI;
using Aloe.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aloe.Benchmarks;

/// <summary>
/// The interactive benchmark end to end (role-play, evaluated model, judge; every turn and score
/// saved) on the default evaluation set: 100 cases x 10 turns = 3,000 calls. Against the fake
/// OpenAI server at 100 ms per call with 32 concurrent, ideal = max(3000 x 100 ms / 32, one
/// case's sequential path x 100 ms) = 9.4 s (the path is 21 calls: role-play and evaluated per
/// turn, the judge of turn k running beside turn k+1, then the last judge); goal achieved /
/// ideal &lt;= 1.2. With the Simulated provider: sim-adaptive and sim-generic, each under 60 s,
/// printing both AL curves (rising vs flat).
/// </summary>
internal static class BenchBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var cases = Options.Int(args, "--cases", 100);
        var turns = Options.Int(args, "--turns", 10);
        var concurrency = Options.Int(args, "--concurrency", 32);
        var latencyMs = Options.Int(args, "--latency-ms", 100);
        var caseConcurrency = Options.Int(args, "--case-concurrency", new BenchmarkOptions().Concurrency);
        var warmUp = !args.Contains("--no-warmup");
        var provider = args.Contains("--simulated") ? "simulated" : args.Contains("--fake") ? "fake" : "both";
        Console.WriteLine($"Benchmark pipeline ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load {Options.LoadAverage()}, {Options.Provider(args)}): {cases} cases x {turns} turns");
        if (provider is "fake" or "both")
            await AgainstFakeServerAsync(args, cases, turns, concurrency, caseConcurrency, latencyMs, warmUp);
        if (provider is "simulated" or "both")
            await SimulatedAsync(args, cases, turns, caseConcurrency);
        return 0;
    }

    static async Task AgainstFakeServerAsync(string[] args, int cases, int turns, int concurrency, int caseConcurrency, int latencyMs, bool warmUp)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Latency = TimeSpan.FromMilliseconds(latencyMs);
        server.CaptureRequests = false;
        // Every reply is unique (a counter), so no conversation repeats another and the gateway's cache never answers.
        var replies = 0;
        server.Reply = r => r.Messages[^1].Content.Contains("only output the score from 1-5", StringComparison.Ordinal) ? "4"
            : r.Messages[0].Content.Contains("play the role of a person", StringComparison.Ordinal)
                ? $"I just got back from my run number {Interlocked.Increment(ref replies)}; any ideas for a quick dinner?"
                : $"How about noodle bowl number {Interlocked.Increment(ref replies)}? It takes ten minutes. What do you have in the fridge?";
        await using var host = await TestHost.StartAsync(b =>
        {
            Options.FakeEndpoint(b, server, concurrency, "RolePlay", "Evaluated", "Judge");
            b.Configuration["Benchmark:Concurrency"] = caseConcurrency.ToString(CultureInfo.InvariantCulture);
            b.AddLlm();
            b.AddPersonas();
            b.AddBenchmark();
        }, provider: Options.Provider(args));
        Console.WriteLine($"  evaluation set: {await Options.LoadEvaluationPoolsAsync(host, args)}");

        if (warmUp)
        {
            // A long-running app has compiled the pipeline already: warm the JIT with a short run, then
            // empty the response cache so that the measured run's first role-play calls are not answered from it.
            var (warmElapsed, _) = await RunAsync(host, "bench-warm-up", cases, 2);
            Console.WriteLine($"  warm-up run ({cases} cases x 2 turns, first in this process): {warmElapsed.TotalSeconds:0.00} s");
            await Options.EmptyResponseCacheAsync(host);
        }
        var before = server.RequestCount;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes();
        var collections = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
        var (elapsed, detail) = await RunAsync(host, "bench-evaluated", cases, turns);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"  allocated {(GC.GetTotalAllocatedBytes() - allocated) / 1048576.0:0} MiB, collections {string.Join("/", Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collections[g]))}, pause {GC.GetTotalPauseDuration().TotalMilliseconds:0} ms");
        var calls = server.RequestCount - before;
        var ideal = TimeSpan.FromMilliseconds(Math.Max(calls * (double)latencyMs / concurrency, (2.0 * turns + 1) * latencyMs));
        Console.WriteLine($"fake server, {latencyMs} ms per call, {concurrency} concurrent calls, {caseConcurrency} cases in flight, {(warmUp ? "after a warm-up run" : "cold process")}");
        Console.WriteLine($"  calls                {calls} (server max in flight {server.MaxConcurrentRequests})");
        Console.WriteLine($"  achieved             {elapsed.TotalSeconds:0.00} s (process CPU {cpu.TotalSeconds:0.0} s)");
        Console.WriteLine($"  ideal                {ideal.TotalSeconds:0.00} s");
        Console.WriteLine($"  achieved / ideal     {elapsed / ideal:0.000} (goal <= 1.2)");
        Console.WriteLine($"  turns stored/scored  {detail.Cases.Sum(c => c.TurnsReached)} / {detail.Report.Turns.Sum(t => t.N)}");
    }

    static async Task SimulatedAsync(string[] args, int cases, int turns, int caseConcurrency)
    {
        await using var host = await TestHost.StartAsync(b =>
        {
            Options.SimulatedBenchmarkRoles(b);
            b.Configuration["Benchmark:Concurrency"] = caseConcurrency.ToString(CultureInfo.InvariantCulture);
            b.AddLlm();
            b.AddPersonas();
            b.AddBenchmark();
        });
        Console.WriteLine($"Simulated provider, evaluation set: {await Options.LoadEvaluationPoolsAsync(host, args)}");
        foreach (var model in new[] { "sim-adaptive", "sim-generic" })
        {
            var (elapsed, detail) = await RunAsync(host, model, cases, turns);
            var s = detail.Report.Summary;
            Console.WriteLine($"Simulated provider, {model}: {elapsed.TotalSeconds:0.00} s end to end (goal < 60 s)");
            Console.WriteLine($"  AL(k)   {string.Join(" ", detail.Report.Turns.Select(t => t.AlignmentLevel is { } a ? a.ToString("0.00", CultureInfo.InvariantCulture) : "-"))}");
            Console.WriteLine($"  n(k)    {string.Join(" ", detail.Report.Turns.Select(t => t.N))}");
            Console.WriteLine($"  average {s?.Average:0.00}  IR {s?.ImprovementRate:0.000} [{detail.Report.ImprovementRateInterval?.Low:0.000}, {detail.Report.ImprovementRateInterval?.High:0.000}]  N-IR {s?.NormalizedImprovementRate:0.000}  R2 {s?.RSquared:0.000}");
        }
    }

    internal static async Task<(TimeSpan Elapsed, BenchmarkRunDetail Detail)> RunAsync(TestHost host, string model, int cases, int turns)
    {
        var stopwatch = Stopwatch.StartNew();
        var run = await host.Get<BenchmarkService>().StartRunAsync(new BenchmarkRunRequest { EvaluatedModel = model, Cases = cases, Turns = turns });
        await host.Get<JobRunner>().ExecuteAsync(run.JobRunId!.Value, CancellationToken.None);
        var elapsed = stopwatch.Elapsed;
        return (elapsed, (await host.Get<BenchmarkReports>().GetAsync(run.Id))!);
    }
}
