using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
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
    public async Task PoolPageListsTheSeedProfilesWithSourceBadges()
    {
        var html = await Client().GetStringAsync("/personas");
        Assert.Contains("Profiles", html);
        Assert.Contains("source-seed", html);
        Assert.Contains(WebUtility.HtmlEncode(SeedPools.Read(PoolKind.Profile)[0]), html);
        Assert.Contains("40 items", html); // 20 training and 20 evaluation seeds
        Assert.Matches(@"<td class=""text-end"">0\.\d{3}</td>", html); // nearest-neighbour similarities were computed
    }

    [Fact]
    public async Task SearchFiltersThePool()
    {
        var html = await Client().GetStringAsync("/personas?tab=personalities&q=sarcastic");
        Assert.Contains("sarcastic", html);
        Assert.Contains("1 items", html);
    }

    [Fact]
    public async Task ImportFormAddsItemsAndShowsTheRunTogetherLineWarning()
    {
        var client = Client();
        var page = await client.GetStringAsync("/personas?tab=profiles");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("Profile"), "kind" },
            { new StringContent("true"), "eval" },
            { new ByteArrayContent("\"An eval profile of a fisherman in Norway who rows\"\"A second one about a glassblower in Venice\"\n"u8.ToArray()), "file", "eval.jsonl" },
        };
        var response = await client.PostAsync("/personas/import", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var html = await client.GetStringAsync(response.Headers.Location!.ToString());
        Assert.Contains("Imported 2 from eval.jsonl", html);
        Assert.Contains("Line 1: 2 JSON strings", html);
        var evalOnly = await client.GetStringAsync("/personas?tab=profiles&split=Eval");
        Assert.Contains("glassblower", evalOnly);
    }

    [Fact]
    public async Task AnalysisPageShowsTheSweepAndLeakageReport()
    {
        var client = Client();
        var html = await client.GetStringAsync("/personas/analysis?kind=Profile");
        Assert.Contains("Threshold sweep", html);
        Assert.Contains("Leakage report", html);
        Assert.Contains("data-plot", html);
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
        Assert.Contains("<a href=\"/personas\">All personas</a>", html);
    }

    static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var page = await client.GetStringAsync(url);
        return Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
    }

    [Fact]
    public async Task PairingFromThePageCreatesPersonasThatTheApiAndCsvExportReturn()
    {
        var client = Client();
        var token = await TokenAsync(client, "/personas?tab=personas");
        var response = await client.PostAsync("/personas/pair", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["count"] = "30", ["seed"] = "5",
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Paired 30 personas", WebUtility.UrlDecode(response.Headers.Location!.ToString()));

        var api = await client.GetFromJsonAsync<List<PersonaRecord>>("/api/personas?split=Train");
        Assert.Equal(30, api!.Count);
        var csv = await client.GetAsync("/personas/export/personas.csv");
        Assert.Equal("attachment; filename=\"personas.csv\"", csv.Content.Headers.ContentDisposition?.ToString() ?? csv.Headers.GetValues("Content-Disposition").Single());
        var lines = (await csv.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal("id,split,profile_id,personality_id,profile,personality", lines[0]);
        Assert.Equal(31, lines.Length); // seed texts hold commas, so they are quoted and stay on one line
    }

    [Fact]
    public async Task AskingForMorePairsThanPossibleExplainsWhy()
    {
        var client = Client();
        var token = await TokenAsync(client, "/personas?tab=personas");
        var response = await client.PostAsync("/personas/pair", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["count"] = "401", ["seed"] = "1",
        }));
        var html = await client.GetStringAsync(response.Headers.Location!.ToString());
        Assert.Contains("Only 400 new pairs are possible (20 profiles x 20 personalities", html);
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
    public async Task AStateChangingPostWithoutTheAntiforgeryTokenIsRefused()
    {
        var response = await Client().PostAsync("/personas/pair", new FormUrlEncodedContent(new Dictionary<string, string> { ["count"] = "3", ["seed"] = "1" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
