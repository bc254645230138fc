using Aloe.Core.Conversations;
using Aloe.Core.Dialogues;
using Aloe.Core.Llm;
using Aloe.FakeOpenAI;
using Microsoft.Extensions.AI;

namespace Aloe.Testing.Dialogues;

/// <summary>A fixed list of personas, so construction tests need no pool.</summary>
public sealed class FixedPersonaSource(params DialoguePersona[] personas) : IDialoguePersonaSource
{
    public string Describe(PersonaSelection selection) => "fixed test personas";

    public Task<IReadOnlyList<DialoguePersona>> SelectAsync(PersonaSelection selection, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DialoguePersona>>(personas.Take(selection.Count ?? personas.Length).ToList());

    public Task<PersonaEstimate> EstimateAsync(PersonaSelection selection, CancellationToken cancellationToken) =>
        Task.FromResult(PersonaEstimate.Of(personas.Take(selection.Count ?? personas.Length).Select(p => p.Persona).ToList()));
}

public static class DialogueScripts
{
    public static readonly DialoguePersona Nurse = new("nurse", new PersonaText(
        "She is an ER nurse in Chicago who bakes sourdough bread.", "She is warm and uses humour to cope with stress."));
    public static readonly DialoguePersona Trader = new("trader", new PersonaText(
        "He builds trading systems in London and runs marathons.", "He is direct and impatient."));

    /// <summary>
    /// Replies that say where they come from: the role-play user numbers its messages (from the
    /// persona's key word and how many it already sent), answers quote the turn they answer.
    /// </summary>
    public static ScriptedLlmGateway ScriptTurns(this ScriptedLlmGateway llm, string verdict = "A")
    {
        llm.On(LlmRole.RolePlay, r => $"{Who(r)} message {r.Messages.Count(m => m.Role == ChatRole.Assistant) + 1} *smiles*");
        llm.On(LlmRole.Induction, _ => "Profile: ER nurse\nPersonalities: None");
        llm.On(LlmRole.Preferred, r => $"Preferred answer to [{LastUser(r).Split(" (Hint:")[0]}], with several words.");
        llm.On(LlmRole.Rejected, r => $"Rejected answer to [{LastUser(r)}], a whole sentence of words.");
        llm.On(LlmRole.Verifier, _ => verdict);
        return llm;
    }

    /// <summary>
    /// The fake OpenAI server answers every construction role (told apart by their prompts) with
    /// numbered, hence unique, replies: the gateway's cache never answers and every call is real.
    /// </summary>
    public static FakeOpenAIServer ServeTurns(this FakeOpenAIServer server)
    {
        var replies = 0;
        server.Reply = r =>
        {
            var last = r.Messages[^1].Content;
            if (last.Contains("Which response would this user prefer", StringComparison.Ordinal))
                return "A";
            if (last.Contains("Analyze a conversation", StringComparison.Ordinal))
                return "Profile: cooks dinner after late shifts\nPersonalities: None";
            var n = Interlocked.Increment(ref replies);
            return r.Messages[0].Content.Contains("play the role of a person", StringComparison.Ordinal)
                ? $"Back from a late shift again ({n}); what could I cook in ten minutes?"
                : $"Answer {n}: a noodle bowl with an egg takes ten minutes. What is in your fridge?";
        };
        return server;
    }

    static string Who(LlmRequest r) => r.Messages[0].Text.Contains("nurse") ? "nurse" : "trader";

    public static string LastUser(LlmRequest r) => r.Messages.Last(m => m.Role == ChatRole.User).Text;
}
