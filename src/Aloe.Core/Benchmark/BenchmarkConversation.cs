using Aloe.Core.Conversations;
using Aloe.Core.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Aloe.Core.Benchmark;

/// <summary>
/// One benchmark turn's two generations (section 3): the simulated user speaks (Appendix B.2.1,
/// shared with the dialogues), then the evaluated model answers from the whole conversation so
/// far with no system prompt, the messages alternating user / assistant.
/// </summary>
internal sealed class BenchmarkConversation(ILlmGateway llm, RolePlayUser rolePlay, IOptions<BenchmarkOptions> options)
{
    public Task<string> UserMessageAsync(PersonaText persona, IReadOnlyList<Exchange> history, RoleBinding? binding, long? runId, CancellationToken cancellationToken) =>
        WithRetriesAsync("role-play", attempt => rolePlay.NextMessageAsync(persona, history, new LlmCallOptions(runId, attempt, binding), cancellationToken), cancellationToken);

    public Task<string> ResponseAsync(IReadOnlyList<Exchange> history, string userMessage, RoleBinding? binding, long? runId, CancellationToken cancellationToken) =>
        WithRetriesAsync("evaluated model", async attempt =>
        {
            var messages = history
                .SelectMany(e => new[] { new ChatMessage(ChatRole.User, e.User), new ChatMessage(ChatRole.Assistant, e.Assistant) })
                .Append(new ChatMessage(ChatRole.User, userMessage))
                .ToList();
            var reply = await llm.CompleteAsync(new LlmRequest(LlmRole.Evaluated, messages) { RunId = runId, SampleIndex = attempt, Binding = binding }, cancellationToken);
            var text = reply.Text.Trim();
            return text.Length > 0 ? text : throw new LlmOutputException("The evaluated model returned an empty response.");
        }, cancellationToken);

    async Task<string> WithRetriesAsync(string what, Func<int, Task<string>> call, CancellationToken cancellationToken)
    {
        var attempts = options.Value.Attempts;
        Exception? last = null;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await call(attempt);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                last = e;
            }
        }
        throw new BenchmarkCallFailedException($"The {what} failed {attempts} times: {last?.Message}", last);
    }
}

/// <summary>A generation kept failing: the case stops at this turn (the run goes on).</summary>
internal sealed class BenchmarkCallFailedException(string message, Exception? inner) : Exception(message, inner);
