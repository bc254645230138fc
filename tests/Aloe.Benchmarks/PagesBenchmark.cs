using System.Diagnostics;
using System.Globalization;
using Aloe.Core.Benchmark;
using Aloe.Core.Dialogues;
using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Aloe.Benchmarks;

/// <summary>
/// Every page of the web app with a full data set: the ALOE pools (from ../shared), 10,000 personas,
/// 3,000 ten-turn dialogues (30,000 turns) and 10 Simulated benchmark runs. The web app's Release build
/// runs as a child process on loopback; for each page the first (prerendered) response is timed for
/// one user (goal p95 &lt; 100 ms) and for 50 users at once (goal p95 &lt; 500 ms); the grids' query
/// (50 rows of 10,000) is timed in-process (goal &lt; 50 ms). Prints a markdown table.
/// </summary>
internal static class PagesBenchmark
{
    sealed record Data(string Database, long Persona, long PoolItem, long Dialogue, long DialogueRun, long[] Runs, long Case, long Job);

    public static async Task<int> RunAsync(string[] args)
    {
        if (TestHost.SharedFolder() is not { } shared)
        {
            Console.WriteLine("pages: ../shared (the ALOE pool files under ../shared/data/aloe) is absent; nothing measured.");
            return 0;
        }
        var users = Options.Int(args, "--users", 50);
        var requests = Options.Int(args, "--requests", 40);
        var rounds = Options.Int(args, "--rounds", 4);
        var keep = Value(args, "--db");
        var folder = Path.Combine(Path.GetTempPath(), "aloe-bench-pages", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var data = await PrepareAsync(shared, keep ?? Path.Combine(folder, "aloe.db"), args);
            await GridQueriesAsync(data);

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            using var app = await WebAppProcess.StartAsync(data.Database);
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
            Console.WriteLine();
            Console.WriteLine($"Pages, first prerendered response ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {Options.LoadAverage()}): " +
                $"one user {requests} requests; {users} users x {rounds} requests at once; server CPU per request = the app's process CPU over the users' requests");
            Console.WriteLine();
            Console.WriteLine($"| page | median 1 user | p95 1 user | p95 {users} users | max {users} users | server CPU per request | HTML | goal |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            var missed = 0;
            foreach (var url in Pages(data))
            {
                // One warm-up request, which also proves the page is there (a page that finds nothing answers 404).
                long size;
                using (var warm = await client.GetAsync(url))
                {
                    if (!warm.IsSuccessStatusCode)
                        throw new InvalidOperationException($"{url} answered {(int)warm.StatusCode}.");
                    size = (await warm.Content.ReadAsByteArrayAsync()).Length;
                }
                var one = new List<double>();
                for (var i = 0; i < requests; i++)
                    one.Add(await TimeAsync(client, url));
                one.Sort();
                // The server's CPU per request (the 50 users' requests): what a loaded machine cannot inflate much.
                using var server = Process.GetProcessById(app.ProcessId);
                var cpu = server.TotalProcessorTime;
                var start = new TaskCompletionSource();
                var all = await Task.WhenAll(Enumerable.Range(0, users).Select(async _ =>
                {
                    await start.Task;
                    var times = new List<double>();
                    for (var i = 0; i < rounds; i++)
                        times.Add(await TimeAsync(client, url));
                    return times;
                }).ToList().Also(_ => start.SetResult()));
                server.Refresh();
                var cpuMs = (server.TotalProcessorTime - cpu).TotalMilliseconds / (users * rounds);
                var many = all.SelectMany(t => t).Order().ToList();
                var (p95One, p95Many) = (Options.Percentile(one, 0.95), Options.Percentile(many, 0.95));
                var met = p95One < 100 && p95Many < 500;
                if (!met) missed++;
                Console.WriteLine($"| `{url}` | {Options.Percentile(one, 0.5):0.0} ms | {p95One:0.0} ms | {p95Many:0} ms | {many[^1]:0} ms | {cpuMs:0.0} ms | {size / 1024.0:0} KB | {(met ? "met" : "**missed**")} |");
            }
            Console.WriteLine();
            Console.WriteLine($"Goals: p95 < 100 ms for one user, p95 < 500 ms for {users} users; {(missed == 0 ? "every page met both" : $"{missed} page(s) missed one")}. Load after: {Options.LoadAverage()}");
            await app.KillAsync();
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
        return 0;
    }

    sealed record Memory(int OpenCircuits, int ConnectedCircuits, double GcHeapMb, double ManagedMb, double WorkingSetMb, int Gen2Collections);

    /// <summary>
    /// Memory per open circuit: N Chromium pages (each its own circuit, over the pages above in turn)
    /// are opened and left connected, the server's managed memory is read after a full collection,
    /// then the pages are closed and the circuits must be released; several rounds show whether
    /// memory returns as users come and go.
    /// </summary>
    public static async Task<int> CircuitsAsync(string[] args)
    {
        if (TestHost.SharedFolder() is not { } shared)
        {
            Console.WriteLine("circuits: ../shared (the ALOE pool files under ../shared/data/aloe) is absent; nothing measured.");
            return 0;
        }
        if (!File.Exists("/usr/bin/chromium"))
        {
            Console.WriteLine("circuits: /usr/bin/chromium is absent; nothing measured.");
            return 0;
        }
        var count = Options.Int(args, "--circuits", 30);
        var cycles = Options.Int(args, "--cycles", 3);
        var folder = Path.Combine(Path.GetTempPath(), "aloe-bench-pages", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var data = await PrepareAsync(shared, Value(args, "--db") ?? Path.Combine(folder, "aloe.db"), args);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            using var app = await WebAppProcess.StartAsync(data.Database);
            using var client = new HttpClient { BaseAddress = app.BaseAddress };
            async Task<Memory> ReadAsync() => (await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<Memory>(client, "/api/diagnostics/memory?collect=true",
                new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)))!;
            var pages = Pages(data).ToList();
            foreach (var url in pages) // every page rendered once, so that what stays is the circuits, not first-use caches
                (await client.GetAsync(url)).EnsureSuccessStatusCode();

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
            // One warm-up circuit per page: the first circuit of a page compiles and caches what every later one shares.
            await OpenAndCloseAsync(browser, app.BaseAddress, pages);
            var baseline = await WaitForCircuitsAsync(ReadAsync, 0);
            Console.WriteLine($"Memory per circuit ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load {Options.LoadAverage()}): {count} Chromium pages at once over {pages.Count} pages, {cycles} rounds");
            Console.WriteLine();
            Console.WriteLine("| round | circuits open | managed heap | GC heap | working set | per circuit (managed) | after closing: circuits | managed heap | working set |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
            Console.WriteLine($"| before | {baseline.OpenCircuits} | {baseline.ManagedMb:0.0} MB | {baseline.GcHeapMb:0.0} MB | {baseline.WorkingSetMb:0} MB | | | | |");
            for (var round = 1; round <= cycles; round++)
            {
                var context = await browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString() });
                var opened = new List<IPage>();
                for (var i = 0; i < count; i++)
                {
                    var page = await context.NewPageAsync();
                    page.SetDefaultTimeout(120_000);
                    await page.GotoAsync(pages[i % pages.Count]);
                    await page.Locator("html[data-circuit='ready']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                    opened.Add(page);
                }
                var open = await ReadAsync();
                foreach (var page in opened)
                    await page.CloseAsync(new() { RunBeforeUnload = true });
                await context.CloseAsync();
                var closed = await WaitForCircuitsAsync(ReadAsync, 0);
                Console.WriteLine($"| {round} | {open.OpenCircuits} | {open.ManagedMb:0.0} MB | {open.GcHeapMb:0.0} MB | {open.WorkingSetMb:0} MB | " +
                    $"{(open.ManagedMb - baseline.ManagedMb) / Math.Max(1, open.OpenCircuits):0.00} MB | {closed.OpenCircuits} | {closed.ManagedMb:0.0} MB | {closed.WorkingSetMb:0} MB |");
            }
            await app.KillAsync();
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
        return 0;
    }

    static async Task OpenAndCloseAsync(IBrowser browser, Uri baseAddress, IReadOnlyList<string> pages)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = baseAddress.ToString() });
        foreach (var url in pages)
        {
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(120_000);
            await page.GotoAsync(url);
            await page.Locator("html[data-circuit='ready']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.CloseAsync(new() { RunBeforeUnload = true });
        }
        await context.CloseAsync();
    }

    /// <summary>Reads the server's memory until it holds <paramref name="open"/> circuits (closed tabs end theirs within seconds; 90 s at most).</summary>
    static async Task<Memory> WaitForCircuitsAsync(Func<Task<Memory>> read, int open)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var memory = await read();
            if (memory.OpenCircuits <= open || DateTime.UtcNow > deadline)
                return memory;
            await Task.Delay(1000);
        }
    }

    static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }

    static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    static async Task<double> TimeAsync(HttpClient client, string url)
    {
        var stopwatch = Stopwatch.StartNew();
        using var response = await client.GetAsync(url);
        await response.Content.ReadAsByteArrayAsync();
        response.EnsureSuccessStatusCode();
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    static IEnumerable<string> Pages(Data d) =>
    [
        "/", "/personas", "/personas?tab=personalities", "/personas?tab=personas", "/personas?tab=generation",
        $"/personas/{d.Persona}", $"/personas/items/{d.PoolItem}", "/personas/analysis",
        "/dialogues", $"/dialogues/{d.Dialogue}", $"/dialogues/runs/{d.DialogueRun}",
        "/benchmark", $"/benchmark/runs/{d.Runs[^1]}", $"/benchmark/runs/{d.Runs[^1]}/cases/{d.Case}",
        $"/benchmark/compare?runs={d.Runs[^2]}&runs={d.Runs[^1]}",
        "/annotation", "/analysis", "/jobs", $"/jobs/{d.Job}", "/settings",
    ];

    /// <summary>
    /// The data set, built once into <paramref name="database"/> (reused when <c>--db</c> names an
    /// existing file): ALOE pools, personas, imported dialogues, Simulated benchmark runs.
    /// </summary>
    static async Task<Data> PrepareAsync(string shared, string database, string[] args)
    {
        var personas = Options.Int(args, "--personas", 10_000);
        var dialogues = Options.Int(args, "--dialogues", 3000);
        var runs = Options.Int(args, "--runs", 10);
        var cases = Options.Int(args, "--cases", 20);
        var exists = File.Exists(database);
        await using var host = await TestHost.StartAsync(b =>
        {
            Options.SimulatedBenchmarkRoles(b);
            b.AddLlm();
            b.AddPersonas();
            b.AddDialogues();
            b.AddBenchmark();
        }, database);
        if (!exists)
        {
            var stopwatch = Stopwatch.StartNew();
            await host.Get<SeedPools>().EnsureLoadedAsync();
            var pools = host.Get<PoolService>();
            var aloe = Path.Combine(shared, "data", "aloe");
            foreach (var (kind, split, file) in new[]
            {
                (PoolKind.Profile, PoolSplit.Train, "profile.jsonl"), (PoolKind.Personality, PoolSplit.Train, "personality.jsonl"),
                (PoolKind.Profile, PoolSplit.Eval, "profile_eval.jsonl"), (PoolKind.Personality, PoolSplit.Eval, "personality_eval.jsonl"),
            })
                await pools.ImportAsync(kind, split, await File.ReadAllTextAsync(Path.Combine(aloe, file)));
            await host.Get<PersonaService>().PairAsync(personas, seed: 1);
            Console.WriteLine($"  pools imported from ../shared, {personas:N0} personas paired: {stopwatch.Elapsed.TotalSeconds:0.0} s");

            stopwatch.Restart();
            var file2 = Path.Combine(Path.GetDirectoryName(database)!, "conversations.jsonl");
            await File.WriteAllLinesAsync(file2, Enumerable.Range(0, dialogues).Select(DialoguesBenchmark.Conversation));
            var imported = await host.Get<AloeConversations>().ImportAsync(file2);
            File.Delete(file2);
            Console.WriteLine($"  {imported.Dialogues:N0} dialogues, {imported.Turns:N0} turns imported: {stopwatch.Elapsed.TotalSeconds:0.0} s");

            stopwatch.Restart();
            for (var i = 0; i < runs; i++)
                await BenchBenchmark.RunAsync(host, i % 2 == 0 ? "sim-adaptive" : "sim-generic", cases, 10);
            Console.WriteLine($"  {runs} Simulated benchmark runs ({cases} cases x 10 turns): {stopwatch.Elapsed.TotalSeconds:0.0} s");
        }
        await using var db = host.Db();
        var runIds = await db.Set<BenchmarkRun>().OrderBy(r => r.Id).Select(r => r.Id).ToArrayAsync();
        var dialogueIds = await db.Set<Dialogue>().OrderBy(d => d.Id).Select(d => d.Id).ToListAsync();
        var (lastId, firstDialogue) = (runIds[^1], dialogueIds[0]);
        var last = await db.Set<BenchmarkRun>().SingleAsync(r => r.Id == lastId);
        var data = new Data(database,
            await db.Set<Persona>().MinAsync(p => p.Id),
            await db.Set<PoolItem>().Where(i => i.Kind == PoolKind.Profile && i.Source == ItemSource.Imported).MinAsync(i => i.Id),
            dialogueIds[dialogueIds.Count / 2],
            await db.Set<Dialogue>().Where(d => d.Id == firstDialogue).Select(d => d.RunId).SingleAsync(),
            runIds,
            await db.Set<BenchmarkCase>().Where(c => c.RunId == last.Id).MinAsync(c => c.Id),
            last.JobRunId!.Value);
        Console.WriteLine($"Data set: {await db.Set<PoolItem>().CountAsync():N0} pool items, {await db.Set<Persona>().CountAsync():N0} personas, " +
            $"{dialogueIds.Count:N0} dialogues ({await db.Set<DialogueTurn>().CountAsync():N0} turns), {runIds.Length} benchmark runs " +
            $"({await db.Set<BenchmarkCase>().CountAsync():N0} cases)");
        return data;
    }

    /// <summary>
    /// The grids' queries, in-process (the server time of a <c>ServerData</c> call): one page of 50
    /// personas of 10,000 (count, join of both texts, Skip/Take) by id and sorted by profile text, and one of dialogues.
    /// </summary>
    static async Task GridQueriesAsync(Data data)
    {
        await using var host = await TestHost.StartAsync(b =>
        {
            b.AddLlm();
            b.AddPersonas();
            b.AddDialogues();
        }, data.Database);
        var personas = host.Get<PersonaService>();
        var dialogues = host.Get<DialogueQueries>();
        var total = (await personas.ListAsync(null, null, 1, 50)).Total;
        var middle = Math.Max(1, total / 50 / 2);
        Console.WriteLine();
        Console.WriteLine($"Grid queries in-process ({Options.LoadAverage()} load): 50 rows, 20 times after a warm-up");
        Console.WriteLine();
        Console.WriteLine("| query | median | p95 | goal |");
        Console.WriteLine("|---|---|---|---|");
        await TimeQueryAsync($"personas, page {middle} of {total:N0}, by id", () => personas.ListAsync(null, null, middle, 50));
        await TimeQueryAsync($"personas, page {middle} of {total:N0}, searched \"a\"", () => personas.ListAsync(null, "a", middle, 50));
        await TimeQueryAsync("dialogues, page 30 by persona", () => dialogues.ListAsync(new DialogueFilter(Page: 30, PageSize: 50, Sort: DialogueSort.Persona)));
    }

    static async Task TimeQueryAsync(string name, Func<Task> query)
    {
        await query();
        var times = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await query();
            times.Add(stopwatch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        var p95 = Options.Percentile(times, 0.95);
        Console.WriteLine($"| {name} | {Options.Percentile(times, 0.5):0.0} ms | {p95:0.0} ms | < 50 ms: {(p95 < 50 ? "met" : "**missed**")} |");
    }
}
