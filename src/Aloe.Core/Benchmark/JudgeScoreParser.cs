using System.Text.RegularExpressions;

namespace Aloe.Core.Benchmark;

/// <summary>
/// The judge must answer with one integer 1-5 (Appendix B.3). Accepted: that integer alone,
/// optionally wrapped in quotes or markdown, labelled "Score:" or written "4/5". Anything else
/// (explanations, ranges, decimals, out-of-range numbers) is not a score and is retried.
/// </summary>
public static partial class JudgeScoreParser
{
    public static bool TryParse(string? raw, out int score)
    {
        score = 0;
        if (raw is null)
            return false;
        var match = CleanScore().Match(raw.Trim());
        if (!match.Success)
            return false;
        score = match.Groups[1].Value[0] - '0';
        return true;
    }

    [GeneratedRegex(@"^[\s*_`""'(\[]*(?:score\s*[:=]?\s*)?[\s*_`""'(\[]*([1-5])(?:\s*/\s*5)?[\s*_`""')\].]*$", RegexOptions.IgnoreCase)]
    private static partial Regex CleanScore();
}
