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

        Assert.Contains("<h1>Dashboard</h1>", html);
        Assert.Contains("Getting started", html);
        Assert.Contains("No runs yet", html);
        Assert.Contains("data-plot=", html);
        foreach (var section in new[] { "/personas", "/dialogues", "/benchmark", "/annotation", "/analysis", "/jobs", "/settings" })
            Assert.Contains($"href=\"{section}\"", html);
    }

    [Fact]
    public async Task DashboardCarriesAnAntiforgeryTokenForHtmx()
    {
        var token = await factory.CreateBrowserlikeClient().GetTokenAsync("/");

        Assert.False(string.IsNullOrWhiteSpace(token));
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
        foreach (var file in new[] { "/lib/htmx.min.js", "/lib/plotly.min.js", "/lib/bootstrap.min.css", "/js/site.js", "/css/site.css" })
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(file)).StatusCode);
    }
}
