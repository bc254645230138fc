using System.CommandLine;
using System.Globalization;
using Aloe.Core.Analysis;

namespace Aloe.Cli;

/// <summary>`aloe analysis fit`: a Bayesian random-intercept model on a CSV file (no database needed).</summary>
internal static class ModelCommands
{
    public static Command Fit()
    {
        var data = new Option<FileInfo>("--data") { Description = "CSV file with a header row (column names as in the formula)", Required = true };
        var formula = new Option<string>("--formula") { Description = "lme4 syntax, e.g. \"chosen ~ reasoning_nuance + toxicity + (1|user/conversation) + (1|model)\"", Required = true };
        var family = new Option<string>("--family") { Description = "gaussian or bernoulli", Required = true };
        var defaults = new SamplerOptions();
        var chains = new Option<int>("--chains") { Description = "Markov chains, run in parallel", DefaultValueFactory = _ => defaults.Chains };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up iterations per chain (discarded)", DefaultValueFactory = _ => defaults.Warmup };
        var draws = new Option<int>("--draws") { Description = "Kept draws per chain", DefaultValueFactory = _ => defaults.Draws };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (same seed, same draws)", DefaultValueFactory = _ => defaults.Seed };
        var json = CliOutput.JsonOption();
        var command = new Command("fit", "Fit a Bayesian mixed-effects model (Gibbs; Polya-Gamma for bernoulli) and print the paper's summaries.")
            { data, formula, family, chains, warmup, draws, seed, json };
        command.SetAction((parse, ct) =>
        {
            var file = parse.GetValue(data)!;
            try
            {
                if (!file.Exists)
                    throw new ModelSpecificationException($"File not found: {file.FullName}");
                var modelFamily = parse.GetValue(family)!.ToLowerInvariant() switch
                {
                    "gaussian" => ModelFamily.Gaussian,
                    "bernoulli" => ModelFamily.Bernoulli,
                    var other => throw new ModelSpecificationException($"--family must be gaussian or bernoulli, not '{other}'."),
                };
                AnalysisTable table;
                using (var reader = file.OpenText())
                    table = AnalysisTable.ReadCsv(reader);
                var options = new SamplerOptions(parse.GetValue(chains), parse.GetValue(warmup), parse.GetValue(draws), parse.GetValue(seed));
                var fit = MixedModel.Fit(parse.GetValue(formula)!, table, modelFamily, options, cancellationToken: ct);
                foreach (var warning in fit.Warnings)
                    Console.Error.WriteLine($"warning: {warning}");
                if (parse.GetValue(json))
                    CliOutput.WriteJson(Console.Out, fit.ToJson());
                else
                    Write(fit);
                return Task.FromResult(0);
            }
            catch (ModelSpecificationException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return Task.FromResult(2);
            }
        });
        return command;
    }

    internal static void Write(MixedModelFit fit)
    {
        static string F(double v) => double.IsPositiveInfinity(v) ? "Inf" : v.ToString("0.###", CultureInfo.InvariantCulture);
        Console.WriteLine($"{fit.Formula}  ({fit.Family.ToString().ToLowerInvariant()}, {fit.Rows} rows, {fit.Options.Chains} chains x {fit.Options.Draws} draws, {F(fit.Seconds)} s)");
        CliOutput.WriteTable(Console.Out, ["term", "mean", "sd", "q05", "q95", "evidence ratio", "", "rhat", "ess bulk"],
            fit.Fixed.Select(f => (IReadOnlyList<string>)[f.Name, F(f.Mean), F(f.Sd), F(f.Q05), F(f.Q95), F(f.EvidenceRatio),
                f.Evidence switch { Evidence.Significant => "**", Evidence.Marginal => "*", _ => "" }, F(f.Rhat), F(f.EssBulk)]));
        CliOutput.WriteTable(Console.Out, ["group", "levels", "sd mean", "q05", "q95", "rhat", "ess bulk"],
            fit.Random.Select(r => (IReadOnlyList<string>)[r.Group, r.Levels.ToString(CultureInfo.InvariantCulture), F(r.SdMean), F(r.SdQ05), F(r.SdQ95), F(r.Rhat), F(r.EssBulk)]));
        Console.WriteLine("** evidence ratio P(b>0)/P(b<0) (or its inverse) > 100, * > 10; q05/q95 are one-sided 95% bounds.");
    }
}
