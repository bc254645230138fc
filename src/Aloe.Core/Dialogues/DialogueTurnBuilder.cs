using System.Text.RegularExpressions;
using Aloe.Core.Conversations;
using Aloe.Core.Llm;
using Aloe.Core.Prompts;
using Microsoft.Extensions.AI;

namespace Aloe.Core.Dialogues;

/// <summary>What one turn of construction produced (paper, section 2.1 and Figure 3).</summary>
public sealed record TurnOutcome(
    string UserMessage, InferredPersona Inferred, string Preferred, string Rejected,
    bool Verified, bool Swapped, Branch Chosen);

/// <summary>A step still failed after <see cref="DialogueTurnBuilder.MaxAttempts"/> tries: the dialogue is marked failed with this reason.</summary>
public sealed class DialogueStepException(string step, string reason) : Exception($"{step}: {reason}")
{
    public string Step { get; } = step;
}

/// <summary>
/// One turn of preference-dialogue construction: the role-play user writes m_i, the induction
/// model extracts the persona revealed so far, the preferred (with that hint) and rejected
/// (without) responders answer at the same time, the verifier optionally checks the pair, and a
/// seeded coin picks the answer that continues.
/// </summary>
public sealed partial class DialogueTurnBuilder(ILlmGateway llm, PromptLibrary prompts, RolePlayUser rolePlay)
{
    /// <summary>Tries per call, as in the authors' code.</summary>
    public const int MaxAttempts = 3;

    /// <summary>The prompts a run uses, by name, for its provenance record.</summary>
    public IReadOnlyDictionary<string, string> PromptHashes() => new[]
    {
        PromptNames.RolePlay, PromptNames.RolePlayLength, PromptNames.Induction, InductionExamples.PromptName,
        PromptNames.Preferred, PromptNames.Rejected, PromptNames.AnswerLength, PromptNames.Verifier,
    }.ToDictionary(n => n, n => prompts.Get(n).Hash);

    public async Task<TurnOutcome> NextTurnAsync(PersonaText persona, IReadOnlyList<Exchange> history, bool verify, Random random, long? runId, CancellationToken cancellationToken)
    {
        // Draw both coins first, so retries never shift the seeded sequence.
        var preferredShownFirst = random.Next(2) == 0;
        var continueWithPreferred = random.Next(2) == 0;

        var message = await WithRetries("Role-play", attempt =>
            rolePlay.NextMessageAsync(persona, history, new LlmCallOptions(runId, attempt), cancellationToken,
                replyInstruction: prompts.Get(PromptNames.RolePlayLength).Template), cancellationToken);

        var inferred = await WithRetries("Induction", async attempt =>
            InferredPersona.Parse(await CompleteAsync(LlmRole.Induction, InductionMessages(persona, history, message), runId, attempt, cancellationToken)),
            cancellationToken);

        var (preferredPrompt, rejectedPrompt) = AnswerPrompts(message, inferred);
        var preferredTask = WithRetries("Preferred", attempt => CompleteAsync(LlmRole.Preferred, AnswerMessages(history, preferredPrompt), runId, attempt, cancellationToken), cancellationToken);
        var rejectedTask = WithRetries("Rejected", attempt => CompleteAsync(LlmRole.Rejected, AnswerMessages(history, rejectedPrompt), runId, attempt, cancellationToken), cancellationToken);
        var preferred = await preferredTask;
        var rejected = await rejectedTask;

        var swapped = false;
        if (verify)
        {
            var (a, b) = preferredShownFirst ? (preferred, rejected) : (rejected, preferred);
            var verdict = await WithRetries("Verifier", async attempt => ParseVerdict(await CompleteAsync(LlmRole.Verifier,
                [new ChatMessage(ChatRole.User, prompts.Get(PromptNames.Verifier).Render(new Dictionary<string, string>
                {
                    ["UserProfile"] = persona.Profile,
                    ["UserPersonalities"] = persona.Personality,
                    ["UserMessage"] = message,
                    ["ResponseA"] = a,
                    ["ResponseB"] = b,
                }))], runId, attempt, cancellationToken)), cancellationToken);
            var pickedPreferred = (verdict == 'A') == preferredShownFirst;
            if (!pickedPreferred)
            {
                (preferred, rejected) = (rejected, preferred);
                swapped = true;
            }
        }

        return new TurnOutcome(message, inferred, preferred, rejected, verify, swapped,
            continueWithPreferred ? Branch.Preferred : Branch.Rejected);
    }

    /// <summary>
    /// The last user message of each responder: the same length instruction for both (as in the
    /// authors' code), so that a pair differs in personalisation, not in length.
    /// </summary>
    internal (string Preferred, string Rejected) AnswerPrompts(string message, InferredPersona inferred)
    {
        var length = prompts.Get(PromptNames.AnswerLength).Template;
        return (
            prompts.Get(PromptNames.Preferred).Render(new Dictionary<string, string>
            {
                ["UserMessage"] = message,
                ["InferredPersona"] = inferred.AsHint(),
                ["AnswerLength"] = length,
            }),
            prompts.Get(PromptNames.Rejected).Render(new Dictionary<string, string>
            {
                ["UserMessage"] = message,
                ["AnswerLength"] = length,
            }));
    }

    /// <summary>The two worked examples as earlier user/assistant turns, then the real request.</summary>
    internal List<ChatMessage> InductionMessages(PersonaText persona, IReadOnlyList<Exchange> history, string message)
    {
        var prompt = prompts.Get(PromptNames.Induction);
        var messages = new List<ChatMessage>();
        foreach (var example in InductionExamples.Parse(prompts.Get(InductionExamples.PromptName).Template))
        {
            messages.Add(new ChatMessage(ChatRole.User, RenderInduction(prompt, example.Conversation, example.Persona)));
            messages.Add(new ChatMessage(ChatRole.Assistant, example.Answer));
        }
        messages.Add(new ChatMessage(ChatRole.User, RenderInduction(prompt, Transcript.AsAB(history, message), persona)));
        return messages;
    }

    static string RenderInduction(Prompt prompt, string conversation, PersonaText persona) => prompt.Render(new Dictionary<string, string>
    {
        ["ConversationHistory"] = conversation,
        ["UserProfile"] = persona.Profile,
        ["UserPersonalities"] = persona.Personality,
    });

    /// <summary>The conversation so far as chat turns (the answers that continued it), then the prompt for m_i.</summary>
    static List<ChatMessage> AnswerMessages(IReadOnlyList<Exchange> history, string last)
    {
        var messages = new List<ChatMessage>();
        foreach (var exchange in history)
        {
            messages.Add(new ChatMessage(ChatRole.User, exchange.User));
            messages.Add(new ChatMessage(ChatRole.Assistant, exchange.Assistant));
        }
        messages.Add(new ChatMessage(ChatRole.User, last));
        return messages;
    }

    async Task<string> CompleteAsync(LlmRole role, IReadOnlyList<ChatMessage> messages, long? runId, int attempt, CancellationToken cancellationToken)
    {
        // A retry asks with another sample index, so the gateway's cache cannot hand back the same garbled answer.
        var response = await llm.CompleteAsync(new LlmRequest(role, messages) { RunId = runId, SampleIndex = attempt }, cancellationToken);
        var text = response.Text.Trim();
        if (text.Length == 0)
            throw new LlmOutputException($"The {role} model returned an empty answer.");
        return text;
    }

    static async Task<T> WithRetries<T>(string step, Func<int, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call(attempt);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not DialogueStepException)
            {
                if (attempt + 1 >= MaxAttempts)
                    throw new DialogueStepException(step, $"{ex.Message} (failed {MaxAttempts} times)");
            }
        }
    }

    /// <summary>Reads the verifier's "A" or "B", tolerating emphasis, punctuation and "Response A".</summary>
    internal static char ParseVerdict(string text)
    {
        var named = NamedResponse().Matches(text).Select(m => char.ToUpperInvariant(m.Groups[1].Value[0])).Distinct().ToList();
        if (named.Count > 1)
            throw Garbled(text);
        var bare = text.Trim().Trim('*', '"', '\'', '.', '(', ')', '[', ']', ' ', '`');
        if (bare is "A" or "a") return 'A';
        if (bare is "B" or "b") return 'B';
        var leading = LeadingLetter().Match(bare);
        if (leading.Success)
            return leading.Groups[1].Value[0];
        if (named.Count == 1)
            return named[0];
        throw Garbled(text);
    }

    static LlmOutputException Garbled(string text) =>
        new($"The verifier answered neither A nor B (raw: \"{(text.Length <= 200 ? text : text[..200] + "…")}\").");

    [GeneratedRegex(@"^(?:(?i:Response|Answer:)\s*)?([AB])(?:$|[\s.,:;)!])")]
    private static partial Regex LeadingLetter();

    [GeneratedRegex(@"\bResponse\s+([AB])\b", RegexOptions.IgnoreCase)]
    private static partial Regex NamedResponse();
}
