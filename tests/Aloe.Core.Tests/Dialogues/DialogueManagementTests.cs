using Aloe.Core.Dialogues;
using Aloe.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Tests.Dialogues;

/// <summary>Sorting, neighbours, disclosure by turn and deletion: what the dialogue pages need beyond the construction.</summary>
public sealed class DialogueManagementTests
{
    [Fact]
    public async Task ListsSortByTheChosenColumnInEitherDirection()
    {
        await using var host = await DialogueTestSupport.StartAsync();
        host.Llm.ScriptTurns();
        await host.BuildAsync(turns: 2);
        var queries = host.Get<DialogueQueries>();

        var ascending = await queries.ListAsync(new DialogueFilter(Sort: DialogueSort.Persona, Descending: false));
        var descending = await queries.ListAsync(new DialogueFilter(Sort: DialogueSort.Persona, Descending: true));

        Assert.Equal(["nurse", "trader"], ascending.Rows.Select(r => r.PersonaKey));
        Assert.Equal(["trader", "nurse"], descending.Rows.Select(r => r.PersonaKey));
    }

    [Fact]
    public async Task NeighboursAreThePreviousAndNextDialoguesOfTheSameRun()
    {
        await using var host = await DialogueTestSupport.StartAsync();
        host.Llm.ScriptTurns();
        await host.BuildAsync(turns: 1);
        var ids = (await host.Get<DialogueQueries>().ListAsync(new DialogueFilter(Descending: false))).Rows.Select(r => r.Id).ToList();

        Assert.Equal(new DialogueNeighbours(null, ids[1]), await host.Get<DialogueQueries>().NeighboursAsync(ids[0]));
        Assert.Equal(new DialogueNeighbours(ids[0], null), await host.Get<DialogueQueries>().NeighboursAsync(ids[1]));
    }

    [Fact]
    public async Task DisclosureByTurnAveragesTheMainPathsOfTheRun()
    {
        await using var host = await DialogueTestSupport.StartAsync();
        host.Llm.ScriptTurns();
        var (run, _) = await host.BuildAsync(turns: 3);

        var points = await host.Get<DialogueQueries>().DisclosureByTurnAsync(run.Id);

        Assert.Equal([1, 2, 3], points.Select(p => p.Turn));
        Assert.All(points, p => Assert.Equal(2, p.N));
        Assert.All(points, p => Assert.InRange(p.Profile, 0, 1));
    }

    [Fact]
    public async Task DisclosureByTurnFollowsTheRunAfterItWasRead()
    {
        await using var host = await DialogueTestSupport.StartAsync();
        host.Llm.ScriptTurns();
        var (run, _) = await host.BuildAsync(turns: 2);
        var queries = host.Get<DialogueQueries>();
        Assert.All(await queries.DisclosureByTurnAsync(run.Id), p => Assert.Equal(2, p.N)); // read (and kept) once

        var first = (await queries.ListAsync(new DialogueFilter(RunId: run.Id))).Rows[0].Id;
        await host.Get<DialogueRemoval>().DeleteDialogueAsync(first);

        Assert.All(await queries.DisclosureByTurnAsync(run.Id), p => Assert.Equal(1, p.N));
    }

    [Fact]
    public async Task RunSummaryCountsATurnSavedOffTheMainPathAfterItWasRead()
    {
        await using var host = await DialogueTestSupport.StartAsync();
        host.Llm.ScriptTurns();
        var (run, _) = await host.BuildAsync(turns: 1);
        var queries = host.Get<DialogueQueries>();
        var before = (await queries.RunAsync(run.Id))!; // read (and kept) once

        await using (var db = host.Db())
        {
            // What an expansion saves: a turn on the branch not chosen, which leaves its dialogue's row as it was.
            var first = await db.Set<DialogueTurn>().Where(t => db.Set<Dialogue>().Any(d => d.RunId == run.Id && d.Id == t.DialogueId)).OrderBy(t => t.Id).FirstAsync();
            var copy = (DialogueTurn)db.Entry(first).CurrentValues.Clone().ToObject();
            copy.Id = 0;
            copy.ParentId = first.Id;
            copy.ParentBranch = first.Chosen == Branch.Preferred ? Branch.Rejected : Branch.Preferred;
            copy.Index = first.Index + 1;
            copy.Verified = true;
            copy.Swapped = true;
            db.Add(copy);
            await db.SaveChangesAsync();
        }

        var after = (await queries.RunAsync(run.Id))!;
        Assert.Equal(before.Swapped + 1, after.Swapped);
        Assert.Equal(before.Verified + 1, after.Verified);
    }

    [Fact]
    public async Task DeletingARunRemovesItsDialoguesAndTurnsAndKeepsItsJob()
    {
        await using var host = await DialogueTestSupport.StartAsync();
        host.Llm.ScriptTurns();
        var (run, job) = await host.BuildAsync(turns: 2);
        var (other, _) = await host.BuildAsync(turns: 1);
        var removal = host.Get<DialogueRemoval>();

        var preview = (await removal.PreviewRunAsync(run.Id))!;
        Assert.True(preview.CanDelete);
        Assert.Equal(["2 dialogues", "4 turns (expanded branches included)"], preview.GoesWith);
        Assert.True(await removal.DeleteRunAsync(run.Id));

        await using var db = host.Db();
        Assert.False(await db.Set<DialogueRun>().AnyAsync(r => r.Id == run.Id));
        Assert.Equal(2, await db.Set<Dialogue>().CountAsync());
        Assert.Equal(2, await db.Set<DialogueTurn>().CountAsync());
        Assert.True(await db.Set<Dialogue>().AllAsync(d => d.RunId == other.Id));
        Assert.NotNull(await host.Get<JobService>().GetAsync(job.Id));
        Assert.False(await removal.DeleteRunAsync(run.Id));
    }

    [Fact]
    public async Task DeletingADialogueRemovesItsWholeTreeOnly()
    {
        await using var host = await DialogueTestSupport.StartAsync();
        host.Llm.ScriptTurns();
        await host.BuildAsync(turns: 3);
        var nurse = await host.TreeAsync("nurse");
        var expand = await host.Get<DialogueConstruction>().StartExpandAsync(nurse.MainPath()[0].Id);
        await host.Get<JobRunner>().ExecuteAsync(expand.Id, CancellationToken.None);

        var preview = (await host.Get<DialogueRemoval>().PreviewDialogueAsync(nurse.Dialogue.Id))!;
        Assert.Equal(["5 turns (expanded branches included)"], preview.GoesWith);
        Assert.True(await host.Get<DialogueRemoval>().DeleteDialogueAsync(nurse.Dialogue.Id));

        await using var db = host.Db();
        Assert.Equal(["trader"], await db.Set<Dialogue>().Select(d => d.PersonaKey).ToListAsync());
        Assert.Equal(3, await db.Set<DialogueTurn>().CountAsync());
    }

    [Fact]
    public async Task ARunWhoseJobIsStillQueuedCannotBeDeleted()
    {
        await using var host = await DialogueTestSupport.StartAsync();
        var (run, job) = await host.Get<DialogueConstruction>().StartBuildAsync(new BuildRequest(new PersonaSelection("train", null, 0), 2));

        var preview = (await host.Get<DialogueRemoval>().PreviewRunAsync(run.Id))!;

        Assert.False(preview.CanDelete);
        Assert.Contains($"Job {job.Id}", preview.Blocked);
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Get<DialogueRemoval>().DeleteRunAsync(run.Id));
    }
}
