using Aloe.Core.Llm;
using Aloe.FakeOpenAI;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aloe.Core.Tests.Llm;

public sealed class OpenAiProviderTests
{
    [Fact]
    public async Task SendsModelMessagesTemperatureAndMaxTokensThroughTheSdk()
    {
        await using var h = await GatewayHarness.StartAsync();
        var response = await h.Gateway.CompleteAsync(GatewayHarness.Request("Hello there"), CancellationToken.None);

        Assert.Equal("Echo: Hello there", response.Text);
        var request = Assert.Single(h.Server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("gpt-test", request.Model);
        Assert.Equal(0.25, request.Temperature!.Value, 3);
        Assert.Equal(123, request.MaxTokens);
        Assert.Equal([("system", "You are terse."), ("user", "Hello there")], request.Messages);
    }

    [Fact]
    public async Task SendsTheSampleSeedToTheServer()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.Gateway.CompleteAsync(GatewayHarness.Request("Hello there", sample: 3), CancellationToken.None);

        Assert.NotNull(Assert.Single(h.Server.Requests).Seed);
    }

    [Fact]
    public async Task EveryUpstreamCallIsAnOpenTelemetrySpanWithTheGenAiConventions()
    {
        var spans = new System.Collections.Concurrent.ConcurrentBag<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == LlmGateway.TelemetrySource,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        await using var h = await GatewayHarness.StartAsync();
        var prompt = "span " + Guid.NewGuid();
        await h.Gateway.CompleteAsync(GatewayHarness.Request(prompt), CancellationToken.None);
        await h.Gateway.CompleteAsync(GatewayHarness.Request(prompt), CancellationToken.None);

        // The second call is a cache hit: it never reaches the provider, so it has no span.
        var span = Assert.Single(spans, s => (string?)s.GetTagItem("gen_ai.request.model") == "gpt-test");
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(5L, Convert.ToInt64(span.GetTagItem("gen_ai.usage.input_tokens"))); // "You are terse." + "span {guid}" words
    }

    [Fact]
    public async Task TakesTokenUsageFromTheResponseAndCostFromThePriceTable()
    {
        await using var h = await GatewayHarness.StartAsync();
        var response = await h.Gateway.CompleteAsync(GatewayHarness.Request("one two three"), CancellationToken.None);

        // The fake counts words: "You are terse." + "one two three" = 6 in; "Echo: one two three" = 4 out.
        Assert.Equal(6, response.InputTokens);
        Assert.Equal(4, response.OutputTokens);
        Assert.False(response.Cached);
        await h.Gateway.FlushAsync();
        await using var db = h.Host.Db();
        var call = await db.Set<LlmCall>().SingleAsync();
        Assert.Equal((LlmRole.Judge, 7L, "fake", "gpt-test", 6, 4, false), (call.Role, call.RunId!.Value, call.Endpoint, call.Model, call.InputTokens, call.OutputTokens, call.CacheHit));
        Assert.Equal((6 * 2.0 + 4 * 8.0) / 1_000_000, call.Cost, 12);
        Assert.Null(call.Error);
    }

    [Fact]
    public async Task SendsTheKeyFromTheNamedEnvironmentVariableButNeverShowsIt()
    {
        var variable = "ALOE_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "sk-secret-123");
        try
        {
            await using var h = await GatewayHarness.StartAsync(configure: b => b.Configuration["Llm:Endpoints:fake:ApiKeyEnv"] = variable);
            await h.Gateway.CompleteAsync(GatewayHarness.Request("hi"), CancellationToken.None);

            Assert.Equal("Bearer sk-secret-123", h.Server.Requests.Single().Authorization);
            var status = h.Gateway.Endpoints().Single(e => e.Name == "fake");
            Assert.True(status.ApiKeyPresent);
            Assert.DoesNotContain("sk-secret", status.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task RetriesARateLimitedCallAndSucceeds()
    {
        await using var h = await GatewayHarness.StartAsync();
        h.Server.Enqueue(new FakeFault.RateLimited(RetryAfterSeconds: 1));

        var response = await h.Gateway.CompleteAsync(GatewayHarness.Request("hi"), CancellationToken.None);

        Assert.Equal("Echo: hi", response.Text);
        Assert.Equal(2, h.Server.RequestCount);
    }

    [Fact]
    public void BackoffWaitsAtLeastWhatRetryAfterAsksAndGrowsExponentially()
    {
        Assert.Equal(3000, LlmRetry.Backoff(100, 0, TimeSpan.FromSeconds(3), jitter: 0.5).TotalMilliseconds);
        Assert.Equal(50, LlmRetry.Backoff(100, 0, null, jitter: 0).TotalMilliseconds);
        Assert.Equal(200, LlmRetry.Backoff(100, 2, null, jitter: 0).TotalMilliseconds);
        Assert.Equal(800, LlmRetry.Backoff(100, 3, null, jitter: 1).TotalMilliseconds);
        Assert.Equal(60_000, LlmRetry.Backoff(100, 0, TimeSpan.FromHours(1), jitter: 0).TotalMilliseconds);
    }

    [Fact]
    public async Task RetriesServerErrorsWithBackoffUntilTheCallSucceeds()
    {
        await using var h = await GatewayHarness.StartAsync(maxRetries: 3);
        h.Server.Enqueue(new FakeFault.ServerError(500), new FakeFault.ServerError(503));

        var response = await h.Gateway.CompleteAsync(GatewayHarness.Request("hi"), CancellationToken.None);

        Assert.Equal("Echo: hi", response.Text);
        Assert.Equal(3, h.Server.RequestCount);
    }

    [Fact]
    public async Task GivesUpAfterTheLastRetryWithAnErrorNamingEndpointAndStatusAndLogsIt()
    {
        await using var h = await GatewayHarness.StartAsync(maxRetries: 2);
        h.Server.FaultWhen = (_, _) => new FakeFault.ServerError(502);

        var error = await Assert.ThrowsAsync<LlmCallException>(() => h.Gateway.CompleteAsync(GatewayHarness.Request("hi"), CancellationToken.None));

        Assert.Equal(3, h.Server.RequestCount);
        Assert.Contains("fake/gpt-test", error.Message);
        Assert.Contains("HTTP 502", error.Message);
        await h.Gateway.FlushAsync();
        await using var db = h.Host.Db();
        Assert.Contains("HTTP 502", (await db.Set<LlmCall>().SingleAsync()).Error);
    }

    [Fact]
    public async Task DoesNotRetryAClientError()
    {
        await using var h = await GatewayHarness.StartAsync(maxRetries: 3);
        h.Server.Enqueue(new FakeFault.ServerError(400));

        await Assert.ThrowsAsync<LlmCallException>(() => h.Gateway.CompleteAsync(GatewayHarness.Request("hi"), CancellationToken.None));
        Assert.Equal(1, h.Server.RequestCount);
    }

    [Fact]
    public async Task TimesOutAHangingCall()
    {
        await using var h = await GatewayHarness.StartAsync(maxRetries: 0, timeoutSeconds: 1);
        h.Server.Enqueue(new FakeFault.Hang());

        var error = await Assert.ThrowsAsync<LlmCallException>(() => h.Gateway.CompleteAsync(GatewayHarness.Request("hi"), CancellationToken.None));
        Assert.Contains("Timed out", error.Message);
    }

    [Fact]
    public async Task RetriesAfterATimeoutAndSucceeds()
    {
        // The retry must answer within the same timeout: 1 s was too short for it on a loaded 2-core machine.
        await using var h = await GatewayHarness.StartAsync(maxRetries: 1, timeoutSeconds: 4);
        h.Server.Enqueue(new FakeFault.Hang());

        var response = await h.Gateway.CompleteAsync(GatewayHarness.Request("hi"), CancellationToken.None);
        Assert.Equal("Echo: hi", response.Text);
        Assert.Equal(2, h.Server.RequestCount);
    }

    [Fact]
    public async Task RetriesAMalformedBodyAndFailsWithAClearErrorWhenItPersists()
    {
        await using var h = await GatewayHarness.StartAsync(maxRetries: 1);
        h.Server.Enqueue(new FakeFault.Malformed());
        Assert.Equal("Echo: hi", (await h.Gateway.CompleteAsync(GatewayHarness.Request("hi"), CancellationToken.None)).Text);

        h.Server.FaultWhen = (_, _) => new FakeFault.Malformed();
        var error = await Assert.ThrowsAsync<LlmCallException>(() => h.Gateway.CompleteAsync(GatewayHarness.Request("other"), CancellationToken.None));
        Assert.Contains("Unreadable response body", error.Message);
    }

    [Fact]
    public async Task CancellationStopsAWaitingCall()
    {
        await using var h = await GatewayHarness.StartAsync(timeoutSeconds: 600);
        h.Server.Enqueue(new FakeFault.Hang());
        using var cancel = new CancellationTokenSource();
        var call = h.Gateway.CompleteAsync(GatewayHarness.Request("hi"), cancel.Token);
        // Cancel only once the server holds the request, so a loaded machine cannot cancel before sending.
        for (var waited = 0; h.Server.RequestCount == 0 && waited < 30_000; waited += 10)
            await Task.Delay(10);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, h.Server.RequestCount);
    }

    [Fact]
    public async Task NeverSendsMoreConcurrentRequestsThanTheEndpointAllows()
    {
        await using var h = await GatewayHarness.StartAsync(maxConcurrency: 3);
        h.Server.Latency = TimeSpan.FromMilliseconds(30);

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => h.Gateway.CompleteAsync(GatewayHarness.Request($"call {i}"), CancellationToken.None)));

        Assert.Equal(12, h.Server.RequestCount);
        Assert.InRange(h.Server.MaxConcurrentRequests, 2, 3);
    }

    [Fact]
    public async Task SecondIdenticalRunMakesNoUpstreamCallsEvenAfterARestart()
    {
        await using var h = await GatewayHarness.StartAsync();
        var prompts = Enumerable.Range(0, 10).Select(i => $"question {i}").ToList();
        var first = await Task.WhenAll(prompts.Select(p => h.Gateway.CompleteAsync(GatewayHarness.Request(p), CancellationToken.None)));
        Assert.Equal(10, h.Server.RequestCount);

        var again = await Task.WhenAll(prompts.Select(p => h.Gateway.CompleteAsync(GatewayHarness.Request(p), CancellationToken.None)));
        Assert.Equal(10, h.Server.RequestCount);
        Assert.All(again, r => Assert.True(r.Cached));
        Assert.Equal(first.Select(r => r.Text), again.Select(r => r.Text));

        // A new gateway over the same database (as after a restart) has an empty memory cache.
        await h.Gateway.FlushAsync();
        var restarted = new LlmGateway(h.Host.Get<IOptions<LlmOptions>>(), h.Host.Get<LlmCacheStore>(),
            h.Host.Get<LlmCallLog>(), TimeProvider.System, NullLoggerFactory.Instance);
        var afterRestart = await Task.WhenAll(prompts.Select(p => restarted.CompleteAsync(GatewayHarness.Request(p), CancellationToken.None)));
        Assert.Equal(10, h.Server.RequestCount);
        Assert.All(afterRestart, r => Assert.True(r.Cached));
    }

    [Fact]
    public async Task SampleIndexTemperatureAndModelArePartOfTheCacheKey()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.Gateway.CompleteAsync(GatewayHarness.Request("q"), CancellationToken.None);
        await h.Gateway.CompleteAsync(GatewayHarness.Request("q", sample: 1), CancellationToken.None);
        await h.Gateway.CompleteAsync(GatewayHarness.Request("q", binding: GatewayHarness.Fake with { Temperature = 0.9f }), CancellationToken.None);
        await h.Gateway.CompleteAsync(GatewayHarness.Request("q", binding: GatewayHarness.Fake with { Model = "gpt-other" }), CancellationToken.None);
        await h.Gateway.CompleteAsync(GatewayHarness.Request("q", binding: GatewayHarness.Fake with { MaxTokens = 5 }), CancellationToken.None);
        Assert.Equal(5, h.Server.RequestCount);
    }

    [Fact]
    public async Task ARunOfManyCallsContinuesWhenSomeFail()
    {
        await using var h = await GatewayHarness.StartAsync(maxRetries: 1);
        h.Server.FaultWhen = (_, r) => r.Messages[^1].Content.Contains("poison") ? new FakeFault.ServerError(500) : null;
        var prompts = Enumerable.Range(0, 20).Select(i => i % 5 == 0 ? $"poison {i}" : $"fine {i}").ToList();

        var outcomes = await Task.WhenAll(prompts.Select(async p =>
        {
            try { return (await h.Gateway.CompleteAsync(GatewayHarness.Request(p), CancellationToken.None)).Text; }
            catch (LlmCallException) { return null; }
        }));

        Assert.Equal(16, outcomes.Count(o => o is not null));
        Assert.Equal(prompts.Where(p => p.StartsWith("poison")), prompts.Where((_, i) => outcomes[i] is null));
        var stats = await h.Host.Get<LlmStatsService>().ByRoleAsync();
        var judge = Assert.Single(stats);
        Assert.Equal((20, 4, 0), (judge.Calls, judge.Errors, judge.CacheHits));
    }

    [Fact]
    public async Task EmbedsInBatchesThroughTheEmbeddingsEndpointAndNormalises()
    {
        await using var h = await GatewayHarness.StartAsync(configure: b =>
        {
            b.Configuration["Llm:Embeddings:Endpoint"] = "fake";
            b.Configuration["Llm:Embeddings:Model"] = "embed-test";
            b.Configuration["Llm:Embeddings:BatchSize"] = "2";
        });
        var texts = new[] { "a b c", "d", "hello world", "x y", "z" };

        var vectors = await h.Gateway.EmbedAsync(texts, CancellationToken.None);

        Assert.Equal(5, vectors.Count);
        Assert.Equal(3, h.Server.RequestCount);
        Assert.All(h.Server.Requests, r => Assert.Equal(("/v1/embeddings", "embed-test"), (r.Path, r.Model)));
        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => x * x)), 4));
        var expected = FakeOpenAIServer.Vector("hello world");
        var norm = MathF.Sqrt(expected.Sum(x => x * x));
        Assert.Equal(expected.Select(x => x / norm), vectors[2], (a, b) => Math.Abs(a - b) < 1e-5);
        Assert.Equal("openai-fake-embed-test", h.Gateway.EmbedderId);
    }

    [Fact]
    public async Task TestConnectionReportsAFailingEndpointWithoutThrowing()
    {
        await using var h = await GatewayHarness.StartAsync(configure: b => b.Configuration["Llm:Roles:Judge:Endpoint"] = "fake");
        Assert.True((await h.Gateway.TestEndpointAsync("fake", CancellationToken.None)).Ok);

        h.Server.Enqueue(new FakeFault.ServerError(503));
        var failed = await h.Gateway.TestEndpointAsync("fake", CancellationToken.None);
        Assert.False(failed.Ok);
        Assert.Contains("503", failed.Error);
    }
}
