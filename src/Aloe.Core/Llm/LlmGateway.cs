using System.Collections.Concurrent;
using System.Diagnostics;
using Aloe.Core.Llm.Simulated;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aloe.Core.Llm;

/// <summary>A call that failed after all retries (or could not be retried). The message names endpoint, model and cause, never a key.</summary>
public sealed class LlmCallException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What the settings page shows about an endpoint (no key, only whether its variable is set).</summary>
public sealed record LlmEndpointStatus(string Name, LlmEndpointType Type, string? BaseUrl, string? ApiKeyEnv, bool ApiKeyPresent,
    int MaxConcurrency, int InFlight, int TimeoutSeconds, IReadOnlyList<LlmRole> Roles);

public sealed record LlmPingResult(bool Ok, string Endpoint, string Model, string? Reply, string? Error, double LatencyMs);

/// <summary>
/// The one path to language models (DESIGN.md): role binding, response cache (memory, then
/// database), per-endpoint concurrency, retries with backoff and jitter honouring Retry-After,
/// per-attempt timeout, token and cost accounting, and the call log.
/// </summary>
internal sealed class LlmGateway : ILlmGateway, IAsyncDisposable, IDisposable
{
    readonly LlmOptions options;
    readonly LlmCacheStore cacheStore;
    readonly LlmCallLog log;
    readonly TimeProvider time;
    readonly ILogger logger;
    readonly Dictionary<string, Endpoint> endpoints;
    readonly Dictionary<LlmRole, RoleBinding> roles;
    readonly ConcurrentDictionary<string, CachedResponse> memory = new(StringComparer.Ordinal);
    readonly LexicalEmbedder lexical = new();
    readonly IEmbeddingGenerator<string, Embedding<float>>? embedder;

    sealed record CachedResponse(string Text, string Model, int InputTokens, int OutputTokens);

    sealed class Endpoint(string name, LlmEndpointOptions options, IChatClient client)
    {
        public string Name { get; } = name;
        public LlmEndpointOptions Options { get; } = options;
        public IChatClient Client { get; } = client;
        public SemaphoreSlim Gate { get; } = new(options.MaxConcurrency, options.MaxConcurrency);
        /// <summary>Part of the cache key: a renamed URL or a new simulator seed must not reuse old answers.</summary>
        public string Identity { get; } = $"{name}|{options.Type}|{options.BaseUrl}|{(options.Type == LlmEndpointType.Simulated ? options.Seed : 0)}";
        public int InFlight => Options.MaxConcurrency - Gate.CurrentCount;
    }

    public LlmGateway(IOptions<LlmOptions> options, LlmCacheStore cacheStore, LlmCallLog log, TimeProvider time, ILogger<LlmGateway> logger)
    {
        this.options = options.Value;
        this.cacheStore = cacheStore;
        this.log = log;
        this.time = time;
        this.logger = logger;
        var configured = new Dictionary<string, LlmEndpointOptions>(this.options.Endpoints, StringComparer.OrdinalIgnoreCase);
        // The simulated endpoint always exists, so role defaults work with an empty configuration.
        configured.TryAdd(LlmOptions.SimulatedEndpoint, new LlmEndpointOptions { Type = LlmEndpointType.Simulated, MaxConcurrency = 64 });
        endpoints = configured.ToDictionary(e => e.Key, e => new Endpoint(e.Key, e.Value, CreateClient(e.Value)), StringComparer.OrdinalIgnoreCase);
        roles = Enum.GetValues<LlmRole>().ToDictionary(r => r, r => this.options.Roles.TryGetValue(r.ToString(), out var b)
            ? new RoleBinding(b.Endpoint, b.Model, b.Temperature, b.MaxTokens)
            : LlmOptions.DefaultBinding(r));
        foreach (var (role, binding) in roles)
            if (!endpoints.ContainsKey(binding.Endpoint))
                throw new InvalidOperationException($"Llm:Roles:{role} uses endpoint '{binding.Endpoint}', which is not in Llm:Endpoints.");
        if (this.options.Embeddings is { } e)
        {
            if (!endpoints.TryGetValue(e.Endpoint, out var ep) || ep.Options.Type != LlmEndpointType.OpenAI)
                throw new InvalidOperationException($"Llm:Embeddings:Endpoint '{e.Endpoint}' must name an openai endpoint in Llm:Endpoints.");
            embedder = new OpenAiEmbeddingGenerator(ep.Options, e.Model);
        }
    }

    static IChatClient CreateClient(LlmEndpointOptions endpoint) => endpoint.Type switch
    {
        LlmEndpointType.OpenAI => new OpenAiChatClient(endpoint),
        _ => new SimulatedChatClient(endpoint.Seed),
    };

    public string EmbedderId => options.Embeddings is { } e ? $"openai-{e.Endpoint}-{e.Model}" : lexical.Id;

    public IReadOnlyDictionary<LlmRole, RoleBinding> ResolveRoles(IReadOnlyDictionary<LlmRole, RoleBinding>? overrides = null) =>
        roles.ToDictionary(r => r.Key, r => overrides?.GetValueOrDefault(r.Key) ?? r.Value);

    public bool IsSimulated(LlmRole role, RoleBinding? binding = null) =>
        EndpointFor(binding ?? roles[role]).Options.Type == LlmEndpointType.Simulated;

    public IReadOnlyList<LlmEndpointStatus> Endpoints() =>
        endpoints.Values.OrderBy(e => e.Name).Select(e => new LlmEndpointStatus(e.Name, e.Options.Type, e.Options.BaseUrl, e.Options.ApiKeyEnv,
            e.Options.ApiKeyEnv is { Length: > 0 } env && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(env)),
            e.Options.MaxConcurrency, e.InFlight, e.Options.TimeoutSeconds,
            roles.Where(r => string.Equals(r.Value.Endpoint, e.Name, StringComparison.OrdinalIgnoreCase)).Select(r => r.Key).ToList())).ToList();

    Endpoint EndpointFor(RoleBinding binding) =>
        endpoints.TryGetValue(binding.Endpoint, out var endpoint)
            ? endpoint
            : throw new LlmCallException($"Unknown LLM endpoint '{binding.Endpoint}'; configured: {string.Join(", ", endpoints.Keys)}.");

    public async Task<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var binding = request.Binding ?? roles[request.Role];
        var endpoint = EndpointFor(binding);
        var key = LlmRequestKey.Compute(endpoint.Identity, binding, request.Messages, request.SampleIndex);

        if (memory.TryGetValue(key, out var hit) || (hit = await FromDatabaseAsync(key, cancellationToken)) is not null)
        {
            var latency = Stopwatch.GetElapsedTime(started);
            Log(request, binding, hit.InputTokens, hit.OutputTokens, 0, latency, cacheHit: true, error: null);
            return new LlmResponse(hit.Text, hit.Model, hit.InputTokens, hit.OutputTokens, Cached: true, latency);
        }

        try
        {
            var response = await CallWithRetriesAsync(endpoint, binding, request, cancellationToken);
            var text = response.Text;
            var input = (int)(response.Usage?.InputTokenCount ?? EstimateTokens(request.Messages.Sum(m => m.Text.Length)));
            var output = (int)(response.Usage?.OutputTokenCount ?? EstimateTokens(text.Length));
            var model = response.ModelId ?? binding.Model;
            var cost = Cost(endpoint, binding.Model, input, output);
            var latency = Stopwatch.GetElapsedTime(started);
            Remember(key, new CachedResponse(text, model, input, output));
            log.Add(new LlmCacheEntry { Key = key, Endpoint = endpoint.Name, Model = model, Text = text, InputTokens = input, OutputTokens = output, CreatedAt = time.GetUtcNow() });
            Log(request, binding, input, output, cost, latency, cacheHit: false, error: null);
            return new LlmResponse(text, model, input, output, Cached: false, latency);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log(request, binding, 0, 0, 0, Stopwatch.GetElapsedTime(started), cacheHit: false, error: "Cancelled");
            throw;
        }
        catch (LlmCallException e)
        {
            Log(request, binding, 0, 0, 0, Stopwatch.GetElapsedTime(started), cacheHit: false, error: e.Message);
            throw;
        }
    }

    async Task<CachedResponse?> FromDatabaseAsync(string key, CancellationToken cancellationToken)
    {
        var entry = await cacheStore.FindAsync(key, cancellationToken);
        if (entry is null)
            return null;
        var cached = new CachedResponse(entry.Text, entry.Model, entry.InputTokens, entry.OutputTokens);
        Remember(key, cached);
        return cached;
    }

    void Remember(string key, CachedResponse response)
    {
        // A crude bound: the database keeps everything, memory only needs the working set.
        if (memory.Count >= options.MemoryCacheEntries)
            memory.Clear();
        if (options.MemoryCacheEntries > 0)
            memory[key] = response;
    }

    async Task<ChatResponse> CallWithRetriesAsync(Endpoint endpoint, RoleBinding binding, LlmRequest request, CancellationToken cancellationToken)
    {
        var chatOptions = new ChatOptions
        {
            ModelId = binding.Model,
            Temperature = binding.Temperature,
            MaxOutputTokens = binding.MaxTokens,
            Seed = request.SampleIndex,
        };
        for (var attempt = 0; ; attempt++)
        {
            LlmProviderException failure;
            await endpoint.Gate.WaitAsync(cancellationToken);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(endpoint.Options.TimeoutSeconds));
                try
                {
                    return await endpoint.Client.GetResponseAsync(request.Messages, chatOptions, timeout.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = new LlmProviderException($"Timed out after {endpoint.Options.TimeoutSeconds} s", null, null, transient: true);
                }
                catch (LlmProviderException e)
                {
                    failure = e;
                }
            }
            finally
            {
                endpoint.Gate.Release();
            }

            var where = $"{request.Role} call to {endpoint.Name}/{binding.Model}";
            if (!failure.Transient || attempt >= options.MaxRetries)
                throw new LlmCallException($"{where} failed after {attempt + 1} attempt(s): {failure.Message}", failure);
            var delay = Backoff(attempt, failure.RetryAfter);
            logger.LogWarning("{Where} failed ({Error}); retry {Attempt} in {Delay} ms.", where, failure.Message, attempt + 1, (int)delay.TotalMilliseconds);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    /// <summary>Exponential backoff with "equal jitter" (half fixed, half random); a server's Retry-After is a floor (capped at a minute).</summary>
    TimeSpan Backoff(int attempt, TimeSpan? retryAfter) => Backoff(options.RetryBaseDelayMs, attempt, retryAfter, Random.Shared.NextDouble());

    internal static TimeSpan Backoff(int baseDelayMs, int attempt, TimeSpan? retryAfter, double jitter)
    {
        var exponential = baseDelayMs * Math.Pow(2, attempt);
        var jittered = exponential / 2 + jitter * exponential / 2;
        var floor = Math.Min(retryAfter?.TotalMilliseconds ?? 0, 60_000);
        return TimeSpan.FromMilliseconds(Math.Max(jittered, floor));
    }

    static int EstimateTokens(int characters) => (characters + 3) / 4;

    static double Cost(Endpoint endpoint, string model, int input, int output) =>
        endpoint.Options.Prices.TryGetValue(model, out var price)
            ? (input * price.InputPerMillion + output * price.OutputPerMillion) / 1_000_000
            : 0;

    void Log(LlmRequest request, RoleBinding binding, int input, int output, double cost, TimeSpan latency, bool cacheHit, string? error) =>
        log.Add(new LlmCall
        {
            Role = request.Role,
            RunId = request.RunId,
            Endpoint = binding.Endpoint,
            Model = binding.Model,
            InputTokens = input,
            OutputTokens = output,
            Cost = cost,
            LatencyMs = latency.TotalMilliseconds,
            CacheHit = cacheHit,
            Error = error is { Length: > 1000 } ? error[..1000] : error,
            CreatedAt = time.GetUtcNow(),
        });

    public async Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        if (embedder is null || options.Embeddings is not { } settings)
            return texts.Select(lexical.Embed).ToList();
        var endpoint = endpoints[settings.Endpoint];
        var vectors = new List<float[]>(texts.Count);
        foreach (var batch in texts.Chunk(settings.BatchSize))
        {
            for (var attempt = 0; ; attempt++)
            {
                LlmProviderException failure;
                await endpoint.Gate.WaitAsync(cancellationToken);
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(endpoint.Options.TimeoutSeconds));
                    var result = await embedder.GenerateAsync(batch, cancellationToken: timeout.Token);
                    vectors.AddRange(result.Select(e => Normalise(e.Vector.ToArray())));
                    break;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = new LlmProviderException($"Timed out after {endpoint.Options.TimeoutSeconds} s", null, null, true);
                }
                catch (LlmProviderException e)
                {
                    failure = e;
                }
                finally
                {
                    endpoint.Gate.Release();
                }
                if (!failure.Transient || attempt >= options.MaxRetries)
                    throw new LlmCallException($"Embedding call to {endpoint.Name}/{settings.Model} failed after {attempt + 1} attempt(s): {failure.Message}", failure);
                await Task.Delay(Backoff(attempt, failure.RetryAfter), time, cancellationToken);
            }
        }
        return vectors;
    }

    static float[] Normalise(float[] vector)
    {
        var norm = System.Numerics.Tensors.TensorPrimitives.Norm(vector);
        if (norm > 0)
            System.Numerics.Tensors.TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    /// <summary>One small uncached call to an endpoint (settings page "Test connection", `aloe llm ping`).</summary>
    public async Task<LlmPingResult> TestEndpointAsync(string name, CancellationToken cancellationToken)
    {
        if (!endpoints.TryGetValue(name, out var endpoint))
            return new LlmPingResult(false, name, "", null, $"No endpoint named '{name}'.", 0);
        var model = roles.Values.FirstOrDefault(b => string.Equals(b.Endpoint, name, StringComparison.OrdinalIgnoreCase))?.Model
            ?? (endpoint.Options.Type == LlmEndpointType.Simulated ? "sim-generic" : null);
        if (model is null)
            return new LlmPingResult(false, name, "", null, "No role uses this endpoint, so there is no model to test it with.", 0);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(endpoint.Options.TimeoutSeconds));
            var response = await endpoint.Client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hello! Please reply with a short greeting.")],
                new ChatOptions { ModelId = model, MaxOutputTokens = 20, Temperature = 0 }, timeout.Token);
            return new LlmPingResult(true, name, response.ModelId ?? model, response.Text, null, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is LlmProviderException or OperationCanceledException)
        {
            var error = e is OperationCanceledException ? $"Timed out after {endpoint.Options.TimeoutSeconds} s" : e.Message;
            return new LlmPingResult(false, name, model, null, error, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>Waits until the call log and new cache entries are stored.</summary>
    public Task FlushAsync() => log.FlushAsync();

    public ValueTask DisposeAsync()
    {
        foreach (var endpoint in endpoints.Values)
            endpoint.Client.Dispose();
        embedder?.Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
