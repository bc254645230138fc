namespace Aloe.Core.Conversations;

/// <summary>The two halves of a persona as the prompts use them (paper, section 2.1).</summary>
public sealed record PersonaText(string Profile, string Personality);

/// <summary>One completed round: the user's message and the assistant's reply that continued the conversation.</summary>
public sealed record Exchange(string User, string Assistant);

public static class Transcript
{
    /// <summary>The "A: ... / B: ..." form the induction and history-judge prompts expect (A is the user).</summary>
    public static string AsAB(IEnumerable<Exchange> history, string? pendingUserMessage = null)
    {
        var lines = history.SelectMany(e => new[] { "A: " + e.User, "B: " + e.Assistant }).ToList();
        if (pendingUserMessage is not null)
            lines.Add("A: " + pendingUserMessage);
        return string.Join("\n", lines);
    }
}
