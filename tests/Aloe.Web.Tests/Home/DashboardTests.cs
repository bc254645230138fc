using System.Net;
using System.Text.Json;
using Aloe.Web.Tests.Support;

namespace Aloe.Web.Tests.Home;

public sealed class DashboardTests(AloeWebFactory factory) : IClassFixture<AloeWebFactory>
{
    [Fact]
    public async Task DashboardOnAnEmptyDatabaseTellsANewUserWhatToDoFirst()
    {
        var html = await factory.CreateClient().GetStringAsync("/");

        Assert.Contains(">Dashboard</h1>", html);
        Assert.Contains("<title>Dashboard · ALOE Studio</title>", html);
        Assert.Contains("Getting started", html);
        Assert.Contains("Runs per day", html);
        foreach (var section in new[] { "/personas", "/dialogues", "/benchmark", "/annotation", "/analysis", "/jobs", "/settings" })
            Assert.Contains($"href=\"{section}\"", html);
    }

    [Fact]
    public async Task PagesArePrerenderedForAnInteractiveServerCircuit()
    {
        var html = await factory.CreateClient().GetStringAsync("/");

        Assert.Contains("_framework/blazor.web.js", html);
        Assert.Contains("<!--Blazor:{\"type\":\"server\"", html);
        Assert.DoesNotContain("htmx", html);
        Assert.DoesNotContain("bootstrap", html);
    }

    [Fact]
    public async Task HealthReportsOkWithTheDatabaseReachable()
    {
        var response = await factory.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("ok", json.RootElement.GetProperty("database").GetString());
    }

    [Fact]
    public async Task UnknownAddressSaysPageNotFound()
    {
        var response = await factory.CreateClient().GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StaticFrontEndFilesAreServed()
    {
        var client = factory.CreateClient();
        foreach (var file in new[] { "/_framework/blazor.web.js", "/_content/MudBlazor/MudBlazor.min.css", "/_content/MudBlazor/MudBlazor.min.js",
                     "/_content/Plotly.Blazor/plotly-3.7.0.min.js", "/_content/Plotly.Blazor/plotly-interop-7.2.0.js", "/css/app.css", "/js/keys.js", "/favicon.svg" })
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(file)).StatusCode);
    }

    [Fact]
    public async Task TheApiIsDescribedByAnOpenApiDocument()
    {
        using var json = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json"));

        Assert.True(json.RootElement.GetProperty("paths").TryGetProperty("/api/jobs", out _));
    }
}
