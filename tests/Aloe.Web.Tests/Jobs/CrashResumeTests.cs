using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Aloe.Testing;
using Aloe.Web.Tests.Support;
using Xunit.Abstractions;

namespace Aloe.Web.Tests.Jobs;

/// <summary>The web app as a separate process, killed (SIGKILL) in the middle of a job and started again.</summary>
public sealed class CrashResumeTests(ITestOutputHelper output) : IDisposable
{
    readonly string directory = Path.Combine(Path.GetTempPath(), "aloe-crash-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task AJobKilledWithTheProcessResumesOnRestartAndFinishesWithNothingDoneTwice()
    {
        Directory.CreateDirectory(directory);
        var port = FreePort();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var first = StartApp(port);
        long runId;
        try
        {
            await WaitHealthyAsync(client, first);
            var token = await client.GetTokenAsync("/jobs");
            (await client.HtmxPostAsync("/jobs/maintenance?stepDelayMs=600", token)).EnsureSuccessStatusCode();
            runId = (await client.GetFromJsonAsync<JsonElement>("/api/jobs"))[0].GetProperty("id").GetInt64();
            await client.WaitForRunAsync(runId, r => r.GetProperty("done").GetInt32() >= 2);
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        using var second = StartApp(port);
        try
        {
            await WaitHealthyAsync(client, second);
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
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }
    }

    Process StartApp(int port)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Aloe.Web.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["ALOE_ROOT"] = TestHost.RepositoryRoot();
        info.Environment["Database__ConnectionString"] = $"Data Source={Path.Combine(directory, "aloe.db")}";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
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

    static async Task WaitHealthyAsync(HttpClient client, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The app exited with code {process.ExitCode}.");
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("The app did not become healthy.");
    }


    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }
}
