using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Aloe.Core.Llm.Simulated;

/// <summary>
/// The Simulated provider: recognises which ALOE prompt it was sent (prompts/*.md) and answers
/// it from the message text alone, deterministically for a given seed and request. Plain
/// conversations are answered by model: names containing "adaptive" use what the user revealed
/// earlier; others (sim-generic) answer generically. Pure string work, no delays.
/// </summary>
internal sealed class SimulatedChatClient(int seed) : IChatClient
{
    /// <summary>The models the simulator answers to; any other name is an error, never a silent stand-in for a real model.</summary>
    public static readonly IReadOnlyList<string> Models = ["sim-writer", "sim-persona", "sim-generic", "sim-adaptive"];

    public static bool IsModel(string? model) => model is null || Models.Contains(model, StringComparer.OrdinalIgnoreCase);

    public static string UnknownModel(string model) =>
        $"The simulated endpoint has no model '{model}' (it answers to {string.Join(", ", Models)}); choose one of them, or an endpoint that serves '{model}'.";

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var model = options?.ModelId ?? "sim-generic";
        if (!IsModel(model))
            throw new ArgumentException(UnknownModel(model));
        var text = Reply(list, model, options?.Seed ?? 0);
        var input = list.Sum(m => m.Text.Length + 4) / 4;
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = model,
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = (text.Length + 3) / 4, TotalTokenCount = input + (text.Length + 3) / 4 },
        });
    }

    internal string Reply(IReadOnlyList<ChatMessage> messages, string model, long sample)
    {
        // A length instruction on its own last line ("(... within 3 sentences.)") is for a real model, not content.
        messages = [.. messages.Select(m => new ChatMessage(m.Role, WithoutTrailingInstruction(m.Text)))];
        var first = messages.Count > 0 ? messages[0].Text : "";
        var last = messages.Count > 0 ? messages[^1].Text : "";
        var random = SimRandom.From(seed, sample, model, string.Join("\u0001", messages.Select(m => m.Role.Value + ":" + m.Text)));

        if (first.Contains("generate 20 different user profiles", StringComparison.Ordinal))
            return SimGenerator.Profiles(Examples(first), random);
        if (first.Contains("generate 20 different descriptions of a user's personality", StringComparison.Ordinal))
            return SimGenerator.Personalities(Examples(first), random);
        if (first.StartsWith("Your task is to play the role of a person", StringComparison.Ordinal))
            return RolePlay(messages, first, random);
        // Induction may come with worked examples as earlier turns: the request to answer is the last message.
        if (last.Contains("Analyze a conversation", StringComparison.Ordinal) && last.Contains("Review the user's profile", StringComparison.Ordinal))
            return Induction(last);
        if (first.Contains("Response A: ", StringComparison.Ordinal) && first.Contains("Which response would this user prefer", StringComparison.Ordinal))
            return SimRoles.Verify(SimText.After(first, "Here is the user's profile: "), SimText.After(first, "Here is the user's personalities: "),
                SimText.After(first, "Response A: ", "\nResponse B: "), SimText.After(first, "Response B: ", "\nWhich response would this user prefer"), random);
        if (first.Contains("how much the response is tailored", StringComparison.Ordinal))
            return SimRoles.Judge(SimText.After(first, "Here is the user's profile: "), SimText.After(first, "Here is the user's personalities: "),
                SimText.After(first, "Here is the model's response: ", "\nYou should follow the following criteria"), random);
        if (last.Contains(HintMarker, StringComparison.Ordinal))
            return Preferred(last, random);
        return Chat(messages, model, random);
    }

    static string WithoutTrailingInstruction(string text)
    {
        var at = text.LastIndexOf('\n');
        var last = at < 0 ? "" : text[(at + 1)..].Trim();
        return last.StartsWith('(') && last.EndsWith(')') ? text[..at].TrimEnd() : text;
    }

    const string HintMarker = " (Hint: Below is the known user profile and personalities based on the conversation history: ";

    /// <summary>The generator prompts list their examples, one per line, between these two sentences.</summary>
    static List<string> Examples(string prompt) =>
        SimText.After(prompt, "Here are some examples:\n", "\nYou should only output")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    string RolePlay(IReadOnlyList<ChatMessage> messages, string prompt, SimRandom random)
    {
        var profile = SimText.After(prompt, "\nProfile: ");
        var personality = SimText.After(prompt, "\nPersonalities: ");
        // The role-play model sees its own earlier messages as assistant turns and the chatbot's replies as user turns.
        var turn = messages.Count(m => m.Role == ChatRole.Assistant);
        var replies = messages.Skip(1).Where(m => m.Role == ChatRole.User).Select(m => m.Text).ToList();
        return SimRoles.RolePlay(profile, personality, replies, turn, SimRandom.From(seed, "persona", profile, personality), random);
    }

    static string Induction(string prompt)
    {
        var history = SimText.After(prompt, "revealed in the conversation:\n", "\nReview the user's profile");
        var userLines = string.Join("\n", history.Split('\n').Where(l => l.StartsWith("A: ", StringComparison.Ordinal)).Select(l => l[3..]));
        var persona = SimText.After(prompt, "Review the user's profile and personality descriptions below.", "\nFocus specifically");
        return SimRoles.Induction(userLines, SimText.After(persona, "Profile: "), SimText.After(persona, "Personalities: "));
    }

    static string Preferred(string last, SimRandom random)
    {
        var userMessage = last[..last.IndexOf(HintMarker, StringComparison.Ordinal)];
        var persona = SimText.After(last, HintMarker, ". You should implicitly infer");
        var profile = SimText.After(persona, "Profile: ", "Personalities:").TrimEnd('.', ' ');
        var personality = SimText.After(persona, "Personalities: ", "\u0000");
        var known = random.Shuffle(SimRoles.StatementsFromPersona(profile)).Take(2).ToList();
        return SimRoles.Respond(userMessage, known, SimStyles.OfPersonality(personality), random);
    }

    static string Chat(IReadOnlyList<ChatMessage> messages, string model, SimRandom random)
    {
        var userMessages = messages.Where(m => m.Role == ChatRole.User).Select(m => m.Text).ToList();
        var current = userMessages.Count > 0 ? userMessages[^1] : "";
        if (!model.Contains("adaptive", StringComparison.OrdinalIgnoreCase))
            return SimRoles.Respond(current, [], null, random);
        // sim-adaptive: the more the user has told it, the more it uses (and, from turn 3, their style).
        var turn = userMessages.Count;
        var known = SimRoles.StatementsAbout(userMessages.Take(userMessages.Count - 1));
        var used = random.Shuffle(known).Take(Math.Min(3, turn / 2)).ToList();
        var style = turn >= 3 ? SimStyles.OfMessages(string.Join("\n", userMessages)) : null;
        return SimRoles.Respond(current, used, style, random);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
            yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}
