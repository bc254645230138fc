using System.Text.Json;
using Aloe.Core.Jobs;
using Aloe.Testing;
using Xunit.Abstractions;

namespace Aloe.Web.Tests.Jobs;

/// <summary>The CLI and the web app over one database: a run the CLI is executing is not taken by the web app starting up.</summary>
public sealed class SharedDatabaseTests(ITestOutputHelper output) : IDisposable
{
    readonly string directory = Path.Combine(Path.GetTempPath(), "aloe-shared-db-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task AWebAppStartingWhileTheCliRunsAJobLeavesItToTheCliAndNothingRunsTwice()
    {
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "aloe.db");
        // The CLI's services (jobs run inline by the command), over the shared file.
        await using var cli = await TestHost.StartAsync(databasePath: database);
        var jobs = cli.Get<JobService>();
        var run = await jobs.EnqueueAsync(DatabaseMaintenanceJob.JobKind, "maintenance", new DatabaseMaintenanceJob.Options { StepDelayMs = 300 });
        var executing = cli.Get<JobRunner>().ExecuteAsync(run.Id, CancellationToken.None);
        while ((await jobs.GetAsync(run.Id))!.Done < 2)
            await Task.Delay(50);

        // A short lease, so a wrongful take-over would happen well within the run if the CLI's claim were not respected.
        using (var web = await WebAppProcess.StartAsync(database, settings: new Dictionary<string, string> { ["Jobs__LeaseSeconds"] = "3" }))
        {
            using var client = new HttpClient { BaseAddress = web.BaseAddress };
            Assert.Contains("Hangfire", await client.GetStringAsync("/hangfire")); // the dashboard, open to loopback
            Assert.True(await executing);
        }

        var finished = (await jobs.GetAsync(run.Id))!;
        Assert.Equal(JobStatus.Succeeded, finished.Status);
        Assert.Equal(1, finished.Attempts);
        using var checkpoint = JsonDocument.Parse(finished.Checkpoint!);
        var completed = checkpoint.RootElement.GetProperty("completed").EnumerateArray().Select(e => e.GetString()!).ToList();
        output.WriteLine("Completed steps (attempt:step): " + string.Join(", ", completed));
        Assert.Equal(Enumerable.Range(0, finished.Total).Select(step => $"1:{step}"), completed);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }
}
