using Aloe.Core.Conversations;
using Aloe.Core.Llm;
using Aloe.Core.Prompts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Aloe.Core.Benchmark;

/// <summary>What the judge said about one response: a score, or the reason there is none, with the raw output.</summary>
public sealed record JudgeVerdict(int? Score, string RawOutput, int Attempts, string? Error);

/// <summary>The Judge role with the Appendix B.3 prompt (or its history variant); unparsable answers are retried.</summary>
internal sealed class BenchmarkJudge(ILlmGateway llm, PromptLibrary prompts, IOptions<BenchmarkOptions> options)
{
    public Prompt PromptFor(JudgeMode mode) => prompts.Get(mode == JudgeMode.History ? PromptNames.JudgeWithHistory : PromptNames.Judge);

    public async Task<JudgeVerdict> ScoreAsync(PersonaText persona, IReadOnlyList<Exchange> earlier, string userMessage, string response,
        JudgeMode mode, LlmCallOptions call, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>
        {
            ["UserProfile"] = persona.Profile,
            ["UserPersonalities"] = persona.Personality,
            ["UserMessage"] = userMessage,
            ["ModelResponse"] = response,
        };
        if (mode == JudgeMode.History)
            values["ConversationHistory"] = earlier.Count == 0 ? "(nothing yet: this is the user's first message)" : Transcript.AsAB(earlier);
        var prompt = PromptFor(mode).Render(values);

        var raw = "";
        string? error = null;
        var attempts = options.Value.Attempts;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                // A retry asks again as a new sample, so the gateway's cache cannot return the same garbled answer.
                var request = new LlmRequest(LlmRole.Judge, [new ChatMessage(ChatRole.User, prompt)])
                {
                    RunId = call.RunId,
                    SampleIndex = call.SampleIndex + attempt,
                    Binding = call.Binding,
                    Seed = call.Seed,
                };
                var reply = await llm.CompleteAsync(request, cancellationToken);
                raw = reply.Text;
                if (JudgeScoreParser.TryParse(raw, out var score))
                    return new JudgeVerdict(score, raw, attempt + 1, null);
                error = "The judge's answer is not an integer from 1 to 5.";
                // Retrying failed scores or re-judging later must ask again, not replay this answer.
                await llm.DiscardAsync(request, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                error = e.Message;
            }
        }
        return new JudgeVerdict(null, raw, attempts, $"No score after {attempts} tries: {error}");
    }
}
