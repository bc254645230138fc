using System.Diagnostics;
using System.Globalization;
using Aloe.Core.Data;
using Aloe.Core.Dialogues;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.FakeOpenAI;
using Aloe.Testing;
using Aloe.Testing.Dialogues;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Benchmarks;

/// <summary>
/// Several workers sharing one dialogue build (issue 13): 300 personas x 10 turns against the
/// fake OpenAI server at 500 ms per call, 32 calls in flight per worker, on PostgreSQL (app
/// database and Hangfire storage). The build is split into part jobs (Jobs:BuildParts); the
/// workers are web-app processes that execute jobs, first one, then two (each on a fresh
/// database). Goal: two workers take &lt;= 0.55 of one worker's time. Every turn is counted
/// afterwards: none missing, none twice. With <c>--kill</c>, a third case kills one of two workers
/// (SIGKILL) mid-run: the other finishes once the lease (10 s) expires.
/// </summary>
internal static class WorkersBenchmark
{
    static readonly string[] Roles = ["RolePlay", "Induction", "Preferred", "Rejected", "Verifier"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (Options.String(args, "--postgres") is { } named)
            Environment.SetEnvironmentVariable(TestPostgres.EnvironmentVariable, named);
        if (TestPostgres.ServerConnectionString is null)
            throw new ArgumentException("A PostgreSQL server is needed: --postgres <connection string> or ALOE_TEST_POSTGRES (.ci/postgres starts one).");
        var personas = Options.Int(args, "--personas", 300);
        var turns = Options.Int(args, "--turns", 10);
        var concurrency = Options.Int(args, "--concurrency", 32);
        var latencyMs = Options.Int(args, "--latency-ms", 500);
        // One more than a worker's Hangfire slots (Jobs:MaxConcurrentRuns, 4): one worker cannot take every part.
        var parts = Options.Int(args, "--parts", 5);
        // Per worker process: enough to keep its 32 calls busy, few enough that the other worker finds dialogues left.
        var parallelism = Options.Int(args, "--parallelism", 150);
        var warmUp = !args.Contains("--no-warmup");
        Console.WriteLine($"Workers ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load {Options.LoadAverage()}): "
            + $"{personas} personas x {turns} turns, fake server {latencyMs} ms per call, {concurrency} calls in flight per worker, {parts} parts, "
            + $"{parallelism} dialogues in flight per worker, PostgreSQL{(warmUp ? ", after a warm-up build" : "")}");

        // As the web app's Hangfire configuration, so the workers read the jobs this process enqueues.
        GlobalConfiguration.Configuration.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings();
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Latency = TimeSpan.FromMilliseconds(latencyMs);
        server.CaptureRequests = false;
        server.ServeTurns();

        var one = await MeasureAsync(server, 1, kill: false);
        var two = await MeasureAsync(server, 2, kill: false);
        Console.WriteLine($"  two workers / one    {two.Elapsed / one.Elapsed:0.000} (goal <= 0.55)");
        if (args.Contains("--kill"))
            await MeasureAsync(server, 2, kill: true);
        return 0;

        async Task<(TimeSpan Elapsed, long Calls)> MeasureAsync(FakeOpenAIServer server, int workers, bool kill)
        {
            await using var host = await TestHost.StartAsync(b =>
            {
                Options.FakeEndpoint(b, server, concurrency, Roles);
                b.AddLlm();
                b.AddPersonas();
                b.AddDialogues();
            }, provider: DatabaseProvider.PostgreSql);
            await host.Get<SeedPools>().EnsureLoadedAsync();
            var connection = host.Get<AloeDatabase>().ConnectionString;
            var settings = new Dictionary<string, string>
            {
                ["Database__Provider"] = "PostgreSql",
                ["Database__ConnectionString"] = connection,
                ["Llm__Endpoints__fake__Type"] = "openai",
                ["Llm__Endpoints__fake__BaseUrl"] = server.BaseUrl.ToString(),
                ["Llm__Endpoints__fake__MaxConcurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
                ["Llm__MaxRetries"] = "0",
                ["Llm__MemoryCacheEntries"] = "0",
                ["Jobs__LeaseSeconds"] = kill ? "10" : "60",
            };
            foreach (var role in Roles)
            {
                settings[$"Llm__Roles__{role}__Endpoint"] = "fake";
                settings[$"Llm__Roles__{role}__Model"] = "bench-" + role.ToLowerInvariant();
            }
            var processes = new List<WebAppProcess>();
            try
            {
                for (var i = 0; i < workers; i++)
                    processes.Add(await WebAppProcess.StartAsync(null, settings: settings));
                // Queued on the workers' Hangfire storage (its schema made by the first worker), as the web app would.
                var storageOptions = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false };
                var client = new BackgroundJobClient(new PostgreSqlStorage(new NpgsqlConnectionFactory(connection, storageOptions), storageOptions));
                var construction = host.Get<DialogueConstruction>();
                var runner = new HangfireScheduler(client);

                if (warmUp)
                {
                    var warm = await BuildAsync(host, runner, new BuildRequest(new PersonaSelection("train", 64, Seed: 99), MaxTurns: 2, Parallelism: parallelism, Parts: parts), null);
                    Console.WriteLine($"  {workers} worker(s): warm-up build (64 personas x 2 turns) {warm.Elapsed.TotalSeconds:0.0} s");
                    await Options.EmptyResponseCacheAsync(host);
                }
                var before = server.RequestCount;
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var measured = await BuildAsync(host, runner, new BuildRequest(new PersonaSelection("train", personas, Seed: 1), turns, Verify: true, Parallelism: parallelism, Parts: parts),
                    kill ? processes : null);
                var calls = server.RequestCount - before;
                var ideal = TimeSpan.FromMilliseconds(Math.Max(calls * (double)latencyMs / (concurrency * workers), turns * 4.0 * latencyMs));
                var label = kill ? "two workers, one killed (SIGKILL) at 1/3 of the turns, lease 10 s" : workers == 1 ? "one worker" : $"{workers} workers";
                Console.WriteLine($"  {label}");
                Console.WriteLine($"    achieved           {measured.Elapsed.TotalSeconds:0.0} s (ideal {ideal.TotalSeconds:0.0} s: {calls} calls x {latencyMs} ms / {concurrency * workers}; achieved / ideal {measured.Elapsed / ideal:0.000})");
                Console.WriteLine($"    job                {measured.Job.Status}, {measured.Job.Done} of {measured.Job.Total} turns; parts ran in {measured.Owners} process(es); benchmark process CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.0} s");
                Console.WriteLine($"    turns              {measured.Count.Turns} stored, {measured.Count.Distinct} distinct places, {measured.Count.Missing} missing, "
                    + $"{measured.Count.Turns - measured.Count.Distinct} twice; dialogues completed {measured.Count.Completed} of {measured.Count.Dialogues}; by worker process {measured.ByPart}");
                if (measured.Job.Status != JobStatus.Succeeded || measured.Count.Missing != 0 || measured.Count.Turns != measured.Count.Distinct)
                    throw new InvalidOperationException("The build did not finish with every turn exactly once.");
                return (measured.Elapsed, calls);
            }
            finally
            {
                foreach (var process in processes)
                    process.Dispose();
            }
        }
    }

    sealed record Counted(int Dialogues, int Completed, int Turns, int Distinct, int Missing);

    static async Task<(TimeSpan Elapsed, JobRun Job, Counted Count, int Owners, string ByPart)> BuildAsync(TestHost host, HangfireScheduler scheduler, BuildRequest request, List<WebAppProcess>? killOne)
    {
        var stopwatch = Stopwatch.StartNew();
        var (run, job) = await host.Get<DialogueConstruction>().StartBuildAsync(request);
        var partIds = JobService.PartIds(job.ParametersJson);
        foreach (var id in partIds.Append(job.Id))
            scheduler.Schedule(id);
        var jobs = host.Get<JobService>();
        var owners = new HashSet<int>();
        var killed = false;
        JobRun current;
        while ((current = (await jobs.GetAsync(job.Id))!).IsActive)
        {
            await using (var db = host.Db())
                foreach (var owner in await db.Set<JobRun>().Where(r => partIds.Contains(r.Id) && r.Owner != null).Select(r => r.Owner!).ToListAsync())
                    owners.Add(int.Parse(owner.Split(':')[1], CultureInfo.InvariantCulture));
            if (killOne is not null && !killed && current.Total > 0 && current.Done * 3 >= current.Total)
            {
                killed = true;
                // The worker running the run's job (which waits for the parts), so that it moves too.
                var victim = killOne.FirstOrDefault(p => current.Owner?.Split(':')[1] == p.ProcessId.ToString(CultureInfo.InvariantCulture)) ?? killOne[0];
                await victim.KillAsync();
                Console.WriteLine($"    killed worker pid {victim.ProcessId} at {current.Done} of {current.Total} turns, {stopwatch.Elapsed.TotalSeconds:0.0} s");
            }
            await Task.Delay(200);
        }
        var elapsed = stopwatch.Elapsed;
        await using var check = host.Db();
        var dialogues = await check.Set<Dialogue>().Where(d => d.RunId == run.Id).Select(d => new { d.Id, d.Status, d.PartJobRunId }).ToListAsync();
        var ids = dialogues.Select(d => d.Id).ToList();
        var stored = await check.Set<DialogueTurn>().Where(t => ids.Contains(t.DialogueId)).Select(t => new { t.DialogueId, t.ParentId, t.ParentBranch, t.Index }).ToListAsync();
        var distinct = stored.Select(t => (t.DialogueId, t.ParentId, t.ParentBranch)).Distinct().Count();
        var missing = dialogues.Sum(d => Math.Max(0, request.MaxTurns - stored.Count(t => t.DialogueId == d.Id)));
        var partOwners = await check.Set<JobRun>().Where(r => partIds.Contains(r.Id)).Select(r => new { r.Id, r.Owner }).ToListAsync();
        // The process that finished each part (after a kill, the survivor for the parts it took over).
        var pid = partOwners.ToDictionary(p => p.Id, p => p.Owner?.Split(':')[1] ?? "?");
        var byPart = string.Join(", ", dialogues.GroupBy(d => d.PartJobRunId is { } part ? pid.GetValueOrDefault(part, "?") : "none").OrderBy(g => g.Key)
            .Select(g => $"pid {g.Key}: {g.Count()} dialogues"));
        return (elapsed, current, new Counted(dialogues.Count, dialogues.Count(d => d.Status == DialogueStatus.Completed), stored.Count, distinct, missing), owners.Count, byPart);
    }

    /// <summary>Enqueues a run on the workers' Hangfire storage, as the web app's scheduler does.</summary>
    sealed class HangfireScheduler(IBackgroundJobClient client)
    {
        public void Schedule(long runId) => client.Enqueue<HangfireRunJob>(job => job.ExecuteAsync(runId, CancellationToken.None));
    }
}
