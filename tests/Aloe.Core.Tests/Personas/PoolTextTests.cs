using Aloe.Core.Personas;

namespace Aloe.Core.Tests.Personas;

public sealed class PoolTextTests
{
    const string Profile = "She is a 30-year-old nurse who swims every morning and has two cats.";

    [Theory]
    [InlineData("1. " + Profile)]
    [InlineData("12) " + Profile)]
    [InlineData("(3) " + Profile)]
    [InlineData("- " + Profile)]
    [InlineData("* " + Profile)]
    [InlineData("• " + Profile)]
    [InlineData("Profile 4: " + Profile)]
    [InlineData("**Profile 4:** " + Profile)]
    [InlineData("\"" + Profile + "\"")]
    [InlineData("“" + Profile + "”")]
    [InlineData("\"" + Profile + "\",")]
    [InlineData("3. \"" + Profile + "\"")]
    [InlineData("  \"" + Profile)]
    public void CleaningStripsNumberingBulletsAndQuotes(string line) =>
        Assert.Equal([Profile], GeneratorOutput.Clean(line));

    [Fact]
    public void CleaningDropsBlankLinesHeadingsAndChatter()
    {
        var reply = "Here are 20 new user profiles:\n\n1. " + Profile + "\r\n   \n2. He is a 40-year-old baker in Lyon who cycles to work daily.\nI hope these help!";
        Assert.Equal([Profile, "He is a 40-year-old baker in Lyon who cycles to work daily."], GeneratorOutput.Clean(reply));
    }

    [Fact]
    public void CleaningKeepsNumbersInsideTheText() =>
        Assert.Equal(["He is 52 and has 3 children aged 8, 12 and 15 at school."], GeneratorOutput.Clean("He is 52 and has 3 children aged 8, 12 and 15 at school."));

    [Fact]
    public void JsonlReadsTwoStringsRunTogetherAndWarnsNamingTheLine()
    {
        var result = AloeJsonl.Read("\"one profile here\"\n\"two\"\"three\"\n\"four\"");
        Assert.True(result.Ok);
        Assert.Equal(["one profile here", "two", "three", "four"], result.Records.Select(r => r.Text));
        Assert.Equal([1, 2, 2, 3], result.Records.Select(r => r.Line));
        Assert.Contains("Line 2", Assert.Single(result.Warnings));
    }

    [Fact]
    public void JsonlReportsInvalidLinesWithTheirNumbers()
    {
        var result = AloeJsonl.Read("\"fine\"\nnot json\n{\"a\": 1}\n\"fine again\"\n");
        Assert.False(result.Ok);
        Assert.Equal(2, result.Errors.Count);
        Assert.StartsWith("Line 2:", result.Errors[0]);
        Assert.StartsWith("Line 3: expected a JSON string, found an object", result.Errors[1]);
    }

    [Fact]
    public void JsonlRoundTripsTextsWithQuotesAndAccents()
    {
        string[] texts = ["She said \"hi\" in São Paulo.", "He's fine\\ok"];
        Assert.Equal(texts, AloeJsonl.Read(AloeJsonl.Write(texts)).Records.Select(r => r.Text));
    }
}
