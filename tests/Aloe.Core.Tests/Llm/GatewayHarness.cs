using Aloe.Core.Llm;
using Aloe.FakeOpenAI;
using Aloe.Testing;
using Microsoft.Extensions.AI;

namespace Aloe.Core.Tests.Llm;

/// <summary>A test host whose gateway has an "fake" openai endpoint pointing at a loopback fake server.</summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    public required FakeOpenAIServer Server { get; init; }
    public required TestHost Host { get; init; }
    public LlmGateway Gateway => Host.Get<LlmGateway>();
    public static readonly RoleBinding Fake = new("fake", "gpt-test", 0.25f, 123);

    public static async Task<GatewayHarness> StartAsync(int maxRetries = 3, int timeoutSeconds = 30, int maxConcurrency = 8,
        Action<Microsoft.Extensions.Hosting.IHostApplicationBuilder>? configure = null, bool azure = false)
    {
        var server = await FakeOpenAIServer.StartAsync();
        var host = await TestHost.StartAsync(b =>
        {
            b.Configuration["Llm:Endpoints:fake:Type"] = "openai";
            b.Configuration["Llm:Endpoints:fake:BaseUrl"] = (azure ? server.AzureEndpoint : server.BaseUrl).ToString();
            b.Configuration["Llm:Endpoints:fake:MaxConcurrency"] = maxConcurrency.ToString();
            b.Configuration["Llm:Endpoints:fake:TimeoutSeconds"] = timeoutSeconds.ToString();
            b.Configuration["Llm:Endpoints:fake:Prices:gpt-test:InputPerMillion"] = "2";
            b.Configuration["Llm:Endpoints:fake:Prices:gpt-test:OutputPerMillion"] = "8";
            b.Configuration["Llm:MaxRetries"] = maxRetries.ToString();
            b.Configuration["Llm:RetryBaseDelayMs"] = "5";
            configure?.Invoke(b);
            b.AddLlm();
        });
        return new GatewayHarness { Server = server, Host = host };
    }

    public static LlmRequest Request(string text, LlmRole role = LlmRole.Judge, int sample = 0, RoleBinding? binding = null) =>
        new(role, [new ChatMessage(ChatRole.System, "You are terse."), new ChatMessage(ChatRole.User, text)]) { Binding = binding ?? Fake, SampleIndex = sample, RunId = 7 };

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Server.DisposeAsync();
    }
}
