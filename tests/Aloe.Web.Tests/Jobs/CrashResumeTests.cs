using System.Net;
using System.Text.Json;
using Aloe.Testing;
using Aloe.Web.Tests.Support;
using Xunit.Abstractions;

namespace Aloe.Web.Tests.Jobs;

/// <summary>The web app as a separate process, killed (SIGKILL) in the middle of a job and started again.</summary>
/// <remarks>A short lease: the restarted app resumes the run only once the dead process's lease has expired.</remarks>
public sealed class CrashResumeTests(ITestOutputHelper output) : IDisposable
{
    readonly string directory = Path.Combine(Path.GetTempPath(), "aloe-crash-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task AJobKilledWithTheProcessResumesOnRestartAndFinishesWithNothingDoneTwice()
    {
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "aloe.db");
        var port = WebAppProcess.FreePort();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var shortLease = new Dictionary<string, string> { ["Jobs__LeaseSeconds"] = "10" };
        long runId;
        using (var first = await WebAppProcess.StartAsync(database, port, shortLease))
        {
            (await client.PostAsync("/api/jobs/maintenance?stepDelayMs=600", null)).EnsureSuccessStatusCode();
            runId = (await client.GetFromJsonAsync<JsonElement>("/api/jobs"))[0].GetProperty("id").GetInt64();
            await client.WaitForRunAsync(runId, r => r.GetProperty("done").GetInt32() >= 2);
            await first.KillAsync();
        }

        using var second = await WebAppProcess.StartAsync(database, port, shortLease);
        var run = await client.WaitForRunAsync(runId, RunPolling.IsFinished);

        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal(2, run.GetProperty("attempts").GetInt32());
        var completed = CompletedSteps(runId);
        output.WriteLine("Completed steps (attempt:step): " + string.Join(", ", completed));
        var steps = completed.Select(c => int.Parse(c.Split(':')[1])).ToList();
        Assert.Equal(Enumerable.Range(0, run.GetProperty("total").GetInt32()), steps);
        Assert.Contains(completed, c => c.StartsWith("1:"));
        Assert.Contains(completed, c => c.StartsWith("2:"));
    }

    List<string> CompletedSteps(long runId)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(directory, "aloe.db")};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Checkpoint FROM JobRuns WHERE Id = $id";
        command.Parameters.AddWithValue("$id", runId);
        using var json = JsonDocument.Parse((string)command.ExecuteScalar()!);
        return json.RootElement.GetProperty("completed").EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }
}
