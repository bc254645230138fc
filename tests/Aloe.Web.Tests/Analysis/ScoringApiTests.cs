using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aloe.Core.Analysis.Prism;
using Aloe.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Web.Tests.Analysis;

public sealed class ScoringApiTests : IDisposable
{
    readonly AloeWebFactory factory = new();

    [Fact]
    public async Task AScoringRunStartedOverHttpReportsProgressAndFillsTheTable()
    {
        using var client = factory.CreateClient();
        await factory.Services.GetRequiredService<PrismImporter>().ImportAsync(Path.Combine(AppContext.BaseDirectory, "Analysis", "PrismFixtures"));

        var response = await client.PostAsJsonAsync("/api/analysis/scoring", new { source = "prism", scorer = "simulated" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var url = accepted.GetProperty("url").GetString()!;
        Assert.True(accepted.GetProperty("run").GetProperty("simulated").GetBoolean());
        var run = await client.PollAsync(url, RunPolling.IsFinished, 60);
        Assert.Equal(("Succeeded", 8, 8), (run.GetProperty("status").GetString(), run.GetProperty("done").GetInt32(), run.GetProperty("total").GetInt32()));
        var status = await client.GetFromJsonAsync<JsonElement>("/api/analysis/scoring");
        Assert.Equal(64, status.GetProperty("stored")[0].GetProperty("scored").GetInt32());
        var csv = await client.GetStringAsync("/api/analysis/scoring/table.csv?source=prism&scorer=simulated");
        Assert.Equal(8, csv.TrimEnd().Split('\n').Length);
    }

    [Fact]
    public async Task AnUnknownScorerIsABadRequestWithTheReason()
    {
        using var client = factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/analysis/scoring", new { source = "prism", scorer = "oracle" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown scorer 'oracle'", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/analysis/scoring/runs/999")).StatusCode);
    }

    public void Dispose() => factory.Dispose();
}
