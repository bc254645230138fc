using System.Text.Json;
using System.Text.RegularExpressions;
using Aloe.Core.Benchmark;
using Aloe.Core.Conversations;
using Aloe.Core.Llm;
using Aloe.Testing;
using Aloe.Web.Tests.Support;

namespace Aloe.Web.Tests.Benchmark;

/// <summary>
/// The web app with a scripted gateway: model "rising" earns higher scores turn by turn,
/// any other model a flat 3; personas vary the score by one point so intervals have width.
/// </summary>
public sealed partial class BenchmarkWebFactory : AloeWebFactory
{
    public static readonly string[] Names = ["ann", "bob", "cy", "dee"];

    public BenchmarkWebFactory() => ConfigureTestServices = Configure;

    public static void Configure(IServiceCollection services)
    {
        var llm = new ScriptedLlmGateway()
            .On(LlmRole.RolePlay, r => $"Hello from {Who(r.Messages[0].Text)}, turn {(r.Messages.Count - 1) / 2 + 1}. What should I cook tonight?")
            .On(LlmRole.Evaluated, r => $"[{r.Binding?.Model}] How about a quick pasta?")
            .On(LlmRole.Judge, r =>
            {
                var prompt = r.Messages[0].Text;
                var turn = int.Parse(TurnPattern().Match(prompt).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                var bump = Who(prompt) is "bob" or "dee" ? 1 : 0;
                if (Who(prompt) == "cy" && turn == 2)
                    return "Quite tailored, I'd say.";
                return (prompt.Contains("[rising]") ? Math.Min(5, 1 + turn / 2 + bump) : 2 + bump).ToString(System.Globalization.CultureInfo.InvariantCulture);
            });
        services.AddSingleton<ILlmGateway>(llm);
        services.AddSingleton<IBenchmarkCaseSource>(new NamedCases());
    }

    static string Who(string text) => Names.FirstOrDefault(n => text.Contains(n + " is a")) ?? "?";

    [GeneratedRegex(@"user's message: Hello from \w+, turn (\d+)")]
    private static partial Regex TurnPattern();

    sealed class NamedCases : IBenchmarkCaseSource
    {
        public Task<BenchmarkCaseSet> GetEvaluationSetAsync(CancellationToken cancellationToken) => Task.FromResult(new BenchmarkCaseSet("web-test: 4 personas",
            Names.Select(n => new BenchmarkCaseInput("web/" + n, new PersonaText($"{n} is a chef in a small town who loves local food.", $"{n} is curious and warm."))).ToList()));

        public Task<BenchmarkCaseSet> PreviewEvaluationSetAsync(CancellationToken cancellationToken) => GetEvaluationSetAsync(cancellationToken);
    }

    /// <summary>Starts a run through the JSON API and polls it until its job ends (30 s at most).</summary>
    public static async Task<JsonElement> RunAsync(HttpClient client, string model, int turns = 4)
    {
        var started = await client.PostAsJsonAsync("/api/benchmark/runs", new { evaluatedModel = model, turns, judgeMode = "paper" });
        started.EnsureSuccessStatusCode();
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        return await client.PollAsync($"/api/benchmark/runs/{id}", IsFinished, 30);
    }

    /// <summary>A benchmark report whose run's job has ended.</summary>
    public static bool IsFinished(JsonElement report) =>
        report.GetProperty("run").GetProperty("status").GetString() is "Succeeded" or "Failed" or "Cancelled";
}
