using System.Globalization;
using Aloe.Core.Data;
using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.FakeOpenAI;
using Aloe.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Aloe.Benchmarks;

/// <summary>What the benchmarks share: option parsing, the fake endpoint, the evaluation pools, the machine's load.</summary>
internal static class Options
{
    public static int Int(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    public static string? String(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>
    /// <c>--provider postgresql</c> (a fresh database on the server <c>--postgres</c> names, else
    /// ALOE_TEST_POSTGRES, e.g. from .ci/postgres; dropped afterwards) or SQLite (the default).
    /// </summary>
    public static DatabaseProvider Provider(string[] args)
    {
        if (String(args, "--postgres") is { } server)
            Environment.SetEnvironmentVariable(TestPostgres.EnvironmentVariable, server);
        var provider = String(args, "--provider") is { } name && name.Equals("postgresql", StringComparison.OrdinalIgnoreCase)
            ? DatabaseProvider.PostgreSql : DatabaseProvider.Sqlite;
        if (provider == DatabaseProvider.PostgreSql && TestPostgres.ServerConnectionString is null)
            throw new ArgumentException("--provider postgresql needs a server: --postgres <connection string> or ALOE_TEST_POSTGRES (.ci/postgres starts one).");
        return provider;
    }

    /// <summary>The 1-, 5- and 15-minute load averages (2 cores: above 2 means work waited for a core).</summary>
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>The given roles on the fake OpenAI server (endpoint "fake"), at most <paramref name="concurrency"/> calls in flight, no retries.</summary>
    public static void FakeEndpoint(IHostApplicationBuilder builder, FakeOpenAIServer server, int concurrency, params string[] roles)
    {
        builder.Configuration["Llm:Endpoints:fake:Type"] = "openai";
        builder.Configuration["Llm:Endpoints:fake:BaseUrl"] = server.BaseUrl.ToString();
        builder.Configuration["Llm:Endpoints:fake:MaxConcurrency"] = concurrency.ToString(CultureInfo.InvariantCulture);
        builder.Configuration["Llm:MaxRetries"] = "0";
        // No in-memory cache layer, so that emptying the database cache (after a warm-up) empties the cache.
        builder.Configuration["Llm:MemoryCacheEntries"] = "0";
        foreach (var role in roles)
        {
            builder.Configuration[$"Llm:Roles:{role}:Endpoint"] = "fake";
            builder.Configuration[$"Llm:Roles:{role}:Model"] = "bench-" + role.ToLowerInvariant();
        }
    }

    /// <summary>The benchmark's roles on the Simulated provider (the default configuration, appsettings.json; said explicitly here).</summary>
    public static void SimulatedBenchmarkRoles(IHostApplicationBuilder builder)
    {
        builder.Configuration["Llm:Endpoints:simulated:Type"] = "Simulated";
        foreach (var role in new[] { "RolePlay", "Evaluated", "Judge" })
            builder.Configuration[$"Llm:Roles:{role}:Endpoint"] = "simulated";
        builder.Configuration["Llm:Roles:RolePlay:Model"] = "sim-persona";
        builder.Configuration["Llm:Roles:Judge:Model"] = "sim-persona";
    }

    public static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>
    /// The pools a fresh install has (the project's seeds), plus the ALOE authors' evaluation pools
    /// when ../shared is there and <c>--seed-eval</c> is not given, so that figures are on the
    /// paper's evaluation set where possible.
    /// </summary>
    public static async Task<string> LoadEvaluationPoolsAsync(TestHost host, string[] args)
    {
        await host.Get<SeedPools>().EnsureLoadedAsync();
        if (args.Contains("--seed-eval"))
            return "the project's evaluation seeds (--seed-eval)";
        if (TestHost.SharedFolder() is not { } shared)
            return "the project's evaluation seeds (../shared is absent)";
        var pools = host.Get<PoolService>();
        var folder = Path.Combine(shared, "data", "aloe");
        await pools.ImportAsync(PoolKind.Profile, PoolSplit.Eval, await File.ReadAllTextAsync(Path.Combine(folder, "profile_eval.jsonl")));
        await pools.ImportAsync(PoolKind.Personality, PoolSplit.Eval, await File.ReadAllTextAsync(Path.Combine(folder, "personality_eval.jsonl")));
        return "the ALOE evaluation pools (imported from ../shared)";
    }

    public static async Task EmptyResponseCacheAsync(TestHost host)
    {
        await host.Get<LlmCallLog>().FlushAsync();
        await using var db = host.Db();
        await db.Set<LlmCacheEntry>().ExecuteDeleteAsync();
    }
}
