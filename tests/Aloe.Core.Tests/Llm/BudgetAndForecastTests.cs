using Aloe.Core.Benchmark;
using Aloe.Core.Dialogues;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.Core.Tests.Benchmark;
using Aloe.FakeOpenAI;
using Aloe.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Core.Tests.Llm;

/// <summary>Cost before a run (forecast) and during it (an optional cap that stops it cleanly and lets it resume).</summary>
public sealed class BudgetAndForecastTests
{
    /// <summary>A benchmark whose three roles run on the fake server at $1 per input token and $1 per output token.</summary>
    static async Task<(TestHost Host, FakeOpenAIServer Server)> PricedBenchmarkAsync()
    {
        var server = await FakeOpenAIServer.StartAsync();
        server.Reply = r => r.Messages[^1].Content.Contains("how much the response is tailored") ? "4" : "Echo: " + r.Messages[^1].Content[..Math.Min(20, r.Messages[^1].Content.Length)];
        var host = await TestHost.StartAsync(b =>
        {
            b.Configuration["Benchmark:Concurrency"] = "1";
            b.AddBenchmark();
            b.Services.AddSingleton<IBenchmarkCaseSource>(new FixedCaseSource("ann", "bob"));
            b.Configuration["Llm:Endpoints:fake:Type"] = "openai";
            b.Configuration["Llm:Endpoints:fake:BaseUrl"] = server.BaseUrl.ToString();
            b.Configuration["Llm:Endpoints:fake:Prices:paid:InputPerMillion"] = "1000000";
            b.Configuration["Llm:Endpoints:fake:Prices:paid:OutputPerMillion"] = "1000000";
            foreach (var role in new[] { "RolePlay", "Evaluated", "Judge" })
            {
                b.Configuration[$"Llm:Roles:{role}:Endpoint"] = "fake";
                b.Configuration[$"Llm:Roles:{role}:Model"] = "paid";
            }
            b.AddLlm();
        });
        return (host, server);
    }

    [Fact]
    public async Task ARunStopsCleanlyAtItsBudgetSaysSoAndResumesAfterTheCapIsRaised()
    {
        var (host, server) = await PricedBenchmarkAsync();
        await using var _ = server;
        await using var __ = host;
        var run = await host.Get<BenchmarkService>().StartRunAsync(new BenchmarkRunRequest { EvaluatedModel = "paid", EvaluatedEndpoint = "fake", Turns = 3, Seed = 1, BudgetUsd = 500 });
        var jobId = run.JobRunId!.Value;

        await host.Get<JobRunner>().ExecuteAsync(jobId, CancellationToken.None);

        var stopped = (await host.Get<JobService>().GetAsync(jobId))!;
        Assert.Equal(JobStatus.Failed, stopped.Status);
        Assert.Contains("Stopped at the budget cap", stopped.Error);
        var budgets = host.Get<LlmBudgetService>();
        var status = await budgets.GetAsync(jobId);
        Assert.True(status.Reached);
        // Every call that had started when the cap was reached is counted; none starts after it.
        var callsAtCap = server.RequestCount;
        await using (var db = host.Db())
            Assert.InRange(await db.Set<BenchmarkTurn>().CountAsync(), 0, 5);

        await budgets.SetAsync(jobId, 1_000_000);
        Assert.True(await host.Get<JobService>().RetryAsync(jobId));
        await host.Get<JobRunner>().ExecuteAsync(jobId, CancellationToken.None);

        Assert.Equal(JobStatus.Succeeded, (await host.Get<JobService>().GetAsync(jobId))!.Status);
        Assert.True(server.RequestCount > callsAtCap);
        await using var check = host.Db();
        Assert.Equal(6, await check.Set<BenchmarkTurn>().CountAsync());
        Assert.Equal(6, await check.Set<BenchmarkScore>().CountAsync(s => s.Score == 4));
    }

    [Fact]
    public async Task AReJudgingStopsAtItsOwnBudgetAndResumesAfterTheCapIsRaised()
    {
        var (host, server) = await PricedBenchmarkAsync();
        await using var _ = server;
        await using var __ = host;
        var run = await host.Get<BenchmarkService>().StartRunAsync(new BenchmarkRunRequest { EvaluatedModel = "paid", EvaluatedEndpoint = "fake", Turns = 3, Seed = 2 });
        await host.Get<JobRunner>().ExecuteAsync(run.JobRunId!.Value, CancellationToken.None);

        // History mode: new judge prompts, so the calls go upstream (the run's own would replay from the cache).
        var scoring = await host.Get<BenchmarkService>().RejudgeAsync(run.Id, JudgeMode.History, budgetUsd: 300);
        var jobId = scoring.JobRunId!.Value;
        await host.Get<JobRunner>().ExecuteAsync(jobId, CancellationToken.None);

        var stopped = (await host.Get<JobService>().GetAsync(jobId))!;
        Assert.Equal(JobStatus.Failed, stopped.Status);
        Assert.Contains("Stopped at the budget cap", stopped.Error);
        await using (var db = host.Db())
            Assert.InRange(await db.Set<BenchmarkScore>().CountAsync(s => s.ScoringId == scoring.Id), 0, 5);

        await host.Get<LlmBudgetService>().SetAsync(jobId, 1_000_000);
        Assert.True(await host.Get<JobService>().RetryAsync(jobId));
        await host.Get<JobRunner>().ExecuteAsync(jobId, CancellationToken.None);

        Assert.Equal(JobStatus.Succeeded, (await host.Get<JobService>().GetAsync(jobId))!.Status);
        await using var check = host.Db();
        Assert.Equal(6, await check.Set<BenchmarkScore>().CountAsync(s => s.ScoringId == scoring.Id));
    }

    [Fact]
    public async Task TheForecastCountsCallsAndTokensFromThePromptsAndTheRunsShapeAndPricesThem()
    {
        var (host, server) = await PricedBenchmarkAsync();
        await using var _ = server;
        await using var __ = host;

        var forecast = await host.Get<BenchmarkForecast>().ForecastAsync(new BenchmarkRunRequest { EvaluatedModel = "paid", EvaluatedEndpoint = "fake", Turns = 3 });

        Assert.Equal(0, server.RequestCount);
        Assert.Equal([LlmRole.RolePlay, LlmRole.Evaluated, LlmRole.Judge], forecast.Roles.Select(r => r.Role));
        Assert.All(forecast.Roles, r => Assert.Equal(6, r.Calls));
        Assert.True(forecast.FullyPriced);
        // No history yet: outputs are the roles' max tokens (300), an upper bound.
        Assert.Equal(6 * 300, forecast.Roles.Single(r => r.Role == LlmRole.Judge).OutputTokens);
        // The evaluated model sees the history grow: 3 turns = 0 + 1 + 2 earlier exchanges of 2,348 tokens
        // (the role-play user's 300 and the evaluated model's 2,048 at most), plus the message.
        Assert.Equal(2 * (3 * (300 + 2048) + 3 * 300), forecast.Roles.Single(r => r.Role == LlmRole.Evaluated).InputTokens);
        Assert.Equal(forecast.InputTokens + forecast.OutputTokens, forecast.Cost, 6);

        // After a run, output sizes come from the call log: the forecast falls to what the model really writes.
        var run = await host.Get<BenchmarkService>().StartRunAsync(new BenchmarkRunRequest { EvaluatedModel = "paid", EvaluatedEndpoint = "fake", Turns = 3, Seed = 3 });
        await host.Get<JobRunner>().ExecuteAsync(run.JobRunId!.Value, CancellationToken.None);
        await host.Get<LlmGateway>().FlushAsync();
        var informed = await host.Get<BenchmarkForecast>().ForecastAsync(new BenchmarkRunRequest { EvaluatedModel = "paid", EvaluatedEndpoint = "fake", Turns = 3 });
        Assert.Equal(6, informed.Roles.Single(r => r.Role == LlmRole.Judge).OutputTokens);
        Assert.True(informed.Cost < forecast.Cost);
    }

    [Fact]
    public async Task ADialogueBuildIsForecastWithAVerifierCallOnlyWhenVerifying()
    {
        await using var host = await TestHost.StartAsync(b => { b.AddLlm(); Aloe.Core.Personas.PersonasExtensions.AddPersonas(b); Aloe.Core.Dialogues.DialoguesExtensions.AddDialogues(b); });
        await host.Get<Aloe.Core.Personas.SeedPools>().EnsureLoadedAsync();

        var verified = await host.Get<Aloe.Core.Dialogues.DialogueForecast>().ForecastAsync(new Aloe.Core.Dialogues.BuildRequest(new Aloe.Core.Dialogues.PersonaSelection(Count: 4), MaxTurns: 5));
        var unverified = await host.Get<Aloe.Core.Dialogues.DialogueForecast>().ForecastAsync(new Aloe.Core.Dialogues.BuildRequest(new Aloe.Core.Dialogues.PersonaSelection(Count: 4), MaxTurns: 5, Verify: false));

        Assert.Equal([LlmRole.RolePlay, LlmRole.Induction, LlmRole.Preferred, LlmRole.Rejected, LlmRole.Verifier], verified.Roles.Select(r => r.Role));
        Assert.All(verified.Roles, r => Assert.Equal(20, r.Calls));
        Assert.Equal(80, unverified.Calls);
        // Simulated roles are free, and counted as priced.
        Assert.Equal((0.0, true), (verified.Cost, verified.FullyPriced));
        Assert.True(verified.Roles.Single(r => r.Role == LlmRole.Preferred).InputTokens > 20 * 300);
    }

    [Fact]
    public async Task ForecastsOnAFreshInstallPairNoPersonasAndCountThePersonasTheRunWouldPair()
    {
        await using var host = await TestHost.StartAsync(b => { b.AddLlm(); b.AddPersonas(); b.AddDialogues(); b.AddBenchmark(); });
        await host.Get<SeedPools>().EnsureLoadedAsync();
        async Task<(int Personas, int Items, int Audit)> RowsAsync()
        {
            await using var db = host.Db();
            return (await db.Set<Persona>().CountAsync(), await db.Set<PoolItem>().CountAsync(), await db.Set<Aloe.Core.Audit.AuditEntry>().CountAsync());
        }
        var before = await RowsAsync();
        var dialogues = host.Get<DialogueForecast>();
        var benchmark = host.Get<BenchmarkForecast>();

        // 2 personas x 3 turns x (role-play, induction, preferred, rejected, verifier).
        Assert.Equal(30, (await dialogues.ForecastAsync(new BuildRequest(new PersonaSelection(Count: 2), MaxTurns: 3))).Calls);
        Assert.Equal(30, (await dialogues.ForecastAsync(new BuildRequest(new PersonaSelection(Count: 2, Pairing: PairingScheme.PerProfile), MaxTurns: 3))).Calls);
        // Bounded by what pairing could make: 20 x 20 seed pairs (grid), 20 profiles x 10 uses (per profile); 4 calls a persona unverified.
        Assert.Equal(400 * 4, (await dialogues.ForecastAsync(new BuildRequest(new PersonaSelection(Count: 1000), MaxTurns: 1, Verify: false))).Calls);
        Assert.Equal(200 * 4, (await dialogues.ForecastAsync(new BuildRequest(new PersonaSelection(Count: 1000, Pairing: PairingScheme.PerProfile), MaxTurns: 1, Verify: false))).Calls);
        // 2 cases x 2 turns x (role-play, evaluated, judge).
        var request = new BenchmarkRunRequest { EvaluatedModel = "sim-adaptive", Cases = 2, Turns = 2 };
        var forecast = await benchmark.ForecastAsync(request);
        Assert.Equal(12, forecast.Calls);
        var preview = await host.Get<IBenchmarkCaseSource>().PreviewEvaluationSetAsync(CancellationToken.None);

        Assert.Equal(before, await RowsAsync());
        Assert.Equal(0, before.Personas);
        // The run's own set pairs its 100 personas, the same cases the preview showed, and forecasts the same.
        var set = await host.Get<IBenchmarkCaseSource>().GetEvaluationSetAsync(CancellationToken.None);
        Assert.Equal(100, (await RowsAsync()).Personas);
        Assert.Equal(preview.Name, set.Name);
        Assert.Equal(preview.Cases, set.Cases);
        Assert.Equal(forecast.InputTokens, (await benchmark.ForecastAsync(request)).InputTokens);
    }
}
