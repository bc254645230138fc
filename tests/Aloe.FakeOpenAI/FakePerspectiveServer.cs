using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aloe.FakeOpenAI;

/// <summary>One comments:analyze request as received, stamped with the injected clock's time.</summary>
public sealed record PerspectiveRequest(string? ApiKey, string? QueryKey, JsonObject Body, DateTimeOffset At)
{
    public string Text => Body["comment"]?["text"]?.GetValue<string>() ?? "";
    public IReadOnlyList<string> Attributes => Body["requestedAttributes"]?.AsObject().Select(p => p.Key).ToList() ?? [];
}

/// <summary>
/// A loopback stand-in for Perspective API's <c>POST /v1alpha1/comments:analyze</c>: answers
/// <c>attributeScores.NAME.summaryScore.value</c> for each requested attribute, or a queued
/// error status with Google's error body. Records every request with the time of a given clock,
/// so tests can check request spacing without measuring wall time.
/// </summary>
public sealed class FakePerspectiveServer : IAsyncDisposable
{
    readonly WebApplication app;
    readonly ConcurrentQueue<PerspectiveRequest> requests = new();
    readonly ConcurrentQueue<int> faults = new();
    readonly TimeProvider time;

    FakePerspectiveServer(WebApplication app, TimeProvider time)
    {
        this.app = app;
        this.time = time;
    }

    /// <summary>The base URL to configure as Analysis:Scoring:Perspective:BaseUrl (ends in /v1alpha1/).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<PerspectiveRequest> Requests => requests.ToList();

    /// <summary>The probability for a text and attribute (default: a stable value from both).</summary>
    public Func<string, string, double> Score { get; set; } = (text, attribute) => (uint)StringComparer.Ordinal.GetHashCode(text + attribute) % 1000 / 1000.0;

    /// <summary>Attributes left out of every answer (as the API does for one it cannot score).</summary>
    public HashSet<string> Omit { get; } = [];

    /// <summary>The next requests fail with these HTTP statuses, in order.</summary>
    public FakePerspectiveServer Fail(params int[] statuses)
    {
        foreach (var status in statuses)
            faults.Enqueue(status);
        return this;
    }

    public static async Task<FakePerspectiveServer> StartAsync(TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakePerspectiveServer(app, time ?? TimeProvider.System);
        app.MapPost("/v1alpha1/comments:analyze", server.AnalyzeAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/v1alpha1/");
        return server;
    }

    async Task AnalyzeAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? [];
        var request = new PerspectiveRequest(context.Request.Headers["X-Goog-Api-Key"], context.Request.Query["key"], body, time.GetUtcNow());
        requests.Enqueue(request);
        if (faults.TryDequeue(out var status))
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(Error(status, status == 429 ? "Quota exceeded for quota metric 'Analysis requests'." : status >= 500 ? "Internal error encountered." : "Attribute TOXICITY does not support request languages: xx"));
            return;
        }
        if (string.IsNullOrEmpty(request.ApiKey) && string.IsNullOrEmpty(request.QueryKey))
        {
            context.Response.StatusCode = 403;
            await context.Response.WriteAsJsonAsync(Error(403, "The request is missing a valid API key."));
            return;
        }
        var scores = new JsonObject();
        foreach (var attribute in request.Attributes.Where(a => !Omit.Contains(a)))
            scores[attribute] = new JsonObject
            {
                ["spanScores"] = new JsonArray(),
                ["summaryScore"] = new JsonObject { ["value"] = Score(request.Text, attribute), ["type"] = "PROBABILITY" },
            };
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["attributeScores"] = scores,
            ["languages"] = new JsonArray("en"),
            ["detectedLanguages"] = new JsonArray("en"),
        });
    }

    static JsonObject Error(int code, string message) => new()
    {
        ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["status"] = code == 429 ? "RESOURCE_EXHAUSTED" : code >= 500 ? "INTERNAL" : "INVALID_ARGUMENT" },
    };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
