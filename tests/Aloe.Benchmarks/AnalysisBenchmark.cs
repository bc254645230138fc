using System.Diagnostics;
using System.Globalization;
using Aloe.Core.Analysis;

namespace Aloe.Benchmarks;

/// <summary>
/// Mixed-model fits at the paper's scale on simulated attribute scores: 5,760 rows with 7 attribute
/// predictors, users with nested conversations (~1,200 groups) and 21 models, Gaussian and Bernoulli,
/// 4 chains x 2,000 iterations; then a PRISM-sized Bernoulli fit (68,000 rows, 1,400 users, 8,000 conversations).
/// </summary>
internal static class AnalysisBenchmark
{
    static readonly string[] Attributes = ["reasoning_nuance", "curiosity", "personal_story", "respect", "compassion", "affinity", "toxicity"];
    static readonly double[] Effects = [1.0, 0.3, -0.4, 0.1, 0.2, 0.0, 0.7];

    public static Task<int> RunAsync(string[] args)
    {
        var warmup = Options.Int(args, "--warmup", 1000);
        var draws = Options.Int(args, "--draws", 1000);
        var large = Options.Int(args, "--prism-rows", 68_000);
        var options = new SamplerOptions(Chains: 4, Warmup: warmup, Draws: draws, Seed: 1);
        Console.WriteLine($"{Environment.ProcessorCount} cores; load average before: {Options.LoadAverage()}; 4 chains x {warmup + draws} iterations");
        var formula = "y ~ " + string.Join(" + ", Attributes) + " + (1|user/conversation) + (1|model)";

        // --only small: the two 5,760-row fits; --only prism: the 68,000-row fit; default both.
        var at = Array.IndexOf(args, "--only");
        var only = at >= 0 && at + 1 < args.Length ? args[at + 1] : "all";
        if (only is not ("all" or "small" or "prism"))
        {
            Console.WriteLine("--only must be small (the 5,760-row fits), prism (the PRISM-sized fit) or all.");
            return Task.FromResult(1);
        }
        if (only != "prism")
        {
            Measure("gaussian, 5,760 rows", formula, Simulate(5_760, users: 300, conversations: 900, ModelFamily.Gaussian), ModelFamily.Gaussian, options);
            Measure("bernoulli, 5,760 rows", formula, Simulate(5_760, users: 300, conversations: 900, ModelFamily.Bernoulli), ModelFamily.Bernoulli, options);
        }
        if (large > 0 && only != "small")
            Measure($"bernoulli, {large:N0} rows (PRISM-sized)", formula, Simulate(large, users: 1_400, conversations: 8_000, ModelFamily.Bernoulli), ModelFamily.Bernoulli, options);
        Console.WriteLine($"load average after: {Options.LoadAverage()}");
        return Task.FromResult(0);
    }

    static void Measure(string label, string formula, AnalysisTable table, ModelFamily family, SamplerOptions options)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var fit = MixedModel.Fit(formula, table, family, options);
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var megabytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {fit.Seconds:F1} s wall, {cpuSeconds:F1} s CPU, {megabytes:F0} MB allocated; R-hat max {fit.RhatMax:F3}, bulk ESS min {fit.EssBulkMin:F0}, tail ESS min {fit.EssTailMin:F0}"));
        foreach (var f in fit.Fixed)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {f.Name,-18} {f.Mean,8:F3} [{f.Q05:F3}, {f.Q95:F3}]  rhat {f.Rhat:F3}  ess {f.EssBulk:F0}"));
        foreach (var r in fit.Random)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  sd({r.Group}) {r.SdMean:F3}  rhat {r.Rhat:F3}  ess {r.EssBulk:F0}"));
    }

    /// <summary>Conversations nested in users, each row a response by one of 21 models, attributes in 0-1 (Beta-like).</summary>
    static AnalysisTable Simulate(int rows, int users, int conversations, ModelFamily family)
    {
        var rng = new Rng(2025);
        var userEffect = Enumerable.Range(0, users).Select(_ => 0.5 * rng.Normal()).ToArray();
        var conversationEffect = Enumerable.Range(0, conversations).Select(_ => 0.3 * rng.Normal()).ToArray();
        var modelEffect = Enumerable.Range(0, 21).Select(_ => 0.4 * rng.Normal()).ToArray();
        var columns = Attributes.Select(_ => new double[rows]).ToArray();
        var y = new double[rows];
        var (user, conversation, model) = (new string[rows], new string[rows], new string[rows]);
        for (var i = 0; i < rows; i++)
        {
            var c = i * conversations / rows; // consecutive rows share a conversation
            var u = c % users;
            var m = (int)(rng.Uniform() * 21);
            var eta = -0.5 + userEffect[u] + conversationEffect[c] + modelEffect[m];
            for (var a = 0; a < Attributes.Length; a++)
            {
                var value = rng.Uniform() * rng.Uniform();
                columns[a][i] = value;
                eta += Effects[a] * value;
            }
            y[i] = family == ModelFamily.Gaussian ? eta + 0.6 * rng.Normal() : rng.Uniform() < 1 / (1 + Math.Exp(-eta)) ? 1 : 0;
            user[i] = "u" + u;
            conversation[i] = "c" + c;
            model[i] = "m" + m;
        }
        var numbers = new Dictionary<string, double[]> { ["y"] = y };
        for (var a = 0; a < Attributes.Length; a++)
            numbers[Attributes[a]] = columns[a];
        return AnalysisTable.FromNumbers(numbers, new Dictionary<string, string[]> { ["user"] = user, ["conversation"] = conversation, ["model"] = model });
    }
}
