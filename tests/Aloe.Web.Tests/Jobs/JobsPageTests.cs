using System.Net;
using System.Text.Json;
using Aloe.Core.Jobs;
using Aloe.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Web.Tests.Jobs;

public sealed class JobsPageTests(AloeWebFactory factory) : IClassFixture<AloeWebFactory>
{
    [Fact]
    public async Task StartingMaintenanceFromHtmxQueuesARunThatSucceeds()
    {
        var client = factory.CreateBrowserlikeClient();
        var token = await client.GetTokenAsync("/jobs");

        var response = await client.HtmxPostAsync("/jobs/maintenance", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fragment = await response.Content.ReadAsStringAsync();
        Assert.Contains("id=\"jobs-table\"", fragment);
        Assert.DoesNotContain("<html", fragment);
        Assert.Contains("Database maintenance", fragment);
        var run = await client.WaitForRunAsync(await LatestRunIdAsync(client), RunPolling.IsFinished);
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal(run.GetProperty("total").GetInt32(), run.GetProperty("done").GetInt32());
        Assert.Contains("Database is", run.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("cancel")]
    [InlineData("retry")]
    public async Task CancelOrRetryOfAnUnknownRunIsA404ProblemNamingIt(string action)
    {
        var client = factory.CreateBrowserlikeClient();
        var token = await client.GetTokenAsync("/jobs");

        var response = await client.HtmxPostAsync($"/jobs/987654/{action}", token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Job run 987654 does not exist.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PostWithoutTheAntiforgeryTokenIsRejectedAndQueuesNothing()
    {
        var client = factory.CreateBrowserlikeClient();
        await client.GetTokenAsync("/jobs");
        var before = (await client.GetFromJsonAsync<JsonElement>("/api/jobs")).GetArrayLength();

        var response = await client.PostAsync("/jobs/maintenance", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, (await client.GetFromJsonAsync<JsonElement>("/api/jobs")).GetArrayLength());
    }

    [Fact]
    public async Task JobsPageListsRunsWithProgressAndPollsWhileOneIsActive()
    {
        var jobs = factory.Services.GetRequiredService<JobService>();
        await jobs.EnqueueAsync(DatabaseMaintenanceJob.JobKind, "Slow maintenance", new DatabaseMaintenanceJob.Options { StepDelayMs = 400 });

        var html = await factory.CreateClient().GetStringAsync("/jobs");

        Assert.Contains("Slow maintenance", html);
        Assert.Contains("role=\"progressbar\"", html);
        Assert.Contains("every 1s", html);
    }

    [Fact]
    public async Task CancellingARunningJobEndsItCancelledAndRetryFinishesIt()
    {
        var client = factory.CreateBrowserlikeClient();
        var token = await client.GetTokenAsync("/jobs");
        var jobs = factory.Services.GetRequiredService<JobService>();
        var run = await jobs.EnqueueAsync(DatabaseMaintenanceJob.JobKind, "To cancel", new DatabaseMaintenanceJob.Options { StepDelayMs = 500 });
        await client.WaitForRunAsync(run.Id, r => r.GetProperty("status").GetString() == "Running");

        var cancel = await client.HtmxPostAsync($"/jobs/{run.Id}/cancel", token);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelled = await client.WaitForRunAsync(run.Id, RunPolling.IsFinished);
        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
        Assert.Contains("Retry", await client.GetStringAsync("/jobs/table"));

        var retry = await client.HtmxPostAsync($"/jobs/{run.Id}/retry", token);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var finished = await client.WaitForRunAsync(run.Id, RunPolling.IsFinished);
        Assert.Equal("Succeeded", finished.GetProperty("status").GetString());
        Assert.Equal(2, finished.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task ApiReturnsNotFoundForAnUnknownRun()
    {
        var response = await factory.CreateClient().GetAsync("/api/jobs/999999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    static async Task<long> LatestRunIdAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/jobs"))[0].GetProperty("id").GetInt64();
}
