using System.Net;
using System.Text.Json;
using Aloe.Web.Tests.Support;

namespace Aloe.Web.Tests.Benchmark;

public sealed class BenchmarkPagesTests(BenchmarkWebFactory factory) : IClassFixture<BenchmarkWebFactory>
{
    [Fact]
    public async Task TheBenchmarkPageOfAFreshInstallSaysThereAreNoRunsAndOffersTheForm()
    {
        await using var fresh = new BenchmarkWebFactory();

        var html = await fresh.CreateClient().GetStringAsync("/benchmark");

        Assert.Contains("No benchmark runs yet", html);
        Assert.Contains("Start run", html);
        Assert.Contains("<title>Benchmark · ALOE Studio</title>", html);
    }

    [Fact]
    public async Task TheRunPageShowsTheCurveTable1NPerTurnAndScoreCells()
    {
        var client = factory.CreateClient();
        var id = (await BenchmarkWebFactory.RunAsync(client, "rising")).GetProperty("run").GetProperty("id").GetInt64();

        var html = await client.GetStringAsync($"/benchmark/runs/{id}");

        Assert.Contains("class=\"chart\"", html);
        Assert.Contains(">k=4</th>", html);
        Assert.Contains("N-IR", html);
        Assert.Contains("n per turn", html);
        // The cases grid (hundreds of cells) comes with the circuit; the first response says it is coming.
        Assert.Contains("Loading 4 cases", html);
        // cy's turn 2 has no score (the judge rambled three times): n drops at k=2, the page says why and offers to retry.
        Assert.Contains("n differs by turn", html);
        Assert.Contains("Retry failed scores", html);
        Assert.Contains($"app version <code>{Aloe.Core.Jobs.RunProvenance.CurrentAppVersion}</code>", System.Net.WebUtility.HtmlDecode(html));
    }

    [Fact]
    public async Task RetryingFailedScoresThroughTheApiJudgesThemAgain()
    {
        var client = factory.CreateClient();
        var id = (await BenchmarkWebFactory.RunAsync(client, "flat")).GetProperty("run").GetProperty("id").GetInt64();

        var retried = await client.PostAsync($"/api/benchmark/runs/{id}/retry-failed-scores", null);

        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        var report = await WaitAsync(client, id);
        // The scripted judge rambles at cy's turn 2 every time, so the score fails again: the run still ends and says so.
        Assert.Equal("Succeeded", report.GetProperty("run").GetProperty("status").GetString());
        Assert.Equal(1, report.GetProperty("failed_scores").GetInt32());
    }

    [Fact]
    public async Task DeletingARunThroughTheApiRemovesItAndItsPage()
    {
        var client = factory.CreateClient();
        var id = (await BenchmarkWebFactory.RunAsync(client, "flat")).GetProperty("run").GetProperty("id").GetInt64();

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/benchmark/runs/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/benchmark/runs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/benchmark/runs/{id}")).StatusCode);
    }

    [Fact]
    public async Task TheApiRefusesTooManyCasesAndAnUnknownEndpointWithTheReason()
    {
        var client = factory.CreateClient();
        ((Aloe.Testing.ScriptedLlmGateway)factory.Services.GetRequiredService<Aloe.Core.Llm.ILlmGateway>()).KnownEndpoint = endpoint => endpoint == "scripted";

        var tooMany = await client.PostAsJsonAsync("/api/benchmark/runs", new { evaluatedModel = "flat", cases = 5, turns = 3 });
        var unknown = await client.PostAsJsonAsync("/api/benchmark/runs", new { evaluatedModel = "flat", evaluatedEndpoint = "nowhere", turns = 3 });

        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("between 1 and 4", await tooMany.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("nowhere", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheJsonReportHasTable1MetricsIntervalsAndNPerTurn()
    {
        var client = factory.CreateClient();

        var report = await BenchmarkWebFactory.RunAsync(client, "rising");

        var metrics = report.GetProperty("metrics");
        Assert.Equal("Succeeded", report.GetProperty("run").GetProperty("status").GetString());
        Assert.True(metrics.GetProperty("ir").GetDouble() > 0.3);
        Assert.Equal(2, metrics.GetProperty("average_ci").GetArrayLength());
        Assert.Equal([4, 3, 4, 4], metrics.GetProperty("turns").EnumerateArray().Select(t => t.GetProperty("n").GetInt32()));
        Assert.Equal(1, report.GetProperty("failed_scores").GetInt32());
        Assert.Equal("rising", report.GetProperty("roles").GetProperty("Evaluated").GetProperty("model").GetString());
        Assert.Equal(Aloe.Core.Jobs.RunProvenance.CurrentAppVersion, report.GetProperty("run").GetProperty("app_version").GetString());
    }

    [Fact]
    public async Task ACaseTranscriptShowsEachTurnWithItsScoreAndTheJudgesRawOutput()
    {
        var client = factory.CreateClient();
        var report = await BenchmarkWebFactory.RunAsync(client, "rising");
        var id = report.GetProperty("run").GetProperty("id").GetInt64();
        var caseId = (await factory.Services.GetRequiredService<Aloe.Core.Benchmark.BenchmarkReports>().GetAsync(id))!.Cases.Single(c => c.Case.CaseKey == "web/cy").Case.Id;
        var caseUrl = $"/benchmark/runs/{id}/cases/{caseId}";

        var html = await client.GetStringAsync(caseUrl);

        Assert.Contains("Case web/cy", html);
        Assert.Contains("cy is a chef", html);
        Assert.Contains("Hello from cy, turn 4", html);
        Assert.Contains("[rising] How about a quick pasta?", html);
        Assert.Contains("Quite tailored, I&#x27;d say.", html);
        Assert.Contains("no score", html);
        Assert.Contains("score-3", html);
        Assert.Contains("<title>Case web/cy · ALOE Studio</title>", html);
    }

    [Fact]
    public async Task TheComparisonPageOverlaysTheCurvesAndShowsThePairedDifference()
    {
        var client = factory.CreateClient();
        var flat = (await BenchmarkWebFactory.RunAsync(client, "flat")).GetProperty("run").GetProperty("id").GetInt64();
        var rising = (await BenchmarkWebFactory.RunAsync(client, "rising")).GetProperty("run").GetProperty("id").GetInt64();

        var html = await client.GetStringAsync($"/benchmark/compare?runs={flat}&runs={rising}");
        var json = await client.GetFromJsonAsync<JsonElement>($"/api/benchmark/compare?runs={flat}&runs={rising}");

        Assert.Contains($"#{flat} flat", html);
        Assert.Contains($"#{rising} rising", html);
        Assert.Contains("Paired difference from", html);
        Assert.Contains("<td style=\"text-align: right\">4</td>", html);
        var paired = json.GetProperty("paired")[0];
        Assert.Equal(rising, paired.GetProperty("run").GetInt64());
        Assert.Equal(4, paired.GetProperty("shared_cases").GetInt32());
        Assert.True(paired.GetProperty("ir_difference").GetDouble() > 0);
    }

    [Fact]
    public async Task ScoresAndMetricsExportAsCsv()
    {
        var client = factory.CreateClient();
        var id = (await BenchmarkWebFactory.RunAsync(client, "flat")).GetProperty("run").GetProperty("id").GetInt64();

        var scores = await client.GetAsync($"/api/benchmark/runs/{id}/scores.csv");
        var metrics = await client.GetStringAsync($"/api/benchmark/runs/{id}/metrics.csv");

        Assert.Equal("text/csv", scores.Content.Headers.ContentType!.MediaType);
        var lines = (await scores.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("run,scoring,case,turn,score,status", lines[0]);
        Assert.Equal(1 + 4 * 4, lines.Length);
        Assert.Contains(lines, l => l.EndsWith(",web/cy,2,,failed"));
        Assert.StartsWith("run,model,judge_mode,scoring,al_k1,al_k2,al_k3,al_k4,n_k1,n_k2,n_k3,n_k4,average", metrics);
    }

    [Fact]
    public async Task AnUnknownRunIsNotFound()
    {
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/benchmark/runs/987654")).StatusCode);
        var page = await client.GetAsync("/benchmark/runs/987654");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("There is nothing at /benchmark/runs/987654", await page.Content.ReadAsStringAsync());
    }

    static Task<JsonElement> WaitAsync(HttpClient client, long id) =>
        client.PollAsync($"/api/benchmark/runs/{id}", BenchmarkWebFactory.IsFinished, 30);
}
