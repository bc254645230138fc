using System.Diagnostics;
using System.Text.Json;
using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Aloe.Testing;
using System.Net;
using Aloe.Web.Tests.Support;
using Xunit.Abstractions;

namespace Aloe.Web.Tests.Jobs;

/// <summary>
/// Two worker processes over one PostgreSQL database (Hangfire's PostgreSQL storage): the one
/// running a job is killed with SIGKILL; the other resumes it once the lease expires and
/// finishes it with every step done exactly once.
/// </summary>
public sealed class WorkerKillTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task WhenTheWorkerRunningAJobIsKilledTheOtherFinishesItAfterTheLeaseWithNothingMissingOrTwice()
    {
        await using var host = await TestHost.StartAsync(provider: DatabaseProvider.PostgreSql);
        var connection = host.Get<AloeDatabase>().ConnectionString;
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["Database__ConnectionString"] = connection,
            ["Jobs__LeaseSeconds"] = "10",
        };
        using var a = await WebAppProcess.StartAsync(null, settings: settings);
        using var b = await WebAppProcess.StartAsync(null, settings: settings);
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = a.BaseAddress };
        var jobs = host.Get<JobService>();

        // Queued through a web app's scheduler (Hangfire on PostgreSQL): either worker may take it.
        var scheduled = await StartThroughHangfireAsync(client);
        JobRun run;
        while ((run = (await jobs.GetAsync(scheduled))!).Done < 3)
            await Task.Delay(100);
        var victim = run.Owner!.Split(':')[1] == a.ProcessId.ToString() ? a : b;
        var killedAt = Stopwatch.StartNew();
        await victim.KillAsync();

        while (!(run = (await jobs.GetAsync(scheduled))!).Status.Equals(JobStatus.Succeeded) && killedAt.Elapsed < TimeSpan.FromSeconds(120))
            await Task.Delay(200);

        output.WriteLine($"Killed pid {victim.ProcessId} at step {3}+; finished by {run.Owner} {killedAt.Elapsed.TotalSeconds:0.0} s after the kill (lease 10 s).");
        Assert.Equal(JobStatus.Succeeded, run.Status);
        Assert.Equal(2, run.Attempts);
        Assert.DoesNotContain($":{victim.ProcessId}:", run.Owner);
        using var checkpoint = JsonDocument.Parse(run.Checkpoint!);
        var completed = checkpoint.RootElement.GetProperty("completed").EnumerateArray().Select(e => e.GetString()!).ToList();
        output.WriteLine("Completed steps (attempt:step): " + string.Join(", ", completed));
        Assert.Equal(Enumerable.Range(0, run.Total), completed.Select(c => int.Parse(c.Split(':')[1])));
        Assert.Contains(completed, c => c.StartsWith("2:"));
    }

    static async Task<long> StartThroughHangfireAsync(HttpClient client)
    {
        (await client.PostAsync("/api/jobs/maintenance?stepDelayMs=700", null)).EnsureSuccessStatusCode();
        return (await client.GetFromJsonAsync<JsonElement>("/api/jobs"))[0].GetProperty("id").GetInt64();
    }
}
