using System.Text.Json;

namespace Aloe.Web.Tests.Support;

/// <summary>Waits on a job run through the JSON API, as a script would.</summary>
public static class RunPolling
{
    public static bool IsFinished(JsonElement run) => run.GetProperty("status").GetString() is "Succeeded" or "Failed" or "Cancelled";

    /// <summary>Polls /api/jobs/{id} until the condition holds; throws (with the last state) after the limit rather than hanging.</summary>
    public static Task<JsonElement> WaitForRunAsync(this HttpClient client, long id, Func<JsonElement, bool> condition, int seconds = 60) =>
        client.PollAsync($"/api/jobs/{id}", condition, seconds);

    /// <summary>GETs the JSON at <paramref name="url"/> until the condition holds; throws (with the last answer) after the limit rather than hanging.</summary>
    public static async Task<JsonElement> PollAsync(this HttpClient client, string url, Func<JsonElement, bool> condition, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var answer = await client.GetFromJsonAsync<JsonElement>(url);
            if (condition(answer)) return answer;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{url} did not reach the expected state: {answer}");
            await Task.Delay(50);
        }
    }
}
