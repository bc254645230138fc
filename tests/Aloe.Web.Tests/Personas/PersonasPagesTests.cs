using System.Net;
using System.Net.Http.Json;
using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.Testing;
using Aloe.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Aloe.Web.Tests.Personas;

public sealed class PersonasPagesTests : IDisposable
{
    readonly AloeWebFactory factory = new();
    readonly ScriptedLlmGateway llm = new();

    public PersonasPagesTests() =>
        factory.ConfigureTestServices = services =>
        {
            services.RemoveAll<ILlmGateway>();
            services.AddSingleton<ILlmGateway>(llm);
        };

    public void Dispose() => factory.Dispose();

    HttpClient Client() => factory.CreateBrowserlikeClient();

    [Fact]
    public async Task PoolPageIsPrerenderedWithItsTitleTabsAndStats()
    {
        var html = await Client().GetStringAsync("/personas");

        Assert.Contains("<title>Personas · ALOE Studio</title>", html);
        foreach (var tab in new[] { "Profiles", "Personalities", "Personas", "Generation runs" })
            Assert.Contains(tab, html);
        Assert.Contains("20 train · 20 eval · 40 seed", html);
    }

    [Fact]
    public async Task AnalysisPageShowsTheSweepAndLeakageReport()
    {
        var html = await Client().GetStringAsync("/personas/analysis?kind=Profile");

        Assert.Contains("Threshold sweep", html);
        Assert.Contains("Leakage report", html);
        Assert.Contains("class=\"chart\"", html);
        Assert.Contains("<title>Pool similarity · ALOE Studio</title>", html);
    }

    [Fact]
    public async Task StatsApiReportsSizesAndTheEmbedder()
    {
        var json = await Client().GetStringAsync("/api/personas/stats");
        Assert.Contains("\"embedderId\":\"scripted-bow-256\"", json);
        Assert.Contains("\"train\":20", json);
    }

    [Fact]
    public async Task AnUnknownGenerationRunIsA404ThatLinksBackToThePools()
    {
        var response = await Client().GetAsync("/personas/runs/999");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("There is nothing at /personas/runs/999", html);
        Assert.Contains("href=\"/personas\"", html);
    }

    [Fact]
    public async Task PairedPersonasAreReturnedByTheApiAndTheCsvExport()
    {
        await factory.Services.GetRequiredService<PersonaService>().PairAsync(30, 5);
        var client = Client();

        var api = await client.GetFromJsonAsync<List<PersonaRecord>>("/api/personas?split=Train");
        Assert.Equal(30, api!.Count);
        var csv = await client.GetAsync("/personas/export/personas.csv");
        Assert.Equal("attachment; filename=\"personas.csv\"", csv.Content.Headers.ContentDisposition?.ToString() ?? csv.Headers.GetValues("Content-Disposition").Single());
        var lines = (await csv.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal("id,split,profile_id,personality_id,profile,personality", lines[0]);
        Assert.Equal(31, lines.Length); // seed texts hold commas, so they are quoted and stay on one line
        var persona = await client.GetStringAsync($"/personas/{api[0].Id}");
        Assert.Contains(WebUtility.HtmlEncode(api[0].ProfileText), persona);
    }

    [Fact]
    public async Task PoolExportIsTheAloeFormat()
    {
        var jsonl = await Client().GetStringAsync("/personas/export/personality.jsonl");
        var lines = jsonl.TrimEnd('\n').Split('\n');
        Assert.Equal(20, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("\"", l));
    }

    [Fact]
    public async Task TheCalibrationApiRefusesAThresholdAboveOneStoresAValidOneAndResetsIt()
    {
        var client = Client();
        const string url = "/api/personas/calibration/threshold";

        var bad = await client.PutAsJsonAsync(url, new { threshold = 1.5 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Contains("The threshold must be between 0 and 1, not 1.5.", await bad.Content.ReadAsStringAsync());
        Assert.Equal("PaperFallback", (await CurrentAsync(client)).GetProperty("source").GetString());

        var put = await client.PutAsJsonAsync(url, new { threshold = 0.47, note = "from a script" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var current = await CurrentAsync(client);
        Assert.Equal((0.47, "Stored", "from a script"), (current.GetProperty("threshold").GetDouble(), current.GetProperty("source").GetString(), current.GetProperty("note").GetString()));
        Assert.Equal(Aloe.Core.Audit.AuditActor.LocalAdmin, current.GetProperty("updatedBy").GetString());
        Assert.Contains("\"threshold\":0.47", await client.GetStringAsync("/api/personas/stats"));

        var reset = await client.DeleteAsync(url);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        current = await CurrentAsync(client);
        Assert.Equal((0.6, "PaperFallback"), (current.GetProperty("threshold").GetDouble(), current.GetProperty("source").GetString()));
    }

    [Fact]
    public async Task StoringAThresholdNeedsASignIn()
    {
        factory.ConfigureTestServices += services => services.Configure<Aloe.Web.Auth.AuthOptions>(o => o.LoopbackIsAdmin = false);

        var response = await Client().PutAsJsonAsync("/api/personas/calibration/threshold", new { threshold = 0.5 });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(factory.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Aloe.Core.Data.AloeDbContext>>().CreateDbContext().Set<EmbedderThreshold>());
    }

    static async Task<System.Text.Json.JsonElement> CurrentAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/personas/calibration")).GetProperty("current");
}
