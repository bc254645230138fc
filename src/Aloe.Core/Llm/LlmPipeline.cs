using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Aloe.Core.Llm;

/// <summary>What one gateway call carries through the pipeline and what the middleware learns about it.</summary>
internal sealed class LlmCallState(LlmRequest request, RoleBinding binding, string endpoint, int? seed)
{
    public LlmRequest Request { get; } = request;
    public int? Seed { get; } = seed;
    public RoleBinding Binding { get; } = binding;
    public string Endpoint { get; } = endpoint;
    public bool Cached { get; set; }
    public double Cost { get; set; }
    public int Attempts { get; set; }
    public TimeSpan Latency { get; set; }

    public string Where => $"{Request.Role} call to {Endpoint}/{Binding.Model}";
}

/// <summary>
/// The gateway's <see cref="ChatOptions"/>: the call's state rides along so that each middleware
/// (log, cache, cost, retry) reads the request it belongs to. Cloning keeps the state.
/// </summary>
internal sealed class LlmChatOptions : ChatOptions
{
    public LlmChatOptions(LlmCallState state) => State = state;

    LlmChatOptions(LlmChatOptions other) : base(other) => State = other.State;

    public LlmCallState State { get; }

    public override ChatOptions Clone() => new LlmChatOptions(this);

    public static LlmCallState? Of(ChatOptions? options) => (options as LlmChatOptions)?.State;
}

/// <summary>Writes one <see cref="LlmCall"/> row per gateway call (cache hits and failures included) and measures its latency.</summary>
internal sealed class CallLogChatClient(IChatClient inner, LlmCallLog log, TimeProvider time) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (LlmChatOptions.Of(options) is not { } state)
            return await base.GetResponseAsync(messages, options, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken);
            state.Latency = Stopwatch.GetElapsedTime(started);
            Log(state, (int)(response.Usage?.InputTokenCount ?? 0), (int)(response.Usage?.OutputTokenCount ?? 0), null);
            return response;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            state.Latency = Stopwatch.GetElapsedTime(started);
            Log(state, 0, 0, "Cancelled");
            throw;
        }
        catch (LlmCallException e)
        {
            state.Latency = Stopwatch.GetElapsedTime(started);
            Log(state, 0, 0, e.Message);
            throw;
        }
    }

    void Log(LlmCallState state, int input, int output, string? error) =>
        log.Add(new LlmCall
        {
            Role = state.Request.Role,
            RunId = state.Request.RunId,
            Endpoint = state.Binding.Endpoint,
            Model = state.Binding.Model,
            InputTokens = input,
            OutputTokens = output,
            Cost = state.Cached ? 0 : state.Cost,
            LatencyMs = state.Latency.TotalMilliseconds,
            CacheHit = state.Cached,
            Error = error is { Length: > 1000 } ? error[..1000] : error,
            CreatedAt = time.GetUtcNow(),
        });
}

/// <summary>
/// Responses by request hash (<see cref="LlmRequestKey"/>): a memory layer over the database
/// (<see cref="LlmCacheStore"/>); new entries are written behind by the call log's loop.
/// Shared by every endpoint's pipeline (the key names the endpoint).
/// </summary>
internal sealed class LlmResponseCache(LlmCacheStore store, LlmCallLog log, TimeProvider time, int memoryEntries)
{
    internal sealed record Entry(string Text, string Model, int InputTokens, int OutputTokens);

    readonly ConcurrentDictionary<string, Entry> memory = new(StringComparer.Ordinal);

    /// <summary>Where calls and new entries are written behind.</summary>
    public LlmCallLog Log => log;

    public async ValueTask<Entry?> FindAsync(string key, CancellationToken cancellationToken)
    {
        if (memory.TryGetValue(key, out var hit))
            return hit;
        if (await store.FindAsync(key, cancellationToken) is not { } stored)
            return null;
        var entry = new Entry(stored.Text, stored.Model, stored.InputTokens, stored.OutputTokens);
        Remember(key, entry);
        return entry;
    }

    public void Add(string key, string endpoint, Entry entry)
    {
        Remember(key, entry);
        log.Add(new LlmCacheEntry { Key = key, Endpoint = endpoint, Model = entry.Model, Text = entry.Text, InputTokens = entry.InputTokens, OutputTokens = entry.OutputTokens, CreatedAt = time.GetUtcNow() });
    }

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        memory.TryRemove(key, out _);
        // The entry may still be queued for writing: let it land first, then delete it.
        await log.FlushAsync();
        await store.RemoveAsync(key, cancellationToken);
    }

    void Remember(string key, Entry entry)
    {
        // A crude bound: the database keeps everything, memory only needs the working set.
        if (memory.Count >= memoryEntries)
            memory.Clear();
        if (memoryEntries > 0)
            memory[key] = entry;
    }
}

/// <summary>Answers a request seen before from the cache; stores every new successful answer.</summary>
internal sealed class ResponseCacheChatClient(IChatClient inner, LlmResponseCache cache, string endpointName, string endpointIdentity) : DelegatingChatClient(inner)
{
    public string Key(LlmCallState state) => LlmRequestKey.Compute(endpointIdentity, state.Binding, state.Request.Messages, state.Request.SampleIndex, state.Seed);

    public Task DiscardAsync(LlmCallState state, CancellationToken cancellationToken) => cache.RemoveAsync(Key(state), cancellationToken);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (LlmChatOptions.Of(options) is not { } state)
            return await base.GetResponseAsync(messages, options, cancellationToken);
        var key = Key(state);
        if (await cache.FindAsync(key, cancellationToken) is { } hit)
        {
            state.Cached = true;
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, hit.Text))
            {
                ModelId = hit.Model,
                Usage = new UsageDetails { InputTokenCount = hit.InputTokens, OutputTokenCount = hit.OutputTokens, TotalTokenCount = hit.InputTokens + hit.OutputTokens },
            };
        }
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        cache.Add(key, endpointName, new LlmResponseCache.Entry(response.Text, response.ModelId ?? state.Binding.Model,
            (int)(response.Usage?.InputTokenCount ?? 0), (int)(response.Usage?.OutputTokenCount ?? 0)));
        return response;
    }
}

/// <summary>Token usage (estimated at four characters a token when the server reports none) and cost from the endpoint's price table.</summary>
internal sealed class CostChatClient(IChatClient inner, IReadOnlyDictionary<string, ModelPrice> prices) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        if (LlmChatOptions.Of(options) is not { } state)
            return response;
        var input = (int)(response.Usage?.InputTokenCount ?? EstimateTokens(state.Request.Messages.Sum(m => m.Text.Length)));
        var output = (int)(response.Usage?.OutputTokenCount ?? EstimateTokens(response.Text.Length));
        response.Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
        state.Cost = Cost(prices, state.Binding.Model, input, output);
        return response;
    }

    internal static int EstimateTokens(int characters) => (characters + 3) / 4;

    internal static double Cost(IReadOnlyDictionary<string, ModelPrice> prices, string model, long input, long output) =>
        prices.TryGetValue(model, out var price) ? (input * price.InputPerMillion + output * price.OutputPerMillion) / 1_000_000 : 0;
}

/// <summary>
/// The one retry policy (Polly) for chat and embedding calls: transient failures (429, 408, 409,
/// 5xx, transport faults, timeouts, unreadable bodies) are retried with exponential backoff and
/// jitter; a server's Retry-After is a floor. Anything else fails at once.
/// </summary>
internal sealed class LlmRetry
{
    readonly ResiliencePipeline pipeline;

    public LlmRetry(LlmOptions options, TimeProvider time, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxRetries > 0)
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is LlmProviderException { Transient: true }),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Backoff(options.RetryBaseDelayMs, args.AttemptNumber,
                    (args.Outcome.Exception as LlmProviderException)?.RetryAfter, Random.Shared.NextDouble())),
                OnRetry = args =>
                {
                    logger.LogWarning("LLM call failed ({Error}); retry {Attempt} in {Delay} ms.", args.Outcome.Exception?.Message, args.AttemptNumber + 1, (int)args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            });
        pipeline = builder.Build();
    }

    /// <summary>Runs <paramref name="attempt"/> until it succeeds or retrying cannot help; the failure then names <paramref name="where"/> and the attempts made.</summary>
    public async Task<T> ExecuteAsync<T>(string where, Func<CancellationToken, Task<T>> attempt, Action<int>? attempted, CancellationToken cancellationToken)
    {
        var attempts = 0;
        try
        {
            return await pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                attempted?.Invoke(attempts);
                try
                {
                    return await attempt(token);
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    throw LlmProviders.Translate(e);
                }
            }, cancellationToken);
        }
        catch (LlmProviderException failure)
        {
            throw new LlmCallException($"{where} failed after {attempts} attempt(s): {failure.Message}", failure);
        }
    }

    /// <summary>Exponential backoff with "equal jitter" (half fixed, half random); a server's Retry-After is a floor (capped at a minute).</summary>
    internal static TimeSpan Backoff(int baseDelayMs, int attempt, TimeSpan? retryAfter, double jitter)
    {
        var exponential = baseDelayMs * Math.Pow(2, attempt);
        var jittered = exponential / 2 + jitter * exponential / 2;
        var floor = Math.Min(retryAfter?.TotalMilliseconds ?? 0, 60_000);
        return TimeSpan.FromMilliseconds(Math.Max(jittered, floor));
    }
}

/// <summary>Retries through <see cref="LlmRetry"/>; the caller sees either an answer or an <see cref="LlmCallException"/>.</summary>
internal sealed class RetryingChatClient(IChatClient inner, LlmRetry retry) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var state = LlmChatOptions.Of(options);
        return retry.ExecuteAsync(state?.Where ?? "LLM call", token => base.GetResponseAsync(messages, options, token),
            state is null ? null : n => state.Attempts = n, cancellationToken);
    }
}

/// <summary>
/// An endpoint's limit on requests in flight; a slot is held per attempt (not during backoff), and
/// the attempt's timeout counts from when it holds one, so queueing behind the limit never times out.
/// </summary>
internal sealed class EndpointGate(int maxConcurrency, int timeoutSeconds)
{
    readonly SemaphoreSlim slots = new(maxConcurrency, maxConcurrency);

    public int InFlight => maxConcurrency - slots.CurrentCount;

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(timeoutSeconds));
            try
            {
                return await attempt(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new LlmProviderException($"Timed out after {timeoutSeconds} s", null, null, transient: true);
            }
        }
        finally
        {
            slots.Release();
        }
    }
}

internal sealed class ConcurrencyLimitingChatClient(IChatClient inner, EndpointGate gate) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        gate.RunAsync(token => base.GetResponseAsync(messages, options, token), cancellationToken);
}

/// <summary>Retries and the endpoint's limit for embedding calls (the same policy and slots as its chat calls).</summary>
internal sealed class GuardedEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, LlmRetry retry, EndpointGate gate, string where)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        retry.ExecuteAsync(where, token => gate.RunAsync(t => base.GenerateAsync(values, options, t), token), null, cancellationToken);
}
