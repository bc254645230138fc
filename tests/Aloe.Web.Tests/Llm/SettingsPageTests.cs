using System.Net;
using System.Text.Json;
using Aloe.Core.Llm;
using Aloe.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.AI;

namespace Aloe.Web.Tests.Llm;

public sealed class SettingsPageTests(AloeWebFactory factory) : IClassFixture<AloeWebFactory>
{
    [Fact]
    public async Task SettingsPageShowsEveryRoleOnTheSimulatedEndpointClearlyLabelled()
    {
        var html = await factory.CreateClient().GetStringAsync("/settings");

        foreach (var role in Enum.GetValues<LlmRole>())
            Assert.Contains($"data-role=\"{role}\"", html);
        Assert.Contains("sim-adaptive", html);
        Assert.Contains("Simulated LLM - not a language model", html);
        Assert.Contains("<title>Settings · ALOE Studio</title>", html);
        Assert.Contains("Test connection", html);
    }

    [Fact]
    public async Task StatisticsApiCountsCallsCacheHitsAndTokensPerRole()
    {
        var llm = factory.Services.GetRequiredService<ILlmGateway>();
        var request = new LlmRequest(LlmRole.Attributes, [new ChatMessage(ChatRole.User, "Hello " + Guid.NewGuid())]);
        await llm.CompleteAsync(request, CancellationToken.None);
        var second = await llm.CompleteAsync(request, CancellationToken.None);
        Assert.True(second.Cached);

        var stats = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/llm/stats");

        var attributes = stats.EnumerateArray().Single(s => s.GetProperty("role").GetString() == "Attributes");
        Assert.Equal(2, attributes.GetProperty("calls").GetInt32());
        Assert.Equal(1, attributes.GetProperty("cacheHits").GetInt32());
        Assert.Equal(0, attributes.GetProperty("errors").GetInt32());
        Assert.True(attributes.GetProperty("outputTokens").GetInt64() > 0);
        var html = await factory.CreateClient().GetStringAsync("/settings");
        Assert.Contains("llm-stats", html);
    }

    [Fact]
    public async Task TestConnectionApiReportsTheEndpointsReply()
    {
        var response = await factory.CreateClient().PostAsync("/api/llm/endpoints/simulated/test", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ping = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(ping.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task ApiKeysAreNeverDisplayedOnlyTheirVariableNames()
    {
        var variable = "ALOE_WEB_TEST_KEY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, "sk-web-secret-987");
        try
        {
            using var app = factory.WithWebHostBuilder(b =>
            {
                b.UseSetting("Llm:Endpoints:remote:Type", "openai");
                b.UseSetting("Llm:Endpoints:remote:BaseUrl", "http://127.0.0.1:9/v1/");
                b.UseSetting("Llm:Endpoints:remote:ApiKeyEnv", variable);
            });
            var client = app.CreateClient();
            var html = await client.GetStringAsync("/settings");
            var json = await client.GetStringAsync("/api/llm/endpoints");

            Assert.Contains(variable, html);
            Assert.Contains("data-endpoint=\"remote\"", html);
            Assert.DoesNotContain("sk-web-secret", html);
            Assert.DoesNotContain("sk-web-secret", json);
            Assert.Contains("\"apiKeyPresent\":true", json);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task AnAzureEndpointShowsItsDeploymentApiVersionAndKeyVariableAndItsTestConnectionReachesTheDeployment()
    {
        var variable = "ALOE_WEB_TEST_AZURE_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, "azure-web-secret-654");
        await using var server = await Aloe.FakeOpenAI.FakeOpenAIServer.StartAsync();
        try
        {
            using var app = factory.WithWebHostBuilder(b =>
            {
                b.UseSetting("Llm:Endpoints:azure-fake:Type", "azure");
                b.UseSetting("Llm:Endpoints:azure-fake:BaseUrl", server.AzureEndpoint.ToString());
                b.UseSetting("Llm:Endpoints:azure-fake:Deployment", "chat-deployment");
                b.UseSetting("Llm:Endpoints:azure-fake:ApiVersion", "2024-10-21");
                b.UseSetting("Llm:Endpoints:azure-fake:ApiKeyEnv", variable);
                b.UseSetting("Llm:Roles:Attributes:Endpoint", "azure-fake");
                b.UseSetting("Llm:Roles:Attributes:Model", "gpt-test");
            });
            var client = app.CreateClient();

            var html = await client.GetStringAsync("/settings");
            var ping = await (await client.PostAsync("/api/llm/endpoints/azure-fake/test", null)).Content.ReadFromJsonAsync<JsonElement>();

            Assert.Contains("data-endpoint=\"azure-fake\"", html);
            Assert.Contains("Azure OpenAI", html);
            Assert.Contains("chat-deployment", html);
            Assert.Contains("2024-10-21", html);
            Assert.Contains(variable, html);
            Assert.DoesNotContain("azure-web-secret", html);
            Assert.True(ping.GetProperty("ok").GetBoolean(), ping.ToString());
            var request = Assert.Single(server.Requests);
            Assert.Equal("/openai/deployments/chat-deployment/chat/completions", request.Path);
            Assert.Equal(("2024-10-21", "azure-web-secret-654"), (request.ApiVersion, request.ApiKey));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task AnAzureEndpointSignedInWithEntraIdSaysSoAndNamesNoKey()
    {
        await using var server = await Aloe.FakeOpenAI.FakeOpenAIServer.StartAsync();
        using var app = factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Llm:Endpoints:azure-entra:Type", "azure");
            b.UseSetting("Llm:Endpoints:azure-entra:BaseUrl", server.AzureEndpoint.ToString());
            b.UseSetting("Llm:Endpoints:azure-entra:UseEntraId", "true");
        });

        var html = await app.CreateClient().GetStringAsync("/settings");

        var row = html[html.IndexOf("data-endpoint=\"azure-entra\"", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("Microsoft Entra ID", row);
        Assert.Contains("the role&#x27;s model", row);
        Assert.Contains("SDK default", row);
    }
}
