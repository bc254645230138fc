using Aloe.Core.Llm;
using Aloe.FakeOpenAI;
using Azure.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Core.Tests.Llm;

public sealed class AzureProviderTests
{
    /// <summary>Hands out a fixed token and remembers the scopes it was asked for.</summary>
    sealed class FakeTokenCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (Scopes)
                Scopes.AddRange(requestContext.Scopes);
            return new AccessToken("entra-token-123", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    static Task<GatewayHarness> StartAzureAsync(Action<Microsoft.Extensions.Hosting.IHostApplicationBuilder> configure) =>
        GatewayHarness.StartAsync(configure: b =>
        {
            b.Configuration["Llm:Endpoints:fake:Type"] = "azure";
            b.Configuration["Llm:Endpoints:fake:ApiVersion"] = "2024-10-21";
            configure(b);
        }, azure: true);

    [Fact]
    public async Task CallsTheDeploymentPathWithTheApiVersionAndTheKeyInTheApiKeyHeader()
    {
        var variable = "ALOE_TEST_AZURE_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "azure-secret-456");
        try
        {
            await using var h = await StartAzureAsync(b =>
            {
                b.Configuration["Llm:Endpoints:fake:ApiKeyEnv"] = variable;
                b.Configuration["Llm:Endpoints:fake:Deployment"] = "chat-deployment";
            });

            var response = await h.Gateway.CompleteAsync(GatewayHarness.Request("Hello Azure"), CancellationToken.None);

            Assert.Equal("Echo: Hello Azure", response.Text);
            var request = Assert.Single(h.Server.Requests);
            Assert.Equal("/openai/deployments/chat-deployment/chat/completions", request.Path);
            Assert.Equal("2024-10-21", request.ApiVersion);
            Assert.Equal("azure-secret-456", request.ApiKey);
            Assert.True(string.IsNullOrEmpty(request.Authorization));
            Assert.Equal(0.25, request.Temperature!.Value, 3);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task WithoutAConfiguredDeploymentTheRolesModelNamesTheDeploymentAndFaultsAreRetried()
    {
        await using var h = await StartAzureAsync(b => b.Configuration["Llm:Endpoints:fake:ApiKeyEnv"] = "ALOE_TEST_UNSET_" + Guid.NewGuid().ToString("N"));
        h.Server.Enqueue(new FakeFault.RateLimited(RetryAfterSeconds: 0), new FakeFault.ServerError(503));

        var response = await h.Gateway.CompleteAsync(GatewayHarness.Request("hi"), CancellationToken.None);

        Assert.Equal("Echo: hi", response.Text);
        Assert.Equal(3, h.Server.RequestCount);
        Assert.All(h.Server.Requests, r => Assert.Equal("/openai/deployments/gpt-test/chat/completions", r.Path));
    }

    [Fact]
    public async Task UsesTheEntraIdTokenCredentialWhenConfigured()
    {
        var credential = new FakeTokenCredential();
        await using var h = await StartAzureAsync(b =>
        {
            b.Configuration["Llm:Endpoints:fake:UseEntraId"] = "true";
            b.Services.AddSingleton<TokenCredential>(credential);
        });

        await h.Gateway.CompleteAsync(GatewayHarness.Request("hi"), CancellationToken.None);

        var request = Assert.Single(h.Server.Requests);
        Assert.Equal("Bearer entra-token-123", request.Authorization);
        Assert.True(string.IsNullOrEmpty(request.ApiKey));
        Assert.Contains("https://cognitiveservices.azure.com/.default", credential.Scopes);
    }

    [Fact]
    public async Task EmbedsThroughTheEmbeddingDeployment()
    {
        await using var h = await StartAzureAsync(b =>
        {
            b.Configuration["Llm:Endpoints:fake:ApiKeyEnv"] = "ALOE_TEST_UNSET_" + Guid.NewGuid().ToString("N");
            b.Configuration["Llm:Embeddings:Endpoint"] = "fake";
            b.Configuration["Llm:Embeddings:Model"] = "embed-deployment";
        });

        var vectors = await h.Gateway.EmbedAsync(["hello world"], CancellationToken.None);

        Assert.Equal("/openai/deployments/embed-deployment/embeddings", Assert.Single(h.Server.Requests).Path);
        Assert.Equal(1.0, Math.Sqrt(vectors[0].Sum(x => x * x)), 4);
        Assert.Equal("azure-fake-embed-deployment", h.Gateway.EmbedderId);
    }

    [Fact]
    public void AnAzureEndpointWithoutKeyOrEntraIdOrWithAnUnknownApiVersionIsReportedByName()
    {
        var options = new LlmOptions
        {
            Endpoints = { ["az"] = new LlmEndpointOptions { Type = LlmEndpointType.Azure, BaseUrl = "https://example.openai.azure.com/", ApiVersion = "1999-01-01" } },
        };

        var failures = string.Join("\n", new LlmOptionsValidator().Validate(null, options).Failures!);

        Assert.Contains("Llm:Endpoints:az needs ApiKeyEnv", failures);
        Assert.Contains("Llm:Endpoints:az:ApiVersion '1999-01-01'", failures);
        Assert.Contains("2024-10-21", failures);
    }
}
