using Aloe.Core.Llm;
using Aloe.Testing;
using Microsoft.Extensions.Options;

namespace Aloe.Core.Tests.Llm;

public sealed class LlmOptionsTests
{
    [Fact]
    public async Task TheShippedConfigurationIsValid()
    {
        await using var host = await TestHost.StartAsync(b => b.AddLlm());
        Assert.Equal(9, host.Get<IOptions<LlmOptions>>().Value.Roles.Count);
    }

    [Fact]
    public void ARoleOnAnUnknownEndpointAndAnOpenAiEndpointWithoutUrlAreReportedByName()
    {
        var options = new LlmOptions
        {
            Endpoints = { ["remote"] = new LlmEndpointOptions { Type = LlmEndpointType.OpenAI, MaxConcurrency = 0 } },
            Roles = { ["Judge"] = new RoleBindingOptions { Endpoint = "typo", Model = "m" }, ["Critic"] = new RoleBindingOptions { Model = "m" } },
        };

        var result = new LlmOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = string.Join("\n", result.Failures!);
        Assert.Contains("Llm:Roles:Judge:Endpoint 'typo'", failures);
        Assert.Contains("Llm:Roles:Critic is not a role", failures);
        Assert.Contains("Llm:Endpoints:remote:BaseUrl", failures);
        Assert.Contains("Llm:Endpoints:remote: The field MaxConcurrency", failures);
    }
}
