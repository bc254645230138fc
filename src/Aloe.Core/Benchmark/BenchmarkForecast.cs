using Aloe.Core.Llm;
using Aloe.Core.Prompts;

namespace Aloe.Core.Benchmark;

/// <summary>
/// The cost of a benchmark run before it starts (the form, `aloe bench run --dry-run`, POST
/// /api/benchmark/forecast): C cases x K turns of role-play, evaluated-model and judge calls. Turn k's
/// role-play and evaluated calls carry the k - 1 exchanges before it (the history grows), the judge
/// the persona, message and response (and, in history mode, the exchanges before). Read-only: the
/// evaluation set is previewed, its missing personas are paired when a run starts.
/// </summary>
internal sealed class BenchmarkForecast(IBenchmarkCaseSource caseSource, ILlmGateway llm, PromptLibrary prompts, BenchmarkJudge judge, LlmCostForecaster forecaster)
{
    public async Task<CostForecast> ForecastAsync(BenchmarkRunRequest request, CancellationToken cancellationToken = default)
    {
        var set = await caseSource.PreviewEvaluationSetAsync(cancellationToken);
        var cases = set.Cases.Take(request.Cases ?? int.MaxValue).ToList();
        if (cases.Count == 0)
            throw new InvalidOperationException("The evaluation set has no cases.");
        var roles = BenchmarkService.RolesFor(llm, request);
        var (rolePlay, evaluated, judgeBinding) = (roles[LlmRole.RolePlay], roles[LlmRole.Evaluated], roles[LlmRole.Judge]);
        var u = await forecaster.ExpectedOutputAsync(LlmRole.RolePlay, rolePlay, cancellationToken);
        var r = await forecaster.ExpectedOutputAsync(LlmRole.Evaluated, evaluated, cancellationToken);
        var j = await forecaster.ExpectedOutputAsync(LlmRole.Judge, judgeBinding, cancellationToken);
        var k = request.Turns;
        // Sum over turns of the k - 1 earlier exchanges: K(K-1)/2 exchanges of (u + r) tokens.
        var history = (long)k * (k - 1) / 2 * (u + r);

        long rolePlayIn = 0, judgeIn = 0;
        foreach (var c in cases)
        {
            var persona = new Dictionary<string, string> { ["UserProfile"] = c.Persona.Profile, ["UserPersonalities"] = c.Persona.Personality };
            rolePlayIn += k * LlmCostForecaster.Tokens(prompts.Get(PromptNames.RolePlay).Render(persona)) + history;
            var judged = new Dictionary<string, string>(persona) { ["UserMessage"] = "", ["ModelResponse"] = "" };
            if (request.JudgeMode == JudgeMode.History)
                judged["ConversationHistory"] = "";
            judgeIn += k * (LlmCostForecaster.Tokens(judge.PromptFor(request.JudgeMode).Render(judged)) + u + r)
                + (request.JudgeMode == JudgeMode.History ? history : 0);
        }
        var calls = cases.Count * k;
        return forecaster.Forecast(
        [
            new RoleWorkload(LlmRole.RolePlay, rolePlay, calls, rolePlayIn, (long)calls * u),
            new RoleWorkload(LlmRole.Evaluated, evaluated, calls, cases.Count * (history + (long)k * u), (long)calls * r),
            new RoleWorkload(LlmRole.Judge, judgeBinding, calls, judgeIn, (long)calls * j),
        ], $"{cases.Count} cases x {k} turns; output sizes from the call log's means or the roles' max tokens; retries not included");
    }
}
