using System.Diagnostics;
using Aloe.Core.Llm;
using Aloe.FakeOpenAI;
using Aloe.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Aloe.Benchmarks;

/// <summary>
/// Throughput of the gateway's Microsoft.Extensions.AI pipeline against the fake server (2,000 calls, 50 ms latency, 32 allowed at
/// once: ideal 2000 / 32 x 50 ms = 3.125 s), per-call overhead on a cache hit (memory layer, and
/// database layer after a simulated restart) and memory growth over the run.
/// </summary>
internal static class GatewayBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var calls = Options.Int(args, "--calls", 2000);
        var concurrency = Options.Int(args, "--concurrency", 32);
        var latencyMs = Options.Int(args, "--latency-ms", 50);
        var loadAtStart = Options.LoadAverage();

        await using var server = await FakeOpenAIServer.StartAsync();
        server.Latency = TimeSpan.FromMilliseconds(latencyMs);
        server.CaptureRequests = false;
        await using var host = await TestHost.StartAsync(b =>
        {
            b.Configuration["Llm:Endpoints:fake:Type"] = "openai";
            b.Configuration["Llm:Endpoints:fake:BaseUrl"] = server.BaseUrl.ToString();
            b.Configuration["Llm:Endpoints:fake:MaxConcurrency"] = concurrency.ToString();
            b.Configuration["Llm:Endpoints:fake:Prices:bench-model:InputPerMillion"] = "1";
            b.Configuration["Llm:Endpoints:fake:Prices:bench-model:OutputPerMillion"] = "4";
            b.Configuration["Llm:MaxRetries"] = "0";
            b.AddLlm();
        });
        var gateway = host.Get<LlmGateway>();
        var binding = new RoleBinding("fake", "bench-model", 0.7f, 300);
        LlmRequest Request(string tag, int i) => new(LlmRole.Evaluated,
        [
            new ChatMessage(ChatRole.System, "You are a helpful assistant tailored to the user."),
            new ChatMessage(ChatRole.User, $"{tag} message {i}: I spent the weekend repairing my bicycle and baking sourdough, what do you think?"),
        ]) { Binding = binding, RunId = 1 };

        // Warm-up: JIT, connection pool, SQLite.
        await Task.WhenAll(Enumerable.Range(0, concurrency * 2).Select(i => gateway.CompleteAsync(Request("warm", i), CancellationToken.None)));
        await gateway.FlushAsync();

        // Baseline: the bare provider (the SDK's AsIChatClient()) with the same concurrency limit, no
        // gateway (no cache, log, retries or telemetry). On a loaded machine both suffer; their
        // ratio is the gateway's own cost.
        using var sdkOnly = LlmProviders.Chat(new LlmEndpointOptions { Type = LlmEndpointType.OpenAI, BaseUrl = server.BaseUrl.ToString(), TimeoutSeconds = 120 });
        using var gate = new SemaphoreSlim(concurrency);
        var chatOptions = new ChatOptions { ModelId = binding.Model, Temperature = binding.Temperature, MaxOutputTokens = binding.MaxTokens };
        var baselineWatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, calls).Select(async i =>
        {
            await gate.WaitAsync();
            try { await sdkOnly.GetResponseAsync(Request("sdk", i).Messages, chatOptions); }
            finally { gate.Release(); }
        }));
        var baseline = baselineWatch.Elapsed;

        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var requestsBefore = server.RequestCount;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, calls).Select(i => gateway.CompleteAsync(Request("run", i), CancellationToken.None)));
        var elapsed = stopwatch.Elapsed;
        await gateway.FlushAsync();
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        var upstream = server.RequestCount - requestsBefore;

        var ideal = TimeSpan.FromMilliseconds((double)calls / concurrency * latencyMs);

        // Cache hits, one at a time so the figure is per-call overhead, not throughput.
        var memoryHit = await PerCallAsync(calls, i => gateway.CompleteAsync(Request("run", i), CancellationToken.None));
        var restarted = new LlmGateway(host.Get<IOptions<LlmOptions>>(), host.Get<LlmCacheStore>(), host.Get<LlmCallLog>(),
            TimeProvider.System, NullLoggerFactory.Instance);
        var databaseHit = await PerCallAsync(calls, i => restarted.CompleteAsync(Request("run", i), CancellationToken.None));
        var upstreamDuringHits = server.RequestCount - requestsBefore - upstream;

        Console.WriteLine($"LLM gateway benchmark ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average at start {loadAtStart}, .NET {Environment.Version})");
        Console.WriteLine($"calls                      {calls} (upstream requests {upstream}, server max in flight {server.MaxConcurrentRequests})");
        Console.WriteLine($"latency / concurrency      {latencyMs} ms / {concurrency}");
        Console.WriteLine($"achieved                   {elapsed.TotalMilliseconds:0} ms");
        Console.WriteLine($"ideal                      {ideal.TotalMilliseconds:0} ms");
        Console.WriteLine($"achieved / ideal           {elapsed / ideal:0.000} (goal <= 1.15)");
        Console.WriteLine($"bare SDK, same limit       {baseline.TotalMilliseconds:0} ms ({baseline / ideal:0.000} of ideal; gateway / bare SDK {elapsed / baseline:0.000}, goal <= 1.02)");
        Console.WriteLine($"cache hit, memory layer    {memoryHit:0.000} ms per call (goal < 0.05)");
        Console.WriteLine($"cache hit, database layer  {databaseHit:0.000} ms per call (after a restart)");
        Console.WriteLine($"upstream calls during hits {upstreamDuringHits}");
        Console.WriteLine($"managed memory growth      {(memoryAfter - memoryBefore) / 1024.0 / 1024.0:0.0} MiB over the run ({(memoryAfter - memoryBefore) / (double)calls / 1024:0.0} KiB per call, memory cache included)");
        Console.WriteLine($"working set                {Environment.WorkingSet / 1024.0 / 1024.0:0} MiB");
        return 0;
    }

    static async Task<double> PerCallAsync(int count, Func<int, Task<LlmResponse>> call)
    {
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var response = await call(i);
            if (!response.Cached)
                throw new InvalidOperationException("Expected a cache hit.");
        }
        return stopwatch.Elapsed.TotalMilliseconds / count;
    }
}
