using Aloe.Core.Conversations;
using Aloe.Core.Prompts;

namespace Aloe.Core.Dialogues;

/// <summary>One worked example for the induction model: a conversation, the full persona, the expected answer.</summary>
public sealed record InductionExample(string Conversation, PersonaText Persona, string Answer);

/// <summary>Reads prompts/induction-examples.md ("## Example" sections with "### Conversation/Profile/Personalities/Answer" parts).</summary>
public static class InductionExamples
{
    public const string PromptName = "induction-examples";

    public static IReadOnlyList<InductionExample> Parse(string template)
    {
        var examples = new List<InductionExample>();
        foreach (var section in template.Replace("\r\n", "\n").Split("## Example", StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = section.Split("### ", StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('\n', 2))
                .Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
            if (parts.Count == 0)
                continue;
            string Part(string name) => parts.TryGetValue(name, out var value)
                ? value
                : throw new FormatException($"Prompt '{PromptName}': an example lacks its \"### {name}\" part.");
            examples.Add(new InductionExample(Part("Conversation"), new PersonaText(Part("Profile"), Part("Personalities")), Part("Answer")));
        }
        return examples;
    }
}
