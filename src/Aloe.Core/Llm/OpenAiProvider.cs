using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiChatRole = Microsoft.Extensions.AI.ChatRole;

namespace Aloe.Core.Llm;

/// <summary>
/// A provider failure the gateway may retry: HTTP status (null for transport faults and
/// unreadable bodies) and the server's Retry-After. Keeps SDK exception types inside Llm/.
/// </summary>
public sealed class LlmProviderException(string message, int? status, TimeSpan? retryAfter, bool transient, Exception? inner = null)
    : Exception(message, inner)
{
    public int? Status { get; } = status;
    public TimeSpan? RetryAfter { get; } = retryAfter;
    public bool Transient { get; } = transient;
}

/// <summary>Creates the official SDK's options for one endpoint: our base URL, no SDK retries (the gateway retries), our timeout.</summary>
internal static class OpenAiClientFactory
{
    public static OpenAIClientOptions Options(LlmEndpointOptions endpoint) => new()
    {
        Endpoint = new Uri(endpoint.BaseUrl ?? throw new InvalidOperationException("An openai endpoint needs a baseUrl.")),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        // The gateway enforces the timeout per attempt; the SDK's network timeout only backs it up.
        NetworkTimeout = TimeSpan.FromSeconds(endpoint.TimeoutSeconds + 5),
    };

    /// <summary>The key from the named environment variable; local servers (vLLM, Ollama) take any non-empty key.</summary>
    public static ApiKeyCredential Credential(LlmEndpointOptions endpoint) =>
        new(endpoint.ApiKeyEnv is { Length: > 0 } name && Environment.GetEnvironmentVariable(name) is { Length: > 0 } key ? key : "no-key");

    public static LlmProviderException Translate(Exception exception) => exception switch
    {
        ClientResultException { Status: > 0 } e => new LlmProviderException(
            $"HTTP {e.Status}: {Short(e.Message)}", e.Status, RetryAfter(e.GetRawResponse()),
            transient: e.Status is 408 or 409 or 429 or >= 500, e),
        // Status 0: the request never got an HTTP answer (connection refused, reset).
        ClientResultException e => new LlmProviderException($"Transport error: {Short(e.Message)}", null, null, true, e),
        HttpRequestException e => new LlmProviderException($"Transport error: {Short(e.Message)}", null, null, true, e),
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

/// <summary><see cref="IChatClient"/> over the official OpenAI SDK for any OpenAI-compatible endpoint; the model comes from <see cref="ChatOptions.ModelId"/>.</summary>
internal sealed class OpenAiChatClient(LlmEndpointOptions endpoint) : IChatClient
{
    readonly OpenAIClientOptions options = OpenAiClientFactory.Options(endpoint);
    readonly ApiKeyCredential credential = OpenAiClientFactory.Credential(endpoint);
    readonly ConcurrentDictionary<string, ChatClient> clients = new(StringComparer.Ordinal);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? chatOptions = null, CancellationToken cancellationToken = default)
    {
        var model = chatOptions?.ModelId ?? throw new ArgumentException("ChatOptions.ModelId is required.");
        var client = clients.GetOrAdd(model, m => new ChatClient(m, credential, options));
        var request = new ChatCompletionOptions { Temperature = chatOptions.Temperature, MaxOutputTokenCount = chatOptions.MaxOutputTokens };
        try
        {
            ChatCompletion completion = await client.CompleteChatAsync(messages.Select(ToSdk), request, cancellationToken);
            var text = string.Concat(completion.Content.Select(p => p.Text));
            return new ChatResponse(new AiChatMessage(AiChatRole.Assistant, text))
            {
                ModelId = completion.Model,
                Usage = completion.Usage is { } usage
                    ? new UsageDetails { InputTokenCount = usage.InputTokenCount, OutputTokenCount = usage.OutputTokenCount, TotalTokenCount = usage.TotalTokenCount }
                    : null,
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw OpenAiClientFactory.Translate(e);
        }
    }

    static OpenAI.Chat.ChatMessage ToSdk(AiChatMessage message)
    {
        if (message.Role == AiChatRole.System)
            return new SystemChatMessage(message.Text);
        if (message.Role == AiChatRole.Assistant)
            return new AssistantChatMessage(message.Text);
        return new UserChatMessage(message.Text);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? chatOptions = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The gateway needs whole responses (cache, accounting); streaming is one update.
        var response = await GetResponseAsync(messages, chatOptions, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
            yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}

/// <summary><see cref="IEmbeddingGenerator{TInput,TEmbedding}"/> over the SDK's /v1/embeddings client.</summary>
internal sealed class OpenAiEmbeddingGenerator(LlmEndpointOptions endpoint, string model) : IEmbeddingGenerator<string, Embedding<float>>
{
    readonly EmbeddingClient client = new(model, OpenAiClientFactory.Credential(endpoint), OpenAiClientFactory.Options(endpoint));

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, Microsoft.Extensions.AI.EmbeddingGenerationOptions? generationOptions = null, CancellationToken cancellationToken = default)
    {
        try
        {
            OpenAIEmbeddingCollection collection = await client.GenerateEmbeddingsAsync(values, cancellationToken: cancellationToken);
            var result = new GeneratedEmbeddings<Embedding<float>>(collection.OrderBy(e => e.Index).Select(e => new Embedding<float>(e.ToFloats()) { ModelId = model }));
            if (collection.Usage is { } usage)
                result.Usage = new UsageDetails { InputTokenCount = usage.InputTokenCount, TotalTokenCount = usage.TotalTokenCount };
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw OpenAiClientFactory.Translate(e);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}
