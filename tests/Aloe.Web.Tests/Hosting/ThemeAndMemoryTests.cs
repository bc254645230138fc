using System.Text.Json;
using Aloe.Web.Tests.Support;

namespace Aloe.Web.Tests.Hosting;

public sealed class ThemeAndMemoryTests(AloeWebFactory factory) : IClassFixture<AloeWebFactory>
{
    /// <summary>The palette's background in the prerendered HTML (MudThemeProvider writes the palette as CSS variables).</summary>
    async Task<string> BackgroundAsync(string? theme)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/jobs");
        if (theme is not null)
            request.Headers.Add("Cookie", $"aloe.theme={theme}");
        var response = await factory.CreateClient().SendAsync(request);
        response.EnsureSuccessStatusCode();
        var html = await response.Content.ReadAsStringAsync();
        var start = html.IndexOf("--mud-palette-background:", StringComparison.Ordinal);
        Assert.True(start >= 0, "the page carries no palette");
        return html[start..html.IndexOf(';', start)];
    }

    [Fact]
    public async Task TheChosenThemeIsPrerenderedFromItsCookie()
    {
        var none = await BackgroundAsync(null);
        var light = await BackgroundAsync("light");
        var dark = await BackgroundAsync("dark");

        Assert.Equal(none, light);
        Assert.NotEqual(light, dark);
    }

    [Fact]
    public async Task MemoryReportCountsCircuitsAndTheHeap()
    {
        var report = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/diagnostics/memory?collect=true");

        Assert.Equal(0, report.GetProperty("openCircuits").GetInt32()); // plain HTTP requests open no circuit
        Assert.True(report.GetProperty("managedMb").GetDouble() > 0);
        Assert.True(report.GetProperty("gen2Collections").GetInt32() > 0); // collect=true ran a full collection
    }
}
