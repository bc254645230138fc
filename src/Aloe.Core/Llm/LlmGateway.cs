using System.Diagnostics;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aloe.Core.Llm;

/// <summary>A call that failed after all retries (or could not be retried). The message names endpoint, model and cause, never a key.</summary>
public sealed class LlmCallException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What the settings page shows about an endpoint (no key, only whether its variable is set); azure endpoints add their deployment, api-version and sign-in.</summary>
public sealed record LlmEndpointStatus(string Name, LlmEndpointType Type, string? BaseUrl, string? ApiKeyEnv, bool ApiKeyPresent,
    int MaxConcurrency, int InFlight, int TimeoutSeconds, IReadOnlyList<LlmRole> Roles,
    string? Deployment = null, string? ApiVersion = null, bool UseEntraId = false);

public sealed record LlmPingResult(bool Ok, string Endpoint, string Model, string? Reply, string? Error, double LatencyMs);

/// <summary>
/// The one path to language models (DESIGN.md): binds roles to endpoints and runs each call through
/// its endpoint's <see cref="ChatClientBuilder"/> pipeline, composed in <see cref="Pipeline"/>:
/// call log, response cache, the run's budget, cost, retries (Polly), concurrency limit and per-attempt timeout,
/// OpenTelemetry (GenAI conventions), logging, then the provider (<see cref="LlmProviders"/>).
/// </summary>
internal sealed class LlmGateway : ILlmGateway, IAsyncDisposable, IDisposable
{
    /// <summary>The ActivitySource and Meter name of the gateway's OpenTelemetry spans and metrics.</summary>
    public const string TelemetrySource = "Aloe.Llm";

    readonly LlmOptions options;
    readonly Dictionary<string, Endpoint> endpoints;
    readonly Dictionary<LlmRole, RoleBinding> roles;
    readonly LexicalEmbedder lexical = new();
    readonly IEmbeddingGenerator<string, Embedding<float>>? embedder;
    readonly LlmCallLog log;

    sealed class Endpoint(string name, LlmEndpointOptions options, Func<TokenCredential> entraId)
    {
        public string Name { get; } = name;
        public LlmEndpointOptions Options { get; } = options;
        /// <summary>The bare provider (connection tests go around cache, log and retries).</summary>
        public IChatClient Provider { get; } = LlmProviders.Chat(options, entraId);
        public EndpointGate Gate { get; } = new(options.MaxConcurrency, options.TimeoutSeconds);
        public IChatClient Pipeline { get; set; } = null!;
        public ResponseCacheChatClient Cache => Pipeline.GetService<ResponseCacheChatClient>()!;
        /// <summary>Part of the cache key: a renamed URL or a new simulator seed must not reuse old answers.</summary>
        public string Identity { get; } = $"{name}|{options.Type}|{options.BaseUrl}|{(options.Type == LlmEndpointType.Simulated ? options.Seed : 0)}";
    }

    /// <param name="entraId">Microsoft Entra ID for azure endpoints with UseEntraId; DefaultAzureCredential when none is registered.</param>
    public LlmGateway(IOptions<LlmOptions> options, LlmCacheStore cacheStore, LlmCallLog log, TimeProvider time, ILoggerFactory loggers,
        TokenCredential? entraId = null)
    {
        var credential = new Lazy<TokenCredential>(() => entraId ?? new DefaultAzureCredential());
        this.options = options.Value;
        this.log = log;
        var retry = new LlmRetry(this.options, time, loggers.CreateLogger<LlmGateway>());
        var cache = new LlmResponseCache(cacheStore, log, time, this.options.MemoryCacheEntries);
        var configured = new Dictionary<string, LlmEndpointOptions>(this.options.Endpoints, StringComparer.OrdinalIgnoreCase);
        // The simulated endpoint always exists, so role defaults work with an empty configuration.
        configured.TryAdd(LlmOptions.SimulatedEndpoint, new LlmEndpointOptions { Type = LlmEndpointType.Simulated, MaxConcurrency = 64 });
        endpoints = configured.ToDictionary(e => e.Key, e => new Endpoint(e.Key, e.Value, () => credential.Value), StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in endpoints.Values)
            endpoint.Pipeline = Pipeline(endpoint, cache, retry, time, loggers);
        roles = Enum.GetValues<LlmRole>().ToDictionary(r => r, r => this.options.Roles.TryGetValue(r.ToString(), out var b)
            ? new RoleBinding(b.Endpoint, b.Model, b.Temperature, b.MaxTokens)
            : LlmOptions.DefaultBinding(r));
        foreach (var (role, binding) in roles)
            if (!endpoints.ContainsKey(binding.Endpoint))
                throw new InvalidOperationException($"Llm:Roles:{role} uses endpoint '{binding.Endpoint}', which is not in Llm:Endpoints.");
        if (this.options.Embeddings is { } e)
        {
            if (!endpoints.TryGetValue(e.Endpoint, out var ep) || ep.Options.Type == LlmEndpointType.Simulated)
                throw new InvalidOperationException($"Llm:Embeddings:Endpoint '{e.Endpoint}' must name an openai or azure endpoint in Llm:Endpoints.");
            embedder = new EmbeddingGeneratorBuilder<string, Embedding<float>>(LlmProviders.Embeddings(ep.Options, e.Model, () => credential.Value))
                .Use(inner => new GuardedEmbeddingGenerator(inner, retry, ep.Gate, $"Embedding call to {ep.Name}/{e.Model}"))
                .UseOpenTelemetry(loggers, TelemetrySource)
                .UseLogging(loggers)
                .Build();
        }
    }

    /// <summary>The gateway's middleware, outermost first. Every concern is one <see cref="DelegatingChatClient"/>.</summary>
    static IChatClient Pipeline(Endpoint endpoint, LlmResponseCache cache, LlmRetry retry, TimeProvider time, ILoggerFactory loggers) =>
        new ChatClientBuilder(endpoint.Provider)
            .Use(inner => new CallLogChatClient(inner, cache.Log, time))
            .Use(inner => new ResponseCacheChatClient(inner, cache, endpoint.Name, endpoint.Identity))
            .Use(inner => new BudgetChatClient(inner))
            .Use(inner => new CostChatClient(inner, endpoint.Options.Prices))
            .Use(inner => new RetryingChatClient(inner, retry))
            .Use(inner => new ConcurrencyLimitingChatClient(inner, endpoint.Gate))
            .UseOpenTelemetry(loggers, TelemetrySource)
            .UseLogging(loggers)
            .Build();

    public string EmbedderId => options.Embeddings is { } e ? $"{(endpoints[e.Endpoint].Options.Type == LlmEndpointType.Azure ? "azure" : "openai")}-{e.Endpoint}-{e.Model}" : lexical.Id;

    public IReadOnlyDictionary<LlmRole, RoleBinding> ResolveRoles(IReadOnlyDictionary<LlmRole, RoleBinding>? overrides = null) =>
        roles.ToDictionary(r => r.Key, r => overrides?.GetValueOrDefault(r.Key) ?? r.Value);

    public bool IsSimulated(LlmRole role, RoleBinding? binding = null) =>
        EndpointFor(binding ?? roles[role]).Options.Type == LlmEndpointType.Simulated;

    public IReadOnlyList<LlmEndpointStatus> Endpoints() =>
        endpoints.Values.OrderBy(e => e.Name).Select(e => new LlmEndpointStatus(e.Name, e.Options.Type, e.Options.BaseUrl, e.Options.ApiKeyEnv,
            LlmProviders.ApiKey(e.Options) is not null,
            e.Options.MaxConcurrency, e.Gate.InFlight, e.Options.TimeoutSeconds,
            roles.Where(r => string.Equals(r.Value.Endpoint, e.Name, StringComparison.OrdinalIgnoreCase)).Select(r => r.Key).ToList(),
            e.Options.Deployment, e.Options.ApiVersion, e.Options.UseEntraId)).ToList();

    Endpoint EndpointFor(RoleBinding binding) =>
        endpoints.TryGetValue(binding.Endpoint, out var endpoint)
            ? endpoint
            : throw new LlmCallException($"Unknown LLM endpoint '{binding.Endpoint}'; configured: {string.Join(", ", endpoints.Keys)}.");

    public async Task<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken)
    {
        var binding = request.Binding ?? roles[request.Role];
        var endpoint = EndpointFor(binding);
        // A model the simulator does not answer to is the caller's mistake, not a transient fault to retry.
        if (endpoint.Options.Type == LlmEndpointType.Simulated && !Simulated.SimulatedChatClient.IsModel(binding.Model))
            throw new ArgumentException(Simulated.SimulatedChatClient.UnknownModel(binding.Model));
        var seed = request.Seed ?? LlmRunScope.Seed;
        var state = new LlmCallState(request, binding, endpoint.Name, seed);
        var chatOptions = new LlmChatOptions(state)
        {
            ModelId = binding.Model,
            Temperature = binding.Temperature,
            MaxOutputTokens = binding.MaxTokens,
            Seed = ProviderSeed(seed, request.SampleIndex),
        };
        var response = await endpoint.Pipeline.GetResponseAsync(request.Messages, chatOptions, cancellationToken);
        return new LlmResponse(response.Text, response.ModelId ?? binding.Model, (int)(response.Usage?.InputTokenCount ?? 0),
            (int)(response.Usage?.OutputTokenCount ?? 0), state.Cached, state.Latency);
    }

    /// <summary>The seed the provider samples with: the sample index alone for unseeded calls (as before seeds), else both mixed.</summary>
    internal static long ProviderSeed(int? seed, int sampleIndex) =>
        seed is { } s ? (long)s * 1_000_003 + sampleIndex : sampleIndex;

    public Task DiscardAsync(LlmRequest request, CancellationToken cancellationToken)
    {
        var binding = request.Binding ?? roles[request.Role];
        var endpoint = EndpointFor(binding);
        return endpoint.Cache.DiscardAsync(new LlmCallState(request, binding, endpoint.Name, request.Seed ?? LlmRunScope.Seed), cancellationToken);
    }

    public async Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        if (embedder is null || options.Embeddings is not { } settings)
            return texts.Select(lexical.Embed).ToList();
        var vectors = new List<float[]>(texts.Count);
        foreach (var batch in texts.Chunk(settings.BatchSize))
        {
            var result = await embedder.GenerateAsync(batch, cancellationToken: cancellationToken);
            vectors.AddRange(result.Select(e => Normalise(e.Vector.ToArray())));
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
            var response = await endpoint.Gate.RunAsync(token => endpoint.Provider.GetResponseAsync(
                [new ChatMessage(ChatRole.User, "Hello! Please reply with a short greeting.")],
                new ChatOptions { ModelId = model, MaxOutputTokens = 20, Temperature = 0 }, token), cancellationToken);
            return new LlmPingResult(true, name, response.ModelId ?? model, response.Text, null, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new LlmPingResult(false, name, model, null, LlmProviders.Translate(e).Message, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>Waits until the call log and new cache entries are stored.</summary>
    public Task FlushAsync() => log.FlushAsync();

    public ValueTask DisposeAsync()
    {
        foreach (var endpoint in endpoints.Values)
            endpoint.Pipeline.Dispose();
        embedder?.Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
