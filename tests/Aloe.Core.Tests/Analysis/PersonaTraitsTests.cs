using Aloe.Core.Analysis.Scoring;

namespace Aloe.Core.Tests.Analysis;

public sealed class PersonaTraitsTests
{
    [Theory]
    [InlineData("He is a 19-year-old college student studying anthropology.", 1.0, 1.0)]
    [InlineData("She is a 52-year-old nurse who loves gardening.", 0.0, 0.0)]
    [InlineData("She is a 45 year old teacher.", 0.0, 0.0)]
    [InlineData("He works as a chef in a small town.", null, 1.0)]
    [InlineData("A retired engineer who builds model trains.", null, null)]
    public void AProfileStatesAgeAndGenderAsPrismsModerators(string profile, double? younger, double? male)
    {
        var traits = PersonaTraits.Of(profile);
        Assert.Equal(younger, traits["younger"]);
        Assert.Equal(male, traits["male"]);
    }
}
