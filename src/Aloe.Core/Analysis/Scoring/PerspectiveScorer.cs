using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Aloe.Core.Analysis.Scoring;

/// <summary>
/// Google Jigsaw's Perspective API, as Kyrychenko et al. (2025) scored PRISM: one
/// <c>comments:analyze</c> request per text asking for all attributes at once, English,
/// <c>doNotStore</c>; each attribute's <c>summaryScore.value</c> is its probability. Requests
/// are spaced by the rate limit; texts over the byte limit are cut and the cut is recorded.
/// The key is read from an environment variable and sent as a header, never put in a URL,
/// a message or a log.
/// </summary>
internal sealed class PerspectiveScorer : IAttributeScorer, IDisposable
{
    public const string ScorerId = "perspective";

    readonly PerspectiveOptions options;
    readonly RequestSpacer spacer;
    readonly HttpClient http;

    public PerspectiveScorer(IOptions<ScoringOptions> options, TimeProvider time)
    {
        this.options = options.Value.Perspective;
        spacer = new RequestSpacer(time, TimeSpan.FromSeconds(1 / this.options.QueriesPerSecond));
        http = new HttpClient { BaseAddress = this.options.BaseUrl, Timeout = TimeSpan.FromSeconds(this.options.TimeoutSeconds) };
    }

    public string Id => ScorerId;
    public string Version => "v1alpha1";
    public bool Simulated => false;
    public int Concurrency => 1;

    public async Task<IReadOnlyList<AttributeValue>> ScoreAsync(string text, IReadOnlyList<ConstructiveAttribute> attributes, ScorerCall call, CancellationToken cancellationToken)
    {
        var key = Environment.GetEnvironmentVariable(options.KeyVariable);
        if (string.IsNullOrEmpty(key))
            throw new AttributeScorerException($"No Perspective API key: set the environment variable {options.KeyVariable}.", retryable: false);
        var (sent, cut) = Truncate(text, options.MaxBytes);
        var requested = new JsonObject();
        foreach (var attribute in attributes)
            requested[attribute.PerspectiveName()] = new JsonObject();
        var body = new JsonObject
        {
            ["comment"] = new JsonObject { ["text"] = sent },
            ["requestedAttributes"] = requested,
            ["languages"] = new JsonArray("en"),
            ["doNotStore"] = true,
        };

        await spacer.WaitAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUrl, "./comments:analyze")) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Goog-Api-Key", key);
        using var response = await http.SendAsync(request, cancellationToken);
        var answer = await ReadJsonAsync(response, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var message = answer?["error"]?["message"]?.GetValue<string>() ?? response.ReasonPhrase ?? "no message";
            var retryable = response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
            throw new AttributeScorerException($"Perspective API {(int)response.StatusCode}: {message}", retryable);
        }
        if (answer is null)
            throw new AttributeScorerException("Perspective API answered with a body that is not JSON.", retryable: true);
        return attributes.Select(a =>
        {
            var value = answer["attributeScores"]?[a.PerspectiveName()]?["summaryScore"]?["value"];
            return value is JsonValue v && v.TryGetValue<double>(out var p) && p is >= 0 and <= 1
                ? new AttributeValue(a, p, TruncatedBytes: cut)
                : AttributeValue.Failed(a, $"Perspective API returned no summaryScore for {a.PerspectiveName()}.");
        }).ToList();
    }

    static async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The longest prefix of at most <paramref name="maxBytes"/> UTF-8 bytes that ends on a whole character, and how many bytes were cut.</summary>
    internal static (string Sent, int CutBytes) Truncate(string text, int maxBytes)
    {
        var total = Encoding.UTF8.GetByteCount(text);
        if (total <= maxBytes)
            return (text, 0);
        var bytes = 0;
        var end = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
                break;
            bytes += rune.Utf8SequenceLength;
            end += rune.Utf16SequenceLength;
        }
        return (text[..end], total - bytes);
    }

    public void Dispose() => http.Dispose();
}

/// <summary>Spaces request starts at least one interval apart (on the injected clock), across all callers.</summary>
internal sealed class RequestSpacer(TimeProvider time, TimeSpan interval)
{
    readonly SemaphoreSlim gate = new(1, 1);
    DateTimeOffset next = DateTimeOffset.MinValue;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (next > now)
                await Task.Delay(next - now, time, cancellationToken);
            next = time.GetUtcNow() + interval;
        }
        finally
        {
            gate.Release();
        }
    }
}
