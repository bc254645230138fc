using System.Diagnostics;
using System.Text.Json;
using Aloe.Core.Analysis.Prism;
using Aloe.Core.Analysis.Scoring;
using Aloe.Core.Jobs;
using Aloe.Testing;

namespace Aloe.Benchmarks;

/// <summary>
/// docs/performance.md, "PRISM import and attribute scoring": a synthetic PRISM-sized data set
/// (68,000 utterances in ~8,000 conversations of 1,400 participants, PRISM's schema) imported into
/// a fresh SQLite database, then scored by the Simulated scorer (all eight attributes).
/// </summary>
internal static class PrismBenchmark
{
    static readonly string[] Words = "the a model people think because however maybe I you we our feel understand why how climate policy family work health money school city history music reason evidence story remember curious respect thank sorry hope together both although depends example".Split(' ');
    static readonly string[] Types = ["unguided", "values guided", "controversy guided"];
    static readonly string[] Ages = ["18-24 years old", "25-34 years old", "35-44 years old", "45-54 years old", "55-64 years old", "65+ years old", "Prefer not to say"];

    public static async Task<int> RunAsync(string[] args)
    {
        var utterances = Options.Int(args, "--utterances", 68_000);
        var directory = Path.Combine(Path.GetTempPath(), "aloe-prism-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var generate = Stopwatch.StartNew();
            var (conversations, users) = Generate(directory, utterances, new Random(1));
            Console.WriteLine($"Generated {utterances:N0} utterances, {conversations:N0} conversations, {users:N0} participants ({new DirectoryInfo(directory).EnumerateFiles().Sum(f => f.Length) / 1e6:F1} MB) in {generate.Elapsed.TotalSeconds:F1} s");

            await using var host = await TestHost.StartAsync(b => b.AddAnalysisScoring());
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var result = await host.Get<PrismImporter>().ImportAsync(directory);
            Console.WriteLine($"import-prism: {result.Utterances:N0} utterances, {result.Interactions:N0} interactions in {clock.Elapsed.TotalSeconds:F2} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s CPU");

            if (args.Contains("--import-only"))
                return 0;
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            clock.Restart();
            var started = await host.Get<AttributeScoringService>().StartAsync(ScoringSources.Prism, "simulated");
            await host.Get<JobRunner>().ExecuteAsync(started.JobRunId, default);
            var run = await host.Get<JobService>().GetAsync(started.JobRunId);
            Console.WriteLine($"score --scorer simulated: {run!.Total:N0} distinct texts x 8 attributes ({run.Status}) in {clock.Elapsed.TotalSeconds:F2} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s CPU");

            clock.Restart();
            var table = await host.Get<ScoredTableService>().GetAsync(ScoringSources.Prism, "simulated");
            var csv = new StringWriter();
            ScoredTableService.WriteResponsesCsv(table, csv);
            Console.WriteLine($"scored table: {table.Rows.Count:N0} rows and the responses CSV ({csv.GetStringBuilder().Length / 1e6:F1} MB) in {clock.Elapsed.TotalSeconds:F2} s");
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    static string Text(Random r, int words) => string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[r.Next(Words.Length)])) + (r.Next(4) == 0 ? "?" : ".");

    static (int Conversations, int Users) Generate(string directory, int total, Random r)
    {
        const int users = 1_400;
        using (var survey = new StreamWriter(Path.Combine(directory, "survey.jsonl")))
            for (var u = 0; u < users; u++)
                survey.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["user_id"] = $"user{u}", ["age"] = Ages[r.Next(Ages.Length)], ["gender"] = r.Next(2) == 0 ? "Male" : "Female",
                    ["ethnicity"] = new Dictionary<string, string> { ["simplified"] = r.Next(3) == 0 ? "White" : "Asian" },
                    ["stated_prefs"] = new Dictionary<string, int> { ["values"] = r.Next(101), ["safety"] = r.Next(101) },
                    ["included_in_balanced_subset"] = r.Next(2) == 0,
                }));
        using var utterances = new StreamWriter(Path.Combine(directory, "utterances.jsonl"));
        using var conversations = new StreamWriter(Path.Combine(directory, "conversations.jsonl"));
        var written = 0;
        var c = 0;
        for (; written < total; c++)
        {
            var user = $"user{r.Next(users)}";
            var type = Types[r.Next(Types.Length)];
            var history = new List<Dictionary<string, object>>();
            var opening = Text(r, 20);
            var prompt = opening;
            for (var turn = 0; written < total && turn < 4; turn++)
            {
                history.Add(new() { ["turn"] = turn, ["role"] = "user", ["content"] = prompt });
                var responses = turn == 0 ? 2 + r.Next(3) : 2;
                var chosen = r.Next(responses);
                for (var w = 0; w < responses && written < total; w++, written++)
                {
                    var response = Text(r, 60 + r.Next(80));
                    // Turn 0 ids are interface slots, as in PRISM; later turns 0/1.
                    var within = turn == 0 ? r.Next(100) * 4 + w : w;
                    var score = 1 + r.Next(100);
                    history.Add(new() { ["turn"] = turn, ["role"] = "model", ["content"] = response, ["model_name"] = $"model-{r.Next(21)}", ["score"] = score, ["if_chosen"] = w == chosen, ["within_turn_id"] = within });
                    utterances.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                    {
                        ["utterance_id"] = $"u{written}", ["interaction_id"] = $"c{c}-t{turn}", ["conversation_id"] = $"c{c}", ["user_id"] = user, ["turn"] = turn,
                        ["within_turn_id"] = within, ["conversation_type"] = type, ["user_prompt"] = prompt, ["model_response"] = response,
                        ["model_name"] = $"model-{r.Next(21)}", ["model_provider"] = "provider", ["score"] = score, ["if_chosen"] = w == chosen,
                        ["included_in_balanced_subset"] = true,
                    }));
                }
                prompt = Text(r, 15);
            }
            conversations.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["conversation_id"] = $"c{c}", ["user_id"] = user, ["conversation_type"] = type, ["opening_prompt"] = opening,
                ["conversation_history"] = history, ["included_in_balanced_subset"] = true,
            }));
        }
        return (c, users);
    }
}
