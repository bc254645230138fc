using System.Diagnostics;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Aloe.Benchmarks;

/// <summary>docs/performance.md, "Personas": candidate check against a 10,000-item pool; growing a pool from 20 seeds to 300+.</summary>
internal static class PersonasBenchmark
{
    static readonly string[] Jobs = ["baker", "pilot", "nurse", "farmer", "teacher", "welder", "florist", "chemist", "plumber", "architect", "sailor", "librarian", "dentist", "miner", "tailor", "jeweller"];
    static readonly string[] Hobbies = ["kayaking", "chess", "pottery", "birdwatching", "salsa", "archery", "origami", "beekeeping", "surfing", "knitting", "astronomy", "fencing", "calligraphy", "rowing", "juggling", "gardening"];
    static readonly string[] Places = ["Lisbon", "Osaka", "Nairobi", "Quito", "Oslo", "Hanoi", "Tunis", "Perth", "Krakow", "Denver", "Lima", "Cork", "Busan", "Accra", "Tallinn", "Recife"];

    // Invented names (of pets, streets, clubs): a wide vocabulary, like real generator output.
    static readonly string[] Syllables = ["ka", "lo", "mi", "ren", "tu", "sa", "vel", "dor", "pi", "nax", "qui", "bre", "zu", "fal", "ot", "gri"];

    static string Name(Random r) => string.Concat(Enumerable.Range(0, 3).Select(_ => Syllables[r.Next(Syllables.Length)]));

    static readonly string[] Facts =
    [
        "is {0} years old", "works as a {j} in {p}", "grew up in {p}", "has a cat called {n}", "keeps a dog named {n}", "spends weekends {h}",
        "took up {h} last year", "has {0} grandchildren", "drives an old {n} van", "collects {n} stamps", "lives on {n} street in {p}",
        "plays for the {n} football club", "studied {n} at university", "cooks {n} stew on Sundays", "visits {p} every winter",
        "sings in the {n} choir", "is saving for a trip to {p}", "shares a flat with a {j}", "grows {n} tomatoes on the balcony",
        "reads {n} novels at night", "volunteers at the {n} library", "has a sister who is a {j}", "swims at {n} lake in summer", "fixes {n} bicycles",
    ];

    /// <summary>A synthetic profile of 8 facts drawn from 24 kinds, with invented names: varied like real generator output.</summary>
    static string Profile(Random r)
    {
        var pronoun = r.Next(2) == 0 ? "She" : "He";
        var facts = Facts.OrderBy(_ => r.Next()).Take(8).Select(f => f
            .Replace("{0}", r.Next(2, 90).ToString()).Replace("{n}", Name(r)).Replace("{j}", Jobs[r.Next(Jobs.Length)])
            .Replace("{p}", Places[r.Next(Places.Length)]).Replace("{h}", Hobbies[r.Next(Hobbies.Length)]));
        return string.Join(" ", facts.Select(f => $"{pronoun} {f}."));
    }

    /// <summary>
    /// Imports a synthetic file of --lines profiles (default 110,000, ~50 MB) as the web app and
    /// the CLI do: one transaction, the neighbour refresh queued as its own job (not run here).
    /// </summary>
    public static async Task<int> ImportAsync(string[] args)
    {
        var lines = Options.Int(args, "--lines", 110_000);
        var random = new Random(1);
        // ~450 characters a line, as the audit's 50 MB file of 110,000 lines.
        var content = AloeJsonl.Write(Enumerable.Range(0, lines).Select(i => $"{Profile(random)} Record {i}."));
        Console.WriteLine($"file: {lines:N0} lines, {System.Text.Encoding.UTF8.GetByteCount(content) / 1e6:F1} MB; load average before: {Options.LoadAverage()}");
        await using var host = await TestHost.StartAsync(b => b.AddPersonas());
        var pools = host.Get<PoolService>();
        GC.Collect();
        var before = Environment.WorkingSet;
        var watch = Stopwatch.StartNew();
        var result = await pools.ImportAsync(PoolKind.Profile, PoolSplit.Train, content, refreshInBackground: true);
        watch.Stop();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine($"imported {result.Imported:N0} in {watch.Elapsed.TotalSeconds:F1} s; working set {before / 1e6:F0} MB before, peak {process.PeakWorkingSet64 / 1e6:F0} MB; refresh queued as job {result.RefreshJobId}");
        Console.WriteLine($"load average after: {Options.LoadAverage()}");
        return 0;
    }

    public static async Task<int> RunAsync()
    {
        CandidateCheck();
        await GrowPoolAsync();
        return 0;
    }

    static void CandidateCheck()
    {
        var embedder = new LexicalEmbedder();
        var random = new Random(1);
        const int poolSize = 10_000;
        var index = new SimilarityIndex(embedder.Dimensions, poolSize);
        var embedWatch = Stopwatch.StartNew();
        for (var i = 0; i < poolSize; i++)
            index.Add(i, embedder.Embed(Profile(random)));
        embedWatch.Stop();
        var candidates = Enumerable.Range(0, 200).Select(_ => Profile(random)).ToList();
        var vectors = candidates.Select(embedder.Embed).ToList();
        for (var i = 0; i < 20; i++) index.Nearest(vectors[i]); // warm-up (JIT, caches)
        var search = Stopwatch.StartNew();
        foreach (var v in vectors) index.Nearest(v);
        search.Stop();
        var embed = Stopwatch.StartNew();
        foreach (var c in candidates) embedder.Embed(c);
        embed.Stop();
        var nonZero = vectors.Average(v => v.Count(x => x != 0));
        var words = candidates.Average(c => c.Split(' ').Length);
        Console.WriteLine($"candidate check vs {poolSize:N0}-item pool ({embedder.Id}): {search.Elapsed.TotalMilliseconds / vectors.Count:0.000} ms per candidate (nearest search; {words:0} words, {nonZero:0} non-zero components per vector)");
        var rowScan = Stopwatch.StartNew();
        foreach (var v in vectors)
            for (var i = 0; i < index.Count; i++)
                System.Numerics.Tensors.TensorPrimitives.Dot(v, index.Row(i));
        rowScan.Stop();
        Console.WriteLine($"  row-by-row dot products for comparison: {rowScan.Elapsed.TotalMilliseconds / vectors.Count:0.000} ms per candidate");
        Console.WriteLine($"  + embedding the candidate once: {embed.Elapsed.TotalMilliseconds / candidates.Count:0.000} ms; embedding the 10,000-item pool once: {embedWatch.Elapsed.TotalMilliseconds:N0} ms");
    }

    /// <summary>
    /// 20 seeds to 300+ through the real job (database, rounds, filter, neighbours), with a local
    /// deterministic generator standing in for the gateway's Simulated provider.
    /// </summary>
    static async Task GrowPoolAsync()
    {
        await using var host = await TestHost.StartAsync(b =>
        {
            b.AddPersonas();
            b.Services.RemoveAll<ILlmGateway>();
            b.Services.AddSingleton<ILlmGateway>(new LexicalGeneratorGateway());
        });
        await host.Get<SeedPools>().EnsureLoadedAsync();
        var watch = Stopwatch.StartNew();
        var run = await host.Get<GenerationService>().StartAsync(new GenerationParameters { Kind = PoolKind.Profile, TargetSize = 300, MaxRounds = 100, CallsPerRound = 2 });
        await host.Get<JobRunner>().ExecuteAsync(run.Id, CancellationToken.None);
        watch.Stop();
        var summary = (await host.Get<GenerationService>().GetAsync(run.Id))!;
        Console.WriteLine($"grow 20 seeds -> {summary.PoolSize} profiles: {watch.Elapsed.TotalSeconds:0.00} s, {summary.Rounds.Count} rounds, acceptance {summary.AcceptanceRate:P1} ({summary.Job!.Status}; {summary.Run.StopReason})");
    }

    /// <summary>Lexical embedder + a seeded template generator (20 lines per call), no network.</summary>
    sealed class LexicalGeneratorGateway : ILlmGateway
    {
        readonly LexicalEmbedder embedder = new();

        public Task<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken)
        {
            var random = new Random(request.SampleIndex);
            var text = string.Join("\n", Enumerable.Range(1, 20).Select(i => $"{i}. {Profile(random)}"));
            return Task.FromResult(new LlmResponse(text, "bench-template", 0, 0, false, TimeSpan.Zero));
        }

        public Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<float[]>>(texts.Select(embedder.Embed).ToList());

        public string EmbedderId => embedder.Id;

        public IReadOnlyDictionary<LlmRole, RoleBinding> ResolveRoles(IReadOnlyDictionary<LlmRole, RoleBinding>? overrides = null) =>
            new Dictionary<LlmRole, RoleBinding> { [LlmRole.Generator] = new("bench", "template", 0, 2000) };

        public bool IsSimulated(LlmRole role, RoleBinding? binding = null) => true;
    }
}
