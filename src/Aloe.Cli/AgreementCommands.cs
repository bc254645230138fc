using System.CommandLine;
using System.Globalization;
using Aloe.Core.Annotation;

namespace Aloe.Cli;

/// <summary>`aloe agreement`: an agreement coefficient from a long-format ratings file (paper, section 5.4).</summary>
internal static class AgreementCommands
{
    public static Command Create()
    {
        var json = CliOutput.JsonOption();
        var ratings = new Option<FileInfo>("--ratings") { Description = $"CSV with header {RatingsCsv.Header}, one rating per line (a missing rating is an absent line)", Required = true };
        var metric = new Option<string>("--metric") { Description = "Which coefficient", Required = true };
        metric.AcceptOnlyFromAmong([.. AgreementMetric.Names]);
        var resamples = new Option<int>("--resamples") { Description = "Bootstrap resamples for Cohen's kappa interval", DefaultValueFactory = _ => Agreement.DefaultResamples };
        var seed = new Option<int>("--seed") { Description = "Bootstrap seed", DefaultValueFactory = _ => Agreement.DefaultSeed };
        var command = new Command("agreement", "Inter-rater agreement: Cohen's kappa (two raters), Fleiss' kappa, Krippendorff's alpha, Gwet's AC1, percent agreement")
            { ratings, metric, resamples, seed, json };
        command.SetAction(parse =>
        {
            try
            {
                using var reader = parse.GetValue(ratings)!.OpenText();
                var matrix = RatingMatrix.FromRows(RatingsCsv.Parse(reader));
                var result = AgreementMetric.Compute(matrix, parse.GetValue(metric)!, parse.GetValue(resamples), parse.GetValue(seed));
                if (parse.GetValue(json))
                    CliOutput.WriteJson(Console.Out, result);
                else
                    Console.WriteLine($"{result.Metric} {F(result.Value)} over {result.Items} items"
                        + (result.StandardError is { } se ? $", SE {F(se)}" : "")
                        + (result.IntervalLow is { } low ? $", 95% bootstrap interval {F(low)} to {F(result.IntervalHigh)}" : ""));
                return 0;
            }
            catch (Exception e) when (e is FormatException or ArgumentException or IOException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        });
        return command;
    }

    static string F(double? value) => value?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "undefined";
}
