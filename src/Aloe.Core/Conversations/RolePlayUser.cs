using System.Text.RegularExpressions;
using Aloe.Core.Llm;
using Aloe.Core.Prompts;
using Microsoft.Extensions.AI;

namespace Aloe.Core.Conversations;

/// <summary>
/// The simulated user of ALOE (Appendix B.2.1), shared by preference-dialogue construction and
/// the benchmark. The role-play model sees the prompt, then its own earlier messages as
/// assistant turns and the chatbot's replies as user turns, so it always speaks as the human.
/// </summary>
public sealed partial class RolePlayUser(ILlmGateway llm, PromptLibrary prompts)
{
    public Prompt Prompt => prompts.Get(PromptNames.RolePlay);

    /// <param name="replyInstruction">
    /// Put on a new line after each chatbot reply the role-play model reads (dialogue construction
    /// asks for short messages this way, as the authors' data_generation.py does; their benchmark does not).
    /// </param>
    public async Task<string> NextMessageAsync(PersonaText persona, IReadOnlyList<Exchange> history, LlmCallOptions options, CancellationToken cancellationToken,
        string? replyInstruction = null)
    {
        var messages = new List<ChatMessage>
        {
            new(ChatRole.User, Prompt.Render(new Dictionary<string, string>
            {
                ["UserProfile"] = persona.Profile,
                ["UserPersonalities"] = persona.Personality,
            })),
        };
        foreach (var exchange in history)
        {
            messages.Add(new ChatMessage(ChatRole.Assistant, exchange.User));
            messages.Add(new ChatMessage(ChatRole.User, replyInstruction is null ? exchange.Assistant : exchange.Assistant + "\n" + replyInstruction));
        }
        var response = await llm.CompleteAsync(new LlmRequest(LlmRole.RolePlay, messages)
        {
            RunId = options.RunId,
            SampleIndex = options.SampleIndex,
            Seed = options.Seed,
            Binding = options.Binding,
        }, cancellationToken);
        var text = Clean(response.Text);
        if (text.Length == 0)
            throw new LlmOutputException($"The role-play model returned no message (raw: \"{Truncate(response.Text)}\").");
        return text;
    }

    /// <summary>Removes stage directions between asterisks (as the authors' code does) and tidies white space.</summary>
    public static string Clean(string text)
    {
        text = Asterisks().Replace(text, " ");
        text = Spaces().Replace(text, " ");
        return text.Replace(" \n", "\n").Trim().Trim('"').Trim();
    }

    static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";

    [GeneratedRegex(@"\*[^*]*\*")]
    private static partial Regex Asterisks();

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex Spaces();
}
