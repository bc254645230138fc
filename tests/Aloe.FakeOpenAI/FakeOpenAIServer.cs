using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aloe.FakeOpenAI;

/// <summary>What the fake server does to a request instead of answering it.</summary>
public abstract record FakeFault
{
    /// <summary>429 Too Many Requests with a Retry-After header (seconds).</summary>
    public sealed record RateLimited(int RetryAfterSeconds) : FakeFault;
    /// <summary>An HTTP 5xx with an OpenAI-style error body.</summary>
    public sealed record ServerError(int Status = 500) : FakeFault;
    /// <summary>Never answers (until the client gives up or the server stops).</summary>
    public sealed record Hang : FakeFault;
    /// <summary>200 OK with a body that is not JSON.</summary>
    public sealed record Malformed : FakeFault;
}

/// <summary>One request as the server received it.</summary>
public sealed record CapturedRequest(string Path, string? Authorization, JsonObject Body)
{
    IReadOnlyList<(string Role, string Content)>? messages;

    /// <summary>Azure OpenAI's key header.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Azure OpenAI's api-version query parameter.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>Azure OpenAI: the deployment named in the path (the body names no model).</summary>
    public string? Deployment { get; init; }

    public string? Model => Body["model"]?.GetValue<string>() ?? Deployment;
    public double? Temperature => Body["temperature"]?.GetValue<double>();
    public long? Seed => Body["seed"]?.GetValue<long>();
    /// <summary>max_completion_tokens (what the SDK sends) or max_tokens.</summary>
    public int? MaxTokens => (Body["max_completion_tokens"] ?? Body["max_tokens"])?.GetValue<int>();
    /// <summary>Read from the body once (load benchmarks ask for it several times per request).</summary>
    public IReadOnlyList<(string Role, string Content)> Messages =>
        messages ??= Body["messages"]?.AsArray().Select(m => (m!["role"]!.GetValue<string>(), Content(m["content"]))).ToList() ?? [];

    static string Content(JsonNode? content) => content switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())),
        _ => "",
    };
}

/// <summary>
/// A loopback HTTP server (127.0.0.1, random port) speaking the OpenAI /v1/chat/completions and
/// /v1/embeddings wire format, and Azure OpenAI's /openai/deployments/{deployment}/... with an
/// api-key header and an api-version query, with scripted replies, injectable latency and faults, a request
/// count and the captured requests. Token usage is the number of words, so tests can predict it.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    readonly WebApplication app;
    readonly CancellationTokenSource stopping = new();
    readonly ConcurrentQueue<FakeFault> faults = new();
    readonly ConcurrentQueue<CapturedRequest> requests = new();
    int requestCount;
    int inFlight;
    int maxInFlight;

    FakeOpenAIServer(WebApplication app) => this.app = app;

    /// <summary>The base URL to configure (ends in /v1/).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The URL to configure for an azure endpoint (the resource's root).</summary>
    public Uri AzureEndpoint => new(BaseUrl, "/");

    /// <summary>Keep every request for <see cref="Requests"/> (tests); load benchmarks turn it off, so that what the server keeps does not weigh on the client's garbage collector.</summary>
    public bool CaptureRequests { get; set; } = true;

    /// <summary>Delay before every answer.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>The reply to a chat request (default: "Echo: " + the last message).</summary>
    public Func<CapturedRequest, string> Reply { get; set; } = r => "Echo: " + (r.Messages.Count > 0 ? r.Messages[^1].Content : "");

    /// <summary>A fault for a given request (by 1-based request number), applied after the queued faults; null answers normally.</summary>
    public Func<int, CapturedRequest, FakeFault?>? FaultWhen { get; set; }

    /// <summary>Requests received (chat and embeddings, including faulted ones).</summary>
    public int RequestCount => Volatile.Read(ref requestCount);

    public IReadOnlyList<CapturedRequest> Requests => requests.ToList();

    /// <summary>The most requests the server was working on at one time.</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref maxInFlight);

    /// <summary>The next requests get these faults, in order.</summary>
    public FakeOpenAIServer Enqueue(params FakeFault[] next)
    {
        foreach (var fault in next)
            faults.Enqueue(fault);
        return this;
    }

    public static async Task<FakeOpenAIServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeOpenAIServer(app);
        app.MapPost("/v1/chat/completions", server.ChatAsync);
        app.MapPost("/v1/embeddings", server.EmbeddingsAsync);
        app.MapPost("/openai/deployments/{deployment}/chat/completions", server.ChatAsync);
        app.MapPost("/openai/deployments/{deployment}/embeddings", server.EmbeddingsAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/v1/");
        return server;
    }

    async Task<CapturedRequest?> ReceiveAsync(HttpContext context, CancellationToken aborted)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: aborted) as JsonObject ?? [];
        var captured = new CapturedRequest(context.Request.Path, context.Request.Headers.Authorization, body)
        {
            ApiKey = context.Request.Headers["api-key"],
            ApiVersion = context.Request.Query["api-version"],
            Deployment = context.Request.RouteValues["deployment"] as string,
        };
        if (CaptureRequests)
            requests.Enqueue(captured);
        var number = Interlocked.Increment(ref requestCount);
        var now = Interlocked.Increment(ref inFlight);
        for (var max = Volatile.Read(ref maxInFlight); now > max; max = Volatile.Read(ref maxInFlight))
            Interlocked.CompareExchange(ref maxInFlight, now, max);
        try
        {
            if (Latency > TimeSpan.Zero)
                await Task.Delay(Latency, aborted);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
        var fault = faults.TryDequeue(out var queued) ? queued : FaultWhen?.Invoke(number, captured);
        switch (fault)
        {
            case FakeFault.RateLimited r:
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = r.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await context.Response.WriteAsJsonAsync(Error("Rate limit reached", "rate_limit_exceeded"), aborted);
                return null;
            case FakeFault.ServerError e:
                context.Response.StatusCode = e.Status;
                await context.Response.WriteAsJsonAsync(Error("The server had an error", "server_error"), aborted);
                return null;
            case FakeFault.Hang:
                await Task.Delay(Timeout.Infinite, aborted);
                return null;
            case FakeFault.Malformed:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"id\": \"chatcmpl-broken\", \"choices\": [ {\"mess", aborted);
                return null;
            default:
                return captured;
        }
    }

    static JsonObject Error(string message, string code) => new() { ["error"] = new JsonObject { ["message"] = message, ["type"] = code, ["code"] = code } };

    async Task ChatAsync(HttpContext context)
    {
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
        try
        {
            if (await ReceiveAsync(context, aborted.Token) is not { } request)
                return;
            var text = Reply(request);
            var input = request.Messages.Sum(m => CountWords(m.Content));
            var output = CountWords(text);
            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["id"] = "chatcmpl-" + RequestCount,
                ["object"] = "chat.completion",
                ["created"] = 1_763_800_000,
                ["model"] = request.Model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
                    ["finish_reason"] = "stop",
                }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = input, ["completion_tokens"] = output, ["total_tokens"] = input + output },
            }, aborted.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up (timeout, cancellation) or the server is stopping.
        }
    }

    async Task EmbeddingsAsync(HttpContext context)
    {
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
        try
        {
            if (await ReceiveAsync(context, aborted.Token) is not { } request)
                return;
            var inputs = request.Body["input"] switch
            {
                JsonArray array => array.Select(i => i!.GetValue<string>()).ToList(),
                JsonValue value => [value.GetValue<string>()],
                _ => new List<string>(),
            };
            var data = new JsonArray(inputs.Select((text, i) => (JsonNode)new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                ["embedding"] = new JsonArray(Vector(text).Select(v => (JsonNode)v).ToArray()),
            }).ToArray());
            var tokens = inputs.Sum(CountWords);
            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["object"] = "list",
                ["data"] = data,
                ["model"] = request.Model,
                ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
            }, aborted.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A deterministic, deliberately unnormalised 8-dimensional vector per text.</summary>
    public static float[] Vector(string text)
    {
        var vector = new float[8];
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var hash = 2166136261u;
            foreach (var ch in word.ToLowerInvariant())
                hash = (hash ^ ch) * 16777619u;
            vector[hash % 8] += 3;
        }
        return vector;
    }

    public static int CountWords(string text)
    {
        var words = 0;
        var inWord = false;
        foreach (var ch in text)
        {
            var separator = ch is ' ' or '\n' or '\t';
            if (!separator && !inWord)
                words++;
            inWord = !separator;
        }
        return words;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        stopping.Dispose();
    }
}
