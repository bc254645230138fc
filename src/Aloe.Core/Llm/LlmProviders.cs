using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Aloe.Core.Llm.Simulated;
using Azure.AI.OpenAI;
using Azure.Core;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Aloe.Core.Llm;

/// <summary>
/// A provider failure the retry middleware may retry: HTTP status (null for transport faults and
/// unreadable bodies) and the server's Retry-After. Keeps SDK exception types inside Llm/.
/// </summary>
public sealed class LlmProviderException(string message, int? status, TimeSpan? retryAfter, bool transient, Exception? inner = null)
    : Exception(message, inner)
{
    public int? Status { get; } = status;
    public TimeSpan? RetryAfter { get; } = retryAfter;
    public bool Transient { get; } = transient;
}

/// <summary>
/// The providers behind each endpoint: the official SDKs through Microsoft.Extensions.AI.OpenAI's
/// <c>AsIChatClient()</c> / <c>AsIEmbeddingGenerator()</c>, or the Simulated provider. The SDKs'
/// own retries are off: the gateway's pipeline retries in one place (<see cref="LlmRetry"/>).
/// </summary>
internal static class LlmProviders
{
    /// <param name="entraId">The Microsoft Entra ID credential of azure endpoints with UseEntraId (DefaultAzureCredential unless a test supplies one).</param>
    public static IChatClient Chat(LlmEndpointOptions endpoint, Func<TokenCredential>? entraId = null) => endpoint.Type switch
    {
        LlmEndpointType.OpenAI => new ModelRoutingChatClient(OpenAi(endpoint), null),
        LlmEndpointType.Azure => new ModelRoutingChatClient(Azure(endpoint, entraId), endpoint.Deployment),
        _ => new SimulatedChatClient(endpoint.Seed),
    };

    public static IEmbeddingGenerator<string, Embedding<float>> Embeddings(LlmEndpointOptions endpoint, string model, Func<TokenCredential>? entraId = null) => endpoint.Type switch
    {
        LlmEndpointType.OpenAI => OpenAi(endpoint).GetEmbeddingClient(model).AsIEmbeddingGenerator(),
        LlmEndpointType.Azure => Azure(endpoint, entraId).GetEmbeddingClient(endpoint.Deployment is { Length: > 0 } d ? d : model).AsIEmbeddingGenerator(),
        _ => throw new InvalidOperationException("Embeddings need an openai or azure endpoint."),
    };

    /// <summary>
    /// Azure OpenAI: /openai/deployments/{deployment}/... with an api-version, and an api-key
    /// header or a Microsoft Entra ID bearer token.
    /// </summary>
    static AzureOpenAIClient Azure(LlmEndpointOptions endpoint, Func<TokenCredential>? entraId)
    {
        var options = endpoint.ApiVersion is { Length: > 0 } version ? new AzureOpenAIClientOptions(AzureVersion(version)) : new AzureOpenAIClientOptions();
        options.RetryPolicy = new ClientRetryPolicy(maxRetries: 0);
        options.NetworkTimeout = TimeSpan.FromSeconds(endpoint.TimeoutSeconds + 5);
        var uri = new Uri(endpoint.BaseUrl ?? throw new InvalidOperationException("An azure endpoint needs a baseUrl (the resource's URL)."));
        return endpoint.UseEntraId
            ? new AzureOpenAIClient(uri, (entraId ?? (() => new Azure.Identity.DefaultAzureCredential()))(), options)
            : new AzureOpenAIClient(uri, Credential(endpoint), options);
    }

    /// <summary>The api-versions this SDK can speak, as Azure writes them (2024-10-21, 2025-04-01-preview).</summary>
    public static IReadOnlyList<string> AzureApiVersions { get; } = Enum.GetNames<AzureOpenAIClientOptions.ServiceVersion>()
        .Select(n => n[1..].Replace("_Preview", "-preview", StringComparison.Ordinal).Replace('_', '-')).ToList();

    public static bool IsKnownAzureApiVersion(string version) => AzureApiVersions.Contains(version, StringComparer.OrdinalIgnoreCase);

    static AzureOpenAIClientOptions.ServiceVersion AzureVersion(string version) =>
        Enum.Parse<AzureOpenAIClientOptions.ServiceVersion>("V" + version.Replace("-preview", "_Preview", StringComparison.OrdinalIgnoreCase).Replace('-', '_'), ignoreCase: true);

    static OpenAIClient OpenAi(LlmEndpointOptions endpoint) => new(Credential(endpoint), new OpenAIClientOptions
    {
        Endpoint = new Uri(endpoint.BaseUrl ?? throw new InvalidOperationException("An openai endpoint needs a baseUrl.")),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        // The pipeline enforces the timeout per attempt; the SDK's network timeout only backs it up.
        NetworkTimeout = TimeSpan.FromSeconds(endpoint.TimeoutSeconds + 5),
    });

    /// <summary>The key from the named environment variable; local servers (vLLM, Ollama) take any non-empty key.</summary>
    static ApiKeyCredential Credential(LlmEndpointOptions endpoint) => new(ApiKey(endpoint) ?? "no-key");

    public static string? ApiKey(LlmEndpointOptions endpoint) =>
        endpoint.ApiKeyEnv is { Length: > 0 } name && Environment.GetEnvironmentVariable(name) is { Length: > 0 } key ? key : null;

    /// <summary>What went wrong, in our terms: HTTP status, Retry-After, and whether trying again can help.</summary>
    public static LlmProviderException Translate(Exception exception) => exception switch
    {
        LlmProviderException e => e,
        ClientResultException { Status: > 0 } e => new LlmProviderException(
            $"HTTP {e.Status}: {Short(e.Message)}", e.Status, RetryAfter(e.GetRawResponse()),
            transient: e.Status is 408 or 409 or 429 or >= 500, e),
        // Status 0: the request never got an HTTP answer (connection refused, reset).
        ClientResultException e => new LlmProviderException($"Transport error: {Short(e.Message)}", null, null, true, e),
        HttpRequestException e => new LlmProviderException($"Transport error: {Short(e.Message)}", null, null, true, e),
        // The SDK's own network timeout (the caller's cancellation never gets here).
        OperationCanceledException or TimeoutException => new LlmProviderException($"Timed out: {Short(exception.Message)}", null, null, true, exception),
        JsonException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException =>
            new LlmProviderException($"Unreadable response body: {Short(exception.Message)}", null, null, true, exception),
        _ => new LlmProviderException(Short(exception.Message), null, null, false, exception),
    };

    static TimeSpan? RetryAfter(PipelineResponse? response)
    {
        if (response is null)
            return null;
        if (response.Headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, CultureInfo.InvariantCulture, out var millis))
            return TimeSpan.FromMilliseconds(millis);
        if (!response.Headers.TryGetValue("Retry-After", out var value) || value is null)
            return null;
        if (double.TryParse(value, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(Math.Max(0, seconds));
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date - DateTimeOffset.UtcNow
            : null;
    }

    static string Short(string message) => message.Length <= 300 ? message : message[..300] + "…";
}

/// <summary>
/// One endpoint serves every model its roles name: the SDK binds a client to one model (an Azure
/// deployment), so this keeps one <c>AsIChatClient()</c> per <see cref="ChatOptions.ModelId"/>,
/// or sends everything to the endpoint's one configured deployment.
/// </summary>
internal sealed class ModelRoutingChatClient(OpenAIClient client, string? deployment) : IChatClient
{
    readonly ConcurrentDictionary<string, IChatClient> byModel = new(StringComparer.Ordinal);

    IChatClient For(ChatOptions? options) =>
        byModel.GetOrAdd(deployment is { Length: > 0 } ? deployment : options?.ModelId ?? throw new ArgumentException("ChatOptions.ModelId is required."),
            m => client.GetChatClient(m).AsIChatClient());

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        For(options).GetResponseAsync(messages, options, cancellationToken);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        For(options).GetStreamingResponseAsync(messages, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
        foreach (var inner in byModel.Values)
            inner.Dispose();
    }
}
