using Aloe.Core.Benchmark;
using Aloe.Core.Llm;
using Aloe.Testing;

namespace Aloe.Core.Tests.Llm;

/// <summary>A model name on the simulated endpoint that no simulator answers to is an error (audit, issue 14, item 6).</summary>
public sealed class SimulatedModelNameTests
{
    [Fact]
    public async Task ARealModelNameOnTheSimulatedEndpointIsAnErrorNotASilentStandIn()
    {
        await using var host = await TestHost.StartAsync(b => b.AddLlm());
        var llm = host.Get<ILlmGateway>();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => llm.CompleteAsync(new LlmRequest(LlmRole.Evaluated, [new(Microsoft.Extensions.AI.ChatRole.User, "hi")])
        {
            Binding = new RoleBinding(LlmOptions.SimulatedEndpoint, "gpt-4o", 0.7f, 100),
        }, CancellationToken.None));
        Assert.Contains("no model 'gpt-4o'", error.Message);
        Assert.Contains("sim-adaptive", error.Message);
        // The simulator's own models still answer.
        Assert.NotEmpty((await llm.CompleteAsync(new LlmRequest(LlmRole.Evaluated, [new(Microsoft.Extensions.AI.ChatRole.User, "hi")])
        {
            Binding = new RoleBinding(LlmOptions.SimulatedEndpoint, "sim-adaptive", 0.7f, 100),
        }, CancellationToken.None)).Text);
    }
}
