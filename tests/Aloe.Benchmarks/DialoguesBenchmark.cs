using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Aloe.Core.Dialogues;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.FakeOpenAI;
using Aloe.Testing;
using Aloe.Testing.Dialogues;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Benchmarks;

/// <summary>
/// Preference-dialogue construction end to end (role-play, induction, preferred and rejected at
/// once, verifier; every turn saved) against the fake OpenAI server: 300 personas x 10 turns at
/// 100 ms per call with 64 concurrent. Ideal = max(calls x 100 ms / 64, the longest dialogue's
/// sequential path: 10 turns x 4 calls x 100 ms); goal achieved / ideal &lt;= 1.2.
/// </summary>
internal static class DialoguesBenchmark
{
    static readonly string[] Roles = ["RolePlay", "Induction", "Preferred", "Rejected", "Verifier"];

    public static async Task<int> RunAsync(string[] args)
    {
        var personas = Options.Int(args, "--personas", 300);
        var turns = Options.Int(args, "--turns", 10);
        var concurrency = Options.Int(args, "--concurrency", 64);
        var latencyMs = Options.Int(args, "--latency-ms", 100);
        var parallelism = Options.Int(args, "--parallelism", DialogueConstruction.DefaultParallelism);
        var warmUp = !args.Contains("--no-warmup");
        Console.WriteLine($"Dialogue construction ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load {Options.LoadAverage()}, {Options.Provider(args)}): {personas} personas x {turns} turns, verifier on");

        await using var server = await FakeOpenAIServer.StartAsync();
        server.Latency = TimeSpan.FromMilliseconds(latencyMs);
        server.CaptureRequests = false;
        server.ServeTurns();
        await using var host = await TestHost.StartAsync(b =>
        {
            Options.FakeEndpoint(b, server, concurrency, Roles);
            b.AddLlm();
            b.AddPersonas();
            b.AddDialogues();
        }, provider: Options.Provider(args));
        await host.Get<SeedPools>().EnsureLoadedAsync();

        if (warmUp)
        {
            // As in the bench benchmark: a long-running app has compiled the pipeline already.
            var (warmElapsed, _) = await BuildAsync(host, new BuildRequest(new PersonaSelection("train", 64, Seed: 99), MaxTurns: 2, Parallelism: parallelism));
            Console.WriteLine($"  warm-up run (64 personas x 2 turns, first in this process): {warmElapsed.TotalSeconds:0.00} s");
            await Options.EmptyResponseCacheAsync(host);
        }
        var before = server.RequestCount;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var gc = (GC.GetTotalAllocatedBytes(), GC.CollectionCount(2), GC.GetTotalPauseDuration());
        var (elapsed, summary) = await BuildAsync(host, new BuildRequest(new PersonaSelection("train", personas, Seed: 1), turns, Verify: true, Parallelism: parallelism));
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"  allocated {(GC.GetTotalAllocatedBytes() - gc.Item1) / 1048576.0:0} MiB, gen2 collections {GC.CollectionCount(2) - gc.Item2}, GC pauses {(GC.GetTotalPauseDuration() - gc.Item3).TotalMilliseconds:0} ms, heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:0} MiB");
        var calls = server.RequestCount - before;
        var ideal = TimeSpan.FromMilliseconds(Math.Max(calls * (double)latencyMs / concurrency, turns * 4.0 * latencyMs));
        Console.WriteLine($"fake server, {latencyMs} ms per call, {concurrency} concurrent calls, {parallelism} dialogues in flight, {(warmUp ? "after a warm-up run" : "cold process")}");
        Console.WriteLine($"  calls                {calls} (server max in flight {server.MaxConcurrentRequests}; the run's call log: {summary.Calls.Sum(c => c.Calls)} calls, {summary.Calls.Sum(c => c.CacheHits)} cache hits)");
        Console.WriteLine($"  achieved             {elapsed.TotalSeconds:0.00} s (process CPU {cpu.TotalSeconds:0.0} s)");
        Console.WriteLine($"  ideal                {ideal.TotalSeconds:0.00} s");
        Console.WriteLine($"  achieved / ideal     {elapsed / ideal:0.000} (goal <= 1.2)");
        Console.WriteLine($"  dialogues            {string.Join(", ", summary.ByStatus.Select(s => $"{s.Value} {s.Key.ToString().ToLowerInvariant()}"))}; turns {summary.TurnsDone} of {summary.TurnsPlanned}");
        return 0;
    }

    static async Task<(TimeSpan Elapsed, DialogueRunSummary Summary)> BuildAsync(TestHost host, BuildRequest request)
    {
        var stopwatch = Stopwatch.StartNew();
        var (run, job) = await host.Get<DialogueConstruction>().StartBuildAsync(request);
        await host.Get<JobRunner>().ExecuteAsync(job.Id, CancellationToken.None);
        var elapsed = stopwatch.Elapsed;
        return (elapsed, (await host.Get<DialogueQueries>().RunAsync(run.Id))!);
    }

    /// <summary>
    /// The dialogue page with 3,000 ten-turn dialogues in the database (goal: under 100 ms): a
    /// generated conversations.jsonl is imported, then the web app (its Release build, a child
    /// process on loopback) is asked for each page 20 times after one warm-up request.
    /// </summary>
    public static async Task<int> PageAsync(string[] args)
    {
        var dialogues = Options.Int(args, "--dialogues", 3000);
        var requests = Options.Int(args, "--requests", 20);
        Console.WriteLine($"Dialogue pages ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load {Options.LoadAverage()}): {dialogues} dialogues x 10 turns in the database");
        var folder = Path.Combine(Path.GetTempPath(), "aloe-bench-pages", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var database = Path.Combine(folder, "aloe.db");
            var file = Path.Combine(folder, "conversations.jsonl");
            await File.WriteAllLinesAsync(file, Enumerable.Range(0, dialogues).Select(Conversation));
            await using (var host = await TestHost.StartAsync(b => b.AddDialogues(), database))
            {
                var stopwatch = Stopwatch.StartNew();
                var imported = await host.Get<AloeConversations>().ImportAsync(file);
                Console.WriteLine($"  import               {imported.Dialogues} dialogues, {imported.Turns} turns in {stopwatch.Elapsed.TotalSeconds:0.0} s");
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

            using var app = await WebAppProcess.StartAsync(database);
            using var client = new HttpClient { BaseAddress = app.BaseAddress };
            (string Url, string Shows)[] pages =
            [
                ($"/dialogues/{dialogues / 2}", "noodle bowl"), ($"/dialogues/{dialogues}", "noodle bowl"),
                // The list page prerenders its frame; the grid's rows arrive over the circuit from the same
                // query the API runs, so the grid's server time is the API's.
                ("/dialogues", "Dialogues"), ($"/api/dialogues?page={Math.Max(1, dialogues / 50)}", "late shifts at the hospital"),
                ("/api/dialogues?q=noodle%20bowl%2017", "late shifts at the hospital"), ("/dialogues/runs/1", "conversations.jsonl"),
            ];
            foreach (var (url, shows) in pages)
            {
                // One warm-up request, which also proves the page shows what it should.
                var html = await client.GetStringAsync(url);
                if (!html.Contains(shows, StringComparison.Ordinal))
                    throw new InvalidOperationException($"{url} does not show the imported dialogues.");
                var times = new List<double>();
                for (var i = 0; i < requests; i++)
                {
                    var stopwatch = Stopwatch.StartNew();
                    using var response = await client.GetAsync(url);
                    await response.Content.ReadAsByteArrayAsync();
                    response.EnsureSuccessStatusCode();
                    times.Add(stopwatch.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                Console.WriteLine($"  {url,-34} median {Options.Percentile(times, 0.5),6:0.0} ms   p95 {Options.Percentile(times, 0.95),6:0.0} ms   max {times[^1],6:0.0} ms");
            }
            await app.KillAsync();
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
        return 0;
    }

    /// <summary>One line of the ALOE authors' format: 10 turns, answers of about 60 words, a revealed persona that grows.</summary>
    internal static string Conversation(int i)
    {
        var conversations = new JsonArray();
        for (var t = 1; t <= 10; t++)
            conversations.Add(new JsonObject
            {
                ["user"] = $"Turn {t}: I work late shifts at the hospital and I am trying to eat better; what could I cook in ten minutes tonight? ({i})",
                ["assistant"] = new JsonObject
                {
                    ["preferred"] = $"Since you come home late from the hospital, try noodle bowl {i}: {string.Join(' ', Enumerable.Repeat("it takes ten minutes with an egg, spinach and a spoon of miso", 4))}.",
                    ["rejected"] = $"Here are some general ideas for dinner {i}: {string.Join(' ', Enumerable.Repeat("pasta, salad or a sandwich are quick options for most people", 4))}.",
                },
                ["chosen"] = (i + t) % 2 == 0 ? "preferred" : "rejected",
                ["inferred_profile"] = t < 3 ? "None" : "works late shifts at a hospital",
                ["inferred_personality"] = t < 6 ? "None" : "practical",
            });
        return new JsonObject
        {
            ["profile"] = $"She is a {25 + i % 40}-year-old nurse in city {i % 97} who works late shifts at the hospital and runs on weekends.",
            ["personality"] = "She is practical and direct, and she dislikes long answers.",
            ["conversations"] = conversations,
        }.ToJsonString();
    }

}
