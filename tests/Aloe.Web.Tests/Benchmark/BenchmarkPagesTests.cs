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
        Assert.Contains("hx-post=\"/benchmark/runs\"", html);
        Assert.Contains("value=\"100\"", html);
    }

    [Fact]
    public async Task StartingARunFromTheFormRedirectsToItsPageWhichShowsTheCurveTable1AndNPerTurn()
    {
        var client = factory.CreateBrowserlikeClient();
        var token = await client.GetTokenAsync("/benchmark");

        var response = await client.HtmxPostAsync("/benchmark/runs", token, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["model"] = "rising", ["cases"] = "3", ["turns"] = "4", ["judgeMode"] = "paper", ["name"] = "Form run",
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var url = Assert.Single(response.Headers.GetValues("HX-Redirect"));
        var id = long.Parse(url.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        await WaitAsync(client, id);
        var html = await client.GetStringAsync(url);
        Assert.Contains("Form run", html);
        Assert.Contains("data-plot=", html);
        Assert.Contains("<th class=\"num\">k=4</th>", html);
        Assert.Contains("N-IR", html);
        Assert.Contains("n per turn", html);
        Assert.Contains("web/ann", html);
        // cy's turn 2 has no score (the judge rambled three times): n drops at k=2 and the page says why.
        Assert.Contains("n differs by turn", html);
        Assert.Contains("score-failed", html);
    }

    [Fact]
    public async Task AFormWithTooFewTurnsAnswersWithTheReasonAndStartsNothing()
    {
        var client = factory.CreateBrowserlikeClient();
        var token = await client.GetTokenAsync("/benchmark");
        var before = (await client.GetFromJsonAsync<JsonElement>("/api/benchmark/runs")).GetArrayLength();

        var response = await client.HtmxPostAsync("/benchmark/runs", token, new FormUrlEncodedContent(new Dictionary<string, string> { ["model"] = "rising", ["turns"] = "1" }));

        Assert.Contains("Turns must be between 2 and", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, (await client.GetFromJsonAsync<JsonElement>("/api/benchmark/runs")).GetArrayLength());
    }

    [Fact]
    public async Task StartingARunWithoutTheAntiforgeryTokenIsRejected()
    {
        var client = factory.CreateBrowserlikeClient();
        await client.GetTokenAsync("/benchmark");

        var response = await client.PostAsync("/benchmark/runs", new FormUrlEncodedContent(new Dictionary<string, string> { ["model"] = "rising" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
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
    }

    [Fact]
    public async Task ACaseTranscriptShowsEachTurnWithItsScoreAndTheJudgesRawOutput()
    {
        var client = factory.CreateClient();
        var report = await BenchmarkWebFactory.RunAsync(client, "rising");
        var id = report.GetProperty("run").GetProperty("id").GetInt64();
        var runPage = await client.GetStringAsync($"/benchmark/runs/{id}?q=cy");
        var caseUrl = System.Text.RegularExpressions.Regex.Match(runPage, $"/benchmark/runs/{id}/cases/\\d+").Value;

        var html = await client.GetStringAsync(caseUrl);

        Assert.Contains("Case web/cy", html);
        Assert.Contains("cy is a chef", html);
        Assert.Contains("Hello from cy, turn 4", html);
        Assert.Contains("[rising] How about a quick pasta?", html);
        Assert.Contains("Quite tailored, I&#x27;d say.", html);
        Assert.Contains("no score", html);
        Assert.Contains("3 / 5", html);
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
        Assert.Contains("<td class=\"num\">4</td>", html);
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

    static Task WaitAsync(HttpClient client, long id) =>
        client.PollAsync($"/api/benchmark/runs/{id}", BenchmarkWebFactory.IsFinished, 30);
}
