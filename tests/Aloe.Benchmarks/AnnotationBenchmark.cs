using System.Diagnostics;
using Aloe.Testing.Annotation;
using Microsoft.Playwright;
using Aloe.Core.Annotation;
using Aloe.Testing;

namespace Aloe.Benchmarks;

/// <summary>
/// docs/performance.md, "Annotation": the campaign report (kappa three ways per annotator with a
/// 2,000-resample bootstrap, between-annotator coefficients, confusion matrix, AL curves) over
/// 10,000 ratings, from the database and from loaded rows alone.
/// </summary>
internal static class AnnotationBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var annotators = Options.Int(args, "--annotators", 3);
        var ratings = Options.Int(args, "--ratings", 10_000);
        var repeats = Options.Int(args, "--repeats", 10);
        var items = ratings / annotators;
        Console.WriteLine($"Annotation report: {items} items x {annotators} annotators = {items * annotators} ratings, B = {Agreement.DefaultResamples}, {repeats} repeats; load {Options.LoadAverage()} on {Environment.ProcessorCount} cores");

        await using var host = await TestHost.StartAsync(b => b.AddAnnotation());
        var campaignId = await SeedAsync(host, items, annotators);
        var reports = host.Get<AnnotationReports>();

        // Warm-up (JIT, EF's compiled queries), then the timed runs.
        var first = await reports.ReportAsync(campaignId);
        await TimeAsync("report from SQLite, B = 2,000", repeats, () => reports.ReportAsync(campaignId));
        await TimeAsync("the same without bootstrap", repeats, () => reports.ReportAsync(campaignId, resamples: 0));
        Console.WriteLine($"  mean kappa vs judge {first.Mean.Unweighted:0.000} (linear {first.Mean.Linear:0.000}, quadratic {first.Mean.Quadratic:0.000}); Fleiss {first.BetweenAnnotators[0].Value:0.000}");
        return 0;
    }

    /// <summary>Wall time and the process's CPU time per report (CPU time says more than wall time on a shared, loaded machine).</summary>
    static async Task TimeAsync(string what, int repeats, Func<Task> report)
    {
        var wall = new List<double>();
        var cpu = new List<double>();
        var process = Process.GetCurrentProcess();
        for (var r = 0; r < repeats; r++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await report();
            wall.Add(watch.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }
        wall.Sort();
        cpu.Sort();
        Console.WriteLine($"  {what,-30} wall median {wall[wall.Count / 2]:0} ms (min {wall[0]:0}, max {wall[^1]:0}); CPU median {cpu[cpu.Count / 2]:0} ms");
    }

    /// <summary>A benchmark-shaped campaign: items over 10 turns with judge scores, each annotator within one point of the judge 70% of the time.</summary>
    static async Task<long> SeedAsync(TestHost host, int items, int annotators)
    {
        var random = new Random(5);
        await using var db = host.Db();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var campaign = new AnnotationCampaign { Name = "bench", Source = "synthetic", Guidelines = "-", Annotators = annotators, AnnotatorsPerItem = annotators, BenchmarkRunId = 1 };
        db.Add(campaign);
        await db.SaveChangesAsync();
        var itemRows = Enumerable.Range(0, items).Select(i => new AnnotationItem
        {
            CampaignId = campaign.Id, Index = i, Key = $"item{i:D5}", CaseKey = $"case{i / 10:D4}", BenchmarkCaseId = i / 10 + 1, Turn = i % 10 + 1,
            Profile = "p", Personality = "q", UserMessage = "m", Response = "r", JudgeRating = Math.Clamp(1 + i % 10 / 2 + random.Next(-1, 2), 1, 5),
        }).ToList();
        db.AddRange(itemRows);
        await db.SaveChangesAsync();
        for (var a = 0; a < annotators; a++)
        {
            var annotator = new AnnotationAnnotator { CampaignId = campaign.Id, Name = $"annotator{a + 1}", Slot = a };
            db.Add(annotator);
            await db.SaveChangesAsync();
            var assignments = itemRows.Select((item, p) => new AnnotationAssignment { AnnotatorId = annotator.Id, ItemId = item.Id, Position = p }).ToList();
            db.AddRange(assignments);
            await db.SaveChangesAsync();
            db.AddRange(assignments.Select((s, p) => new AnnotationRating
            {
                AssignmentId = s.Id, Milliseconds = 4000 + random.Next(4000),
                Rating = random.NextDouble() < 0.7 ? itemRows[p].JudgeRating : Math.Clamp(itemRows[p].JudgeRating!.Value + random.Next(-2, 3), 1, 5),
            }));
            await db.SaveChangesAsync();
        }
        return campaign.Id;
    }

    /// <summary>
    /// Key press -> rating saved -> next item shown, in Chromium, with several annotators rating at
    /// once (each in its own browser context and circuit) against the web app as a child process.
    /// The time runs from the key press until the progress line shows the new count, which the
    /// server renders only after the rating is saved.
    /// </summary>
    public static async Task<int> KeysAsync(string[] args)
    {
        const string chromium = "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            Console.WriteLine($"{chromium} is not installed.");
            return 1;
        }
        var annotators = Options.Int(args, "--annotators", 3);
        var perTurn = Options.Int(args, "--per-turn", 5);
        var folder = Directory.CreateTempSubdirectory("aloe-annotation-keys").FullName;
        try
        {
            var database = Path.Combine(folder, "aloe.db");
            var links = new List<long>();
            int total;
            await using (var host = await TestHost.StartAsync(b => b.AddAnnotation(), database))
            {
                long runId;
                await using (var db = host.Db())
                    runId = await AnnotationTestData.SeedBenchmarkRunAsync(db, cases: 20, turns: 10);
                var service = host.Get<AnnotationService>();
                var campaign = await service.CreateFromBenchmarkAsync(new BenchmarkCampaignRequest { BenchmarkRunId = runId, PerTurn = perTurn, Annotators = annotators });
                for (var a = 0; a < annotators; a++)
                    links.Add((await service.AddAnnotatorAsync(campaign.Id, $"annotator{a + 1}")).Id);
                total = perTurn * 10;
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

            using var app = await WebAppProcess.StartAsync(database);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
            Console.WriteLine($"Annotation keys: {annotators} annotators x {total} items at once in Chromium; load {Options.LoadAverage()} on {Environment.ProcessorCount} cores");

            async Task<List<double>> RateAllAsync(long annotatorId, int index)
            {
                var context = await browser.NewContextAsync(new() { BaseURL = app.BaseAddress.ToString() });
                var page = await context.NewPageAsync();
                page.SetDefaultTimeout(60000);
                await page.GotoAsync($"/annotate/{annotatorId}");
                await page.Locator("html[data-circuit='ready']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                var progress = page.Locator("#progress-text");
                var times = new List<double>();
                for (var i = 0; i < total; i++)
                {
                    var watch = Stopwatch.StartNew();
                    await page.Keyboard.PressAsync(((i + index) % 5 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    await Assertions.Expect(progress).ToContainTextAsync($"{i + 1} of {total} done");
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
                await context.CloseAsync();
                return times;
            }

            var all = (await Task.WhenAll(links.Select(RateAllAsync))).SelectMany(t => t.Skip(1)).Order().ToList();
            double Quantile(double p) => all[(int)Math.Min(all.Count - 1, Math.Ceiling(p * all.Count) - 1)];
            Console.WriteLine($"  key -> saved -> next item: n = {all.Count}, median {Quantile(0.5):0} ms, p95 {Quantile(0.95):0} ms, max {all[^1]:0} ms (first press per annotator left out)");
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
