using System.Diagnostics;
using System.Globalization;
using Aloe.Core.Benchmark;
using Aloe.Core.Conversations;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.FakeOpenAI;
using Aloe.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aloe.Benchmarks;

/// <summary>
/// The interactive benchmark end to end (role-play, evaluated model, judge; every turn and score
/// saved): 100 cases x 10 turns = 3,000 calls. Against the fake OpenAI server at 100 ms per call
/// with 32 concurrent, ideal = max(3000 x 100 ms / 32, one case's 30 sequential calls x 100 ms)
/// = 9.4 s; goal achieved / ideal &lt;= 1.2. With the Simulated provider: sim-adaptive and
/// sim-generic, each under 60 s, printing both AL curves (rising vs flat).
/// </summary>
internal static class BenchBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var cases = IntOption(args, "--cases", 100);
        var turns = IntOption(args, "--turns", 10);
        var concurrency = IntOption(args, "--concurrency", 32);
        var latencyMs = IntOption(args, "--latency-ms", 100);
        // Cases in flight may exceed the endpoint's limit, so that while some cases save a turn the endpoint still has 32 calls to make.
        var caseConcurrency = IntOption(args, "--case-concurrency", concurrency);
        var provider = args.Contains("--simulated") ? "simulated" : args.Contains("--fake") ? "fake" : "both";
        Console.WriteLine($"Benchmark pipeline ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}): {cases} cases x {turns} turns");
        if (provider is "fake" or "both")
            await AgainstFakeServerAsync(cases, turns, concurrency, caseConcurrency, latencyMs);
        if (provider is "simulated" or "both")
            await SimulatedAsync(cases, turns, concurrency);
        return 0;
    }

    static async Task AgainstFakeServerAsync(int cases, int turns, int concurrency, int caseConcurrency, int latencyMs)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Latency = TimeSpan.FromMilliseconds(latencyMs);
        // Every reply is unique (a counter), so no conversation repeats another and the gateway's cache never answers.
        var replies = 0;
        server.Reply = r => r.Messages[^1].Content.Contains("only output the score from 1-5", StringComparison.Ordinal) ? "4"
            : r.Messages[0].Content.Contains("play the role of a person", StringComparison.Ordinal)
                ? $"I just got back from my run number {Interlocked.Increment(ref replies)}; any ideas for a quick dinner?"
                : $"How about noodle bowl number {Interlocked.Increment(ref replies)}? It takes ten minutes. What do you have in the fridge?";
        await using var host = await TestHost.StartAsync(b =>
        {
            b.Configuration["Llm:Endpoints:fake:Type"] = "openai";
            b.Configuration["Llm:Endpoints:fake:BaseUrl"] = server.BaseUrl.ToString();
            b.Configuration["Llm:Endpoints:fake:MaxConcurrency"] = concurrency.ToString(CultureInfo.InvariantCulture);
            b.Configuration["Llm:MaxRetries"] = "0";
            foreach (var role in new[] { "RolePlay", "Evaluated", "Judge" })
            {
                b.Configuration[$"Llm:Roles:{role}:Endpoint"] = "fake";
                b.Configuration[$"Llm:Roles:{role}:Model"] = "bench-" + role.ToLowerInvariant();
            }
            b.Configuration["Benchmark:Concurrency"] = caseConcurrency.ToString(CultureInfo.InvariantCulture);
            b.AddLlm();
            b.AddBenchmark();
            b.Services.AddSingleton<IBenchmarkCaseSource>(sp => new AloeOrSyntheticCases(ActivatorUtilities.CreateInstance<AloeEvaluationPoolCaseSource>(sp)));
        });

        var before = server.RequestCount;
        var (elapsed, detail) = await RunAsync(host, "bench-evaluated", cases, turns);
        var calls = server.RequestCount - before;
        var ideal = TimeSpan.FromMilliseconds(Math.Max(calls * (double)latencyMs / concurrency, 3.0 * turns * latencyMs));
        Console.WriteLine($"fake server, {latencyMs} ms per call, {concurrency} concurrent calls, {caseConcurrency} cases in flight");
        Console.WriteLine($"  calls                {calls} (server max in flight {server.MaxConcurrentRequests})");
        Console.WriteLine($"  achieved             {elapsed.TotalSeconds:0.00} s");
        Console.WriteLine($"  ideal                {ideal.TotalSeconds:0.00} s");
        Console.WriteLine($"  achieved / ideal     {elapsed / ideal:0.000} (goal <= 1.2)");
        Console.WriteLine($"  turns stored/scored  {detail.Cases.Sum(c => c.TurnsReached)} / {detail.Report.Turns.Sum(t => t.N)}");
    }

    static async Task SimulatedAsync(int cases, int turns, int concurrency)
    {
        await using var host = await TestHost.StartAsync(b =>
        {
            // The Simulated provider is the default configuration (appsettings.json); say so explicitly here.
            b.Configuration["Llm:Endpoints:simulated:Type"] = "Simulated";
            foreach (var role in new[] { "RolePlay", "Evaluated", "Judge" })
                b.Configuration[$"Llm:Roles:{role}:Endpoint"] = "simulated";
            b.Configuration["Llm:Roles:RolePlay:Model"] = "sim-persona";
            b.Configuration["Llm:Roles:Judge:Model"] = "sim-persona";
            b.Configuration["Benchmark:Concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture);
            b.AddLlm();
            b.AddBenchmark();
            b.Services.AddSingleton<IBenchmarkCaseSource>(sp => new AloeOrSyntheticCases(ActivatorUtilities.CreateInstance<AloeEvaluationPoolCaseSource>(sp)));
        });
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

    static async Task<(TimeSpan Elapsed, BenchmarkRunDetail Detail)> RunAsync(TestHost host, string model, int cases, int turns)
    {
        var stopwatch = Stopwatch.StartNew();
        var run = await host.Get<BenchmarkService>().StartRunAsync(new BenchmarkRunRequest { EvaluatedModel = model, Cases = cases, Turns = turns });
        await host.Get<JobRunner>().ExecuteAsync(run.JobRunId!.Value, CancellationToken.None);
        var elapsed = stopwatch.Elapsed;
        return (elapsed, (await host.Get<BenchmarkReports>().GetAsync(run.Id))!);
    }

    /// <summary>The paper's evaluation set from the ALOE pools when they are there; otherwise 100 synthetic personas of the same shape.</summary>
    sealed class AloeOrSyntheticCases(IBenchmarkCaseSource aloe) : IBenchmarkCaseSource
    {
        public async Task<BenchmarkCaseSet> GetEvaluationSetAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await aloe.GetEvaluationSetAsync(cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                Console.WriteLine($"  (ALOE evaluation pools not found: {e.Message} Using synthetic personas.)");
                return Synthetic();
            }
        }
        static readonly string[] Jobs = ["mechanical engineer", "nurse", "primary school teacher", "software developer", "chef", "architect", "pharmacist", "journalist", "electrician", "graphic designer"];
        static readonly string[] Hobbies = ["running marathons", "brewing beer", "painting watercolours", "birdwatching", "rock climbing", "baking bread", "playing chess", "gardening", "sailing", "photography"];
        static readonly string[] Traits = [
            "She is spontaneous, often deciding to do things on a whim. She is witty, making clever jokes.",
            "He is analytical, always looking at the data first. He is reserved and speaks briefly.",
            "She is warm and empathetic, feeling deeply for those around her. She is talkative.",
            "He is adventurous, eager to explore new places. He is optimistic and energetic.",
            "She is meticulous, planning everything in detail. She is polite and formal."];

        static BenchmarkCaseSet Synthetic() => new("synthetic: 20 profiles x 5 personalities",
            Enumerable.Range(0, 20).SelectMany(p => Enumerable.Range(0, 5).Select(q => new BenchmarkCaseInput($"synthetic/p{p + 1:00}-q{q + 1}", new PersonaText(
                $"They are a {30 + p}-year-old {Jobs[p % Jobs.Length]} who enjoys {Hobbies[p % Hobbies.Length]} and {Hobbies[(p * 3 + 1) % Hobbies.Length]}. They live in a small town with two cats.",
                Traits[q])))).ToList());
    }

    static int IntOption(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
    }
}
