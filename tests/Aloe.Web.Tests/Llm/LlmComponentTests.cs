using Aloe.Core.Llm;
using Aloe.Web.Settings;
using Aloe.Web.Shared;
using Aloe.Web.Tests.Support;
using Bunit;

namespace Aloe.Web.Tests.Llm;

/// <summary>The LLM pieces of the forms and the Settings page, rendered alone.</summary>
public sealed class LlmComponentTests : MudComponentTest
{
    static CostForecast Forecast(params RoleForecast[] roles) =>
        new(roles, roles.Sum(r => r.Calls), roles.Sum(r => r.InputTokens), roles.Sum(r => r.OutputTokens), roles.Sum(r => r.Cost), roles.All(r => r.Priced), "2 cases x 3 turns");

    [Fact]
    public void TheForecastNamesAModelWithoutAConfiguredPrice()
    {
        var forecast = Forecast(
            new RoleForecast(LlmRole.Judge, "openai", "gpt-priced", 6, 6_000, 600, 0.0123, Priced: true, Simulated: false),
            new RoleForecast(LlmRole.Evaluated, "openai", "gpt-unpriced", 6, 4_000, 900, 0, Priced: false, Simulated: false));

        var panel = Render<ForecastPanel>(p => p.Add(c => c.Load, _ => Task.FromResult<CostForecast?>(forecast)));

        Assert.Equal("12", panel.Find("[data-figure=calls]").TextContent);
        Assert.Equal("$0.0123 + unpriced", panel.Find("[data-figure=cost]").TextContent);
        var warning = Assert.Single(panel.FindAll(".unpriced"));
        Assert.Contains("gpt-unpriced", warning.TextContent);
        Assert.Contains("has no configured price", warning.TextContent);
        Assert.Contains("no price", panel.Find("tr[data-role=Evaluated]").TextContent);
    }

    [Fact]
    public void AForecastTheServiceRefusesIsSaidNotLeftBlank()
    {
        var panel = Render<ForecastPanel>(p => p.Add(c => c.Load, _ => throw new InvalidOperationException("The evaluation set has no cases.")));

        Assert.Contains("No forecast: The evaluation set has no cases.", panel.Find(".forecast-message").TextContent);
    }

    [Theory]
    [InlineData("chat-deployment", "2024-10-21", "chat-deployment", "2024-10-21")]
    [InlineData(null, null, "the role's model", "SDK default")]
    public void AnAzureEndpointShowsItsDeploymentAndApiVersion(string? deployment, string? version, string shownDeployment, string shownVersion)
    {
        var endpoint = new LlmEndpointStatus("azure", LlmEndpointType.Azure, "https://example.openai.azure.com/", "AZURE_OPENAI_KEY", false, 4, 0, 60, [LlmRole.Judge],
            deployment, version, UseEntraId: false);

        var fields = Render<AzureEndpointFields>(p => p.Add(c => c.Endpoint, endpoint));

        Assert.Contains("Azure OpenAI", fields.Markup);
        Assert.Equal(shownDeployment, fields.Find("[data-field=deployment]").TextContent);
        Assert.Equal(shownVersion, fields.Find("[data-field=api-version]").TextContent);
    }
}
