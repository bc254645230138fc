using System.Text.RegularExpressions;
using Aloe.Core.Conversations;
using Aloe.Core.Dialogues;
using Aloe.Core.Llm;
using Aloe.Core.Prompts;
using Aloe.Core.Tests.Dialogues;
using Aloe.Testing;
using Microsoft.Extensions.AI;

namespace Aloe.Core.Tests.Prompts;

/// <summary>The prompts against the paper and the authors' released code (audit, issue 14, items 2-4).</summary>
public sealed partial class PromptFidelityTests
{
    static readonly PromptLibrary Library = new(Path.Combine(TestHost.RepositoryRoot(), "prompts"));

    static string LastLine(string text) => text.Split('\n')[^1];

    [Fact]
    public async Task BothRespondersGetTheSameLengthInstructionAndTheRolePlayUserItsOwn()
    {
        await using var host = await DialogueTestSupport.StartAsync();
        host.Llm.ScriptTurns();
        await host.BuildAsync(turns: 3);

        var length = Library.Get(PromptNames.AnswerLength).Template;
        Assert.Contains("within 3 sentences", length);
        var preferred = host.Llm.Requests.Where(r => r.Role == LlmRole.Preferred).Select(r => r.Messages[^1].Text).ToList();
        var rejected = host.Llm.Requests.Where(r => r.Role == LlmRole.Rejected).Select(r => r.Messages[^1].Text).ToList();
        Assert.NotEmpty(preferred);
        Assert.All(preferred.Concat(rejected), m => Assert.Equal(length, LastLine(m)));
        // Nothing else about length in the preferred prompt: the pair differs in personalisation only.
        Assert.All(preferred, m => Assert.DoesNotContain("concise", m[..m.LastIndexOf('\n')], StringComparison.OrdinalIgnoreCase));

        var reply = Library.Get(PromptNames.RolePlayLength).Template;
        var later = host.Llm.Requests.Where(r => r.Role == LlmRole.RolePlay && r.Messages.Count > 1).ToList();
        Assert.NotEmpty(later);
        Assert.All(later, r => Assert.All(r.Messages.Skip(1).Where(m => m.Role == ChatRole.User), m => Assert.Equal(reply, LastLine(m.Text))));
    }

    [Fact]
    public async Task TheBenchmarksRolePlayUserGetsNoLengthInstructionAsInTheAuthorsEvaluation()
    {
        await using var host = await TestHost.StartAsync(b => b.AddDialogues());
        host.Llm.On(LlmRole.RolePlay, _ => "hello");
        await host.Get<RolePlayUser>().NextMessageAsync(new PersonaText("p", "q"), [new Exchange("hi", "answer")], new LlmCallOptions(null, 0), CancellationToken.None);
        Assert.Equal("answer", host.Llm.Requests.Single().Messages[^1].Text);
    }

    [Fact]
    public void TheRolePlayPromptSaysItIsSentAsAUserMessageAsTheCodeSendsIt()
    {
        var header = File.ReadAllText(Path.Combine(Library.Directory, "roleplay.md"));
        Assert.DoesNotContain("(system message)", header);
        Assert.Contains("first USER message", header);
    }

    [Fact]
    public void TheInductionExamplesComeFromTheAuthorsCodeAndObeyTheirOwnRule()
    {
        var file = File.ReadAllText(Path.Combine(Library.Directory, "induction-examples.md"));
        Assert.Contains("data_generation/data_generation.py", file);
        Assert.DoesNotContain("THESE TWO EXAMPLES ARE OURS", file);
        var examples = InductionExamples.Parse(Library.Get(InductionExamples.PromptName).Template);
        Assert.Equal(2, examples.Count);
        foreach (var example in examples)
        {
            var answer = InferredPersona.Parse(example.Answer);
            // Conservative and in the persona's own sentences: each extracted phrase is the persona's words, in order, some left out.
            foreach (var (extracted, source) in new[] { (answer.Profile, example.Persona.Profile), (answer.Personality, example.Persona.Personality) })
                foreach (var phrase in Sentences(extracted))
                    Assert.True(IsSubsequence(Words(phrase), Words(source)), $"'{phrase}' is not in the persona's own words");
        }
        Assert.Null(InferredPersona.Parse(examples[0].Answer).Personality);
    }

    static List<string> Words(string text) => Ungendered(text).Split([' ', '.', ','], StringSplitOptions.RemoveEmptyEntries).ToList();

    static bool IsSubsequence(List<string> part, List<string> whole)
    {
        var at = 0;
        foreach (var word in whole)
            if (at < part.Count && part[at] == word)
                at++;
        return at == part.Count;
    }

    static IEnumerable<string> Sentences(string? text) =>
        text is null ? [] : text.Split(['.', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // "He/She is" and "his/her" (the prompt's rule for an unclear gender) against the persona's "He is", "his".
    static string Ungendered(string text) => Gendered().Replace(text, m => m.Value.ToLowerInvariant() switch
    {
        "he/she" or "he" => "he", "his/her" or "his" => "his", _ => m.Value,
    }).ToLowerInvariant();

    [GeneratedRegex(@"\b(He/She|his/her|He|his)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Gendered();

    [Fact]
    public void TheVerifierPromptCitesTheAuthorsCodeNotAPaperSectionWithoutAVerifier()
    {
        var header = File.ReadAllText(Path.Combine(Library.Directory, "verifier.md"));
        Assert.DoesNotContain("section 2.1", header);
        Assert.Contains("determine_better_response", header);
    }

    [Theory]
    [InlineData("generator-profile")]
    [InlineData("generator-personality")]
    public void TheGeneratorPromptsKeepThePapersWording(string name) =>
        Assert.Contains("elicited from a daily and natural conversations", Library.Get(name).Template);

    [Fact]
    public void TheEvaluatedModelMayAnswerIn2048TokensAsInTheAuthorsEvaluation()
    {
        Assert.Equal(2048, LlmOptions.DefaultBinding(LlmRole.Evaluated).MaxTokens);
        var shipped = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(TestHost.RepositoryRoot(), "appsettings.json")))!;
        Assert.Equal(2048, shipped["Llm"]!["Roles"]!["Evaluated"]!["MaxTokens"]!.GetValue<int>());
        var source = File.ReadAllText(Path.Combine(TestHost.RepositoryRoot(), "src", "Aloe.Core", "Llm", "LlmOptions.cs"));
        Assert.DoesNotContain("The paper's generation settings", source);
    }
}
