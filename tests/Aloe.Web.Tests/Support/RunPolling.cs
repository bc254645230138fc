using System.Text.Json;

namespace Aloe.Web.Tests.Support;

/// <summary>Waits on a job run through the JSON API, as a script would.</summary>
public static class RunPolling
{
    public static bool IsFinished(JsonElement run) => run.GetProperty("status").GetString() is "Succeeded" or "Failed" or "Cancelled";

    /// <summary>Polls /api/jobs/{id} until the condition holds; throws (with the last state) after the limit rather than hanging.</summary>
    public static async Task<JsonElement> WaitForRunAsync(this HttpClient client, long id, Func<JsonElement, bool> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var run = await client.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");
            if (condition(run)) return run;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Run {id} did not reach the expected state: {run}");
            await Task.Delay(50);
        }
    }
}
