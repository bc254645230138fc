using Aloe.Core.Conversations;
using Aloe.Core.Data;
using Aloe.Core.Dialogues;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Testing;
using Aloe.Testing.Dialogues;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aloe.Core.Tests.Dialogues;

/// <summary>
/// A dialogue build split into part jobs (Jobs:BuildParts) that two processes (two hosts over one
/// database, each with its own claims and construction) execute at once.
/// </summary>
public sealed class SplitBuildTests
{
    static readonly DialoguePersona[] Personas = Enumerable.Range(1, 8)
        .Select(i => new DialoguePersona($"p{i}", new PersonaText($"Person {i} is a nurse who bakes bread number {i}.", "Warm."))).ToArray();

    static Task<TestHost> StartAsync(DatabaseProvider provider, TestHost? first = null)
    {
        var database = first?.Get<AloeDatabase>();
        return TestHost.StartAsync(b =>
            {
                b.AddDialogues();
                b.Services.AddSingleton<IDialoguePersonaSource>(new FixedPersonaSource(Personas));
            },
            databasePath: database is { IsSqlite: true } ? first!.Db().DatabasePath() : null, provider: provider,
            postgresConnectionString: database is { IsSqlite: false } ? database.ConnectionString : null);
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task TwoProcessesShareASplitRunAndEveryTurnIsBuiltOnce(DatabaseProvider provider)
    {
        await using var a = await StartAsync(provider);
        await using var b = await StartAsync(provider, a);
        // Each process's model waits until the other has made a call: both have claimed dialogues by
        // then, whatever the scheduling (neither can finish the run alone first, however late the
        // other part starts; each holds at most 2 in flight, the run's parallelism).
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Llm.ScriptTurns();
        b.Llm.ScriptTurns();
        var rolePlay = (ScriptedLlmGateway llm) => (Func<LlmRequest, string>)(r => $"Message {r.Messages.Count(m => m.Role == Microsoft.Extensions.AI.ChatRole.Assistant) + 1} of {r.Messages[0].Text.Length}");
        a.Llm.OnAsync(LlmRole.RolePlay, async r => { firstStarted.TrySetResult(); await secondStarted.Task; return rolePlay(a.Llm)(r); });
        b.Llm.OnAsync(LlmRole.RolePlay, async r => { secondStarted.TrySetResult(); await firstStarted.Task; return rolePlay(b.Llm)(r); });

        var (run, job) = await a.Get<DialogueConstruction>().StartBuildAsync(
            new BuildRequest(new PersonaSelection(Seed: 1), MaxTurns: 3, Parallelism: 2, ProgressIntervalMs: 0, Parts: 2));
        var parts = JobService.PartIds(job.ParametersJson);
        Assert.Equal(2, parts.Count);

        await Task.WhenAll(
            a.Get<JobRunner>().ExecuteAsync(parts[0], CancellationToken.None),
            b.Get<JobRunner>().ExecuteAsync(parts[1], CancellationToken.None),
            a.Get<JobRunner>().ExecuteAsync(job.Id, CancellationToken.None));

        var finished = (await a.Get<JobService>().GetAsync(job.Id))!;
        Assert.Equal(JobStatus.Succeeded, finished.Status);
        Assert.Equal((24, 24), (finished.Done, finished.Total));
        await using var db = a.Db();
        var dialogues = await db.Set<Dialogue>().Where(d => d.RunId == run.Id).ToListAsync();
        Assert.All(dialogues, d => Assert.Equal((DialogueStatus.Completed, 3), (d.Status, d.Turns)));
        // Shared: each part (each process) built some of the dialogues.
        Assert.Equal(parts.Order(), dialogues.Select(d => d.PartJobRunId!.Value).Distinct().Order());
        // Nothing twice: three turns per dialogue in the database, three role-play calls per dialogue in all.
        var ids = dialogues.Select(d => d.Id).ToList();
        var turns = await db.Set<DialogueTurn>().Where(t => ids.Contains(t.DialogueId)).Select(t => new { t.DialogueId, t.Index }).ToListAsync();
        Assert.Equal(24, turns.Count);
        Assert.All(turns.GroupBy(t => t.DialogueId), g => Assert.Equal([1, 2, 3], g.Select(t => t.Index).Order()));
        Assert.Equal(24, a.Llm.Requests.Concat(b.Llm.Requests).Count(r => r.Role == LlmRole.RolePlay));
        Assert.True(a.Llm.Requests.Any(r => r.Role == LlmRole.RolePlay) && b.Llm.Requests.Any(r => r.Role == LlmRole.RolePlay));
    }

    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task APartStoppedMidWayIsResumedByAnotherProcessAndCancellingTheRunCancelsItsParts(DatabaseProvider provider)
    {
        await using var a = await StartAsync(provider);
        await using var b = await StartAsync(provider, a);
        // The first process stops (as its host would) once it has saved three turns.
        using var stopA = new CancellationTokenSource();
        var savedByA = 0;
        a.Llm.ScriptTurns();
        b.Llm.ScriptTurns();
        a.Llm.On(LlmRole.Verifier, _ => { if (Interlocked.Increment(ref savedByA) == 3) stopA.Cancel(); return "A"; });

        var (run, job) = await a.Get<DialogueConstruction>().StartBuildAsync(
            new BuildRequest(new PersonaSelection(Seed: 1), MaxTurns: 3, Parallelism: 2, ProgressIntervalMs: 0, Parts: 2));
        var parts = JobService.PartIds(job.ParametersJson);
        await a.Get<JobRunner>().ExecuteAsync(parts[0], stopA.Token);
        var stopped = (await a.Get<JobService>().GetAsync(parts[0]))!;
        Assert.Equal(JobStatus.Running, stopped.Status); // its lease given up, for another process to resume

        // The second process resumes the stopped part (its lease has expired), then runs the other part and the run's job.
        Assert.Contains(parts[0], await b.Get<JobClaims>().RequeueExpiredAsync(CancellationToken.None));
        await b.Get<JobRunner>().ExecuteAsync(parts[0], CancellationToken.None);
        await b.Get<JobRunner>().ExecuteAsync(parts[1], CancellationToken.None);
        await b.Get<JobRunner>().ExecuteAsync(job.Id, CancellationToken.None);

        Assert.Equal(JobStatus.Succeeded, (await b.Get<JobService>().GetAsync(job.Id))!.Status);
        await using (var db = a.Db())
        {
            var ids = await db.Set<Dialogue>().Where(d => d.RunId == run.Id).Select(d => d.Id).ToListAsync();
            var turns = await db.Set<DialogueTurn>().Where(t => ids.Contains(t.DialogueId)).GroupBy(t => t.DialogueId).Select(g => g.Count()).ToListAsync();
            Assert.Equal(Enumerable.Repeat(3, 8), turns);
            // Turns saved before the stop are not asked for again: one role-play call per turn in all,
            // apart from the calls in flight when the stop came (at most the 2 dialogues in flight).
            var calls = a.Llm.Requests.Concat(b.Llm.Requests).Count(r => r.Role == LlmRole.RolePlay);
            Assert.InRange(calls, 24, 26);
        }

        // A second build, cancelled before anything ran: its parts end cancelled with it.
        var (_, second) = await a.Get<DialogueConstruction>().StartBuildAsync(new BuildRequest(new PersonaSelection(Seed: 2), MaxTurns: 2, Parts: 2));
        Assert.True(await a.Get<JobService>().CancelAsync(second.Id));
        foreach (var part in JobService.PartIds(second.ParametersJson))
            Assert.Equal(JobStatus.Cancelled, (await a.Get<JobService>().GetAsync(part))!.Status);
    }
}
