using System.Net;
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
        Assert.Contains("20 items", html);
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
    public async Task UnknownGenerationRunShowsAnEmptyState()
    {
        var html = await Client().GetStringAsync("/personas/runs/999");
        Assert.Contains("Generation run not found", html);
    }
}
