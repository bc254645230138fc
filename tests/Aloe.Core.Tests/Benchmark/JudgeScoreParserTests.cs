using Aloe.Core.Benchmark;

namespace Aloe.Core.Tests.Benchmark;

public sealed class JudgeScoreParserTests
{
    [Theory]
    [InlineData("4", 4)]
    [InlineData(" 5\n", 5)]
    [InlineData("1.", 1)]
    [InlineData("**3**", 3)]
    [InlineData("\"2\"", 2)]
    [InlineData("Score: 4", 4)]
    [InlineData("4/5", 4)]
    public void ReadsACleanIntegerFromOneToFive(string raw, int expected)
    {
        Assert.True(JudgeScoreParser.TryParse(raw, out var score));
        Assert.Equal(expected, score);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("6")]
    [InlineData("4.5")]
    [InlineData("3-4")]
    [InlineData("I would rate this 4 because it is friendly.")]
    [InlineData("4\n\nThe response is tailored.")]
    [InlineData("45")]
    [InlineData(null)]
    public void RejectsAnythingElse(string? raw) => Assert.False(JudgeScoreParser.TryParse(raw, out _));
}
