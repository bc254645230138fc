using Aloe.Core.Dialogues;
using Aloe.Core.Llm;
using Aloe.Core.Prompts;
using Aloe.Testing;

namespace Aloe.Core.Tests.Dialogues;

public sealed class TurnParsingTests
{
    [Fact]
    public void ReadsBothSectionsOfAnInductionAnswer()
    {
        var inferred = InferredPersona.Parse("Profile: works night shifts in the ER.\nPersonalities: warm, uses humour");
        Assert.Equal("works night shifts in the ER.", inferred.Profile);
        Assert.Equal("warm, uses humour", inferred.Personality);
    }

    [Theory]
    [InlineData("Profile: None\nPersonalities: None")]
    [InlineData("Profile: [None]\nPersonalities: N/A.")]
    [InlineData("None")]
    [InlineData("**Profile:** none\n**Personalities:** none")]
    public void ReadsNoneAsNothingRevealed(string answer) =>
        Assert.Equal(InferredPersona.Nothing, InferredPersona.Parse(answer));

    [Fact]
    public void ToleratesAMissingSectionAndTextAroundTheAnswer()
    {
        var inferred = InferredPersona.Parse("Here is my analysis.\n\n- **Profile**: bakes bread\n\nThat is all I can tell.");
        Assert.Equal("bakes bread\n\nThat is all I can tell.", inferred.Profile);
        Assert.Null(inferred.Personality);
    }

    [Fact]
    public void ReadsSectionsInEitherOrderAndTheSingularLabel()
    {
        var inferred = InferredPersona.Parse("Personality traits: impatient\nprofile: trader");
        Assert.Equal("trader", inferred.Profile);
        Assert.Equal("impatient", inferred.Personality);
    }

    [Fact]
    public void RejectsAnInductionAnswerWithoutEitherLabelAsGarbled() =>
        Assert.Throws<LlmOutputException>(() => InferredPersona.Parse("I cannot help with that."));

    [Fact]
    public void HintNamesNoneForUnrevealedHalves() =>
        Assert.Equal("Profile: bakes bread Personalities: None", new InferredPersona("bakes bread", null).AsHint());

    [Theory]
    [InlineData("A", 'A')]
    [InlineData(" B. ", 'B')]
    [InlineData("**A**", 'A')]
    [InlineData("Response B", 'B')]
    [InlineData("B, because it suits the user's style.", 'B')]
    [InlineData("I think Response A is better.", 'A')]
    public void ReadsTheVerifiersLetter(string answer, char expected) =>
        Assert.Equal(expected, DialogueTurnBuilder.ParseVerdict(answer));

    [Theory]
    [InlineData("Both are fine.")]
    [InlineData("Response A and Response B are equal.")]
    public void RejectsAVerdictThatNamesNeitherOrBoth(string answer) =>
        Assert.Throws<LlmOutputException>(() => DialogueTurnBuilder.ParseVerdict(answer));

    [Fact]
    public void TheInductionExamplesFileHoldsTwoWorkedExamples()
    {
        var library = new PromptLibrary(Path.Combine(TestHost.RepositoryRoot(), "prompts"));
        var examples = InductionExamples.Parse(library.Get(InductionExamples.PromptName).Template);
        Assert.Equal(2, examples.Count);
        Assert.All(examples, e =>
        {
            Assert.StartsWith("A: ", e.Conversation);
            Assert.StartsWith("Profile:", e.Answer);
            Assert.Contains("Personalities:", e.Answer);
        });
    }
}
