using Aloe.Core.Data;
using Aloe.Core.Dialogues;
using Aloe.Testing;
using Aloe.Testing.Dialogues;
using Aloe.Web.Dialogues;
using Aloe.Web.Jobs;
using Aloe.Web.Shared;
using Aloe.Web.Tests.Support;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aloe.Web.Tests.Dialogues;

/// <summary>The dialogue components over a test host with two fixed personas and a scripted model.</summary>
public sealed class DialogueComponentTests() : HostedComponentTest(b =>
    {
        b.AddDialogues();
        b.Services.AddSingleton<IDialoguePersonaSource>(new FixedPersonaSource(DialogueScripts.Nurse, DialogueScripts.Trader));
    })
{
    [Theory]
    [InlineData("turns", "99999999999", "Turns must be between 1 and 50.")]
    [InlineData("turns", "0", "Turns must be between 1 and 50.")]
    [InlineData("personas", "many", "Personas must be a whole number.")]
    [InlineData("seed", "1.5", "Seed must be a whole number.")]
    [InlineData("budget", "0", "Budget must be more than $0")]
    [InlineData("budget", "lots", "Budget must be a number.")]
    public async Task TheBuildFormRefusesABadValueAtItsFieldAndStartsNothing(string field, string value, string message)
    {
        var form = Render<BuildDialoguesForm>();

        form.Find($"#{field}").Change(value);
        await form.Find("button.mud-button-filled").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Contains(message, form.Markup));
        await using var db = Host.Db();
        Assert.False(await db.Set<DialogueRun>().AnyAsync());
    }

    [Fact]
    public async Task TheBuildFormStartsARunAndOpensItsPage()
    {
        var form = Render<BuildDialoguesForm>();

        form.Find("#personas").Change("1");
        form.Find("#turns").Change("2");
        await form.Find("button.mud-button-filled").ClickAsync(new());

        var navigation = Services.GetRequiredService<NavigationManager>();
        form.WaitForAssertion(() => Assert.Matches(@"/dialogues/runs/\d+$", navigation.Uri));
        await using var db = Host.Db();
        var run = await db.Set<DialogueRun>().SingleAsync();
        Assert.Equal(2, run.MaxTurns);
        Assert.Equal(1, await db.Set<Dialogue>().CountAsync());
    }

    [Fact]
    public async Task TheBuildFormRecordsTheSeedAndBudgetAndForecastsAsTheFieldsChange()
    {
        var form = Render<BuildDialoguesForm>();
        form.Find("#personas").Change("1");
        form.Find("#turns").Change("2");
        // One persona x 2 turns: RolePlay, Induction, Preferred, Rejected and Verifier once a turn.
        form.WaitForAssertion(() => Assert.Equal("10", form.Find("[data-figure=calls]").TextContent));
        form.Find("#turns").Change("3");
        form.WaitForAssertion(() => Assert.Equal("15", form.Find("[data-figure=calls]").TextContent));

        form.Find("#seed").Change("77");
        form.Find("#budget").Change("0.25");
        await form.Find("button.mud-button-filled").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Matches(@"/dialogues/runs/\d+$", Services.GetRequiredService<NavigationManager>().Uri));
        await using var db = Host.Db();
        var run = await db.Set<DialogueRun>().SingleAsync();
        Assert.Equal(77, run.Seed);
        Assert.Equal(0.25, (await db.Set<Aloe.Core.Llm.LlmRunBudget>().SingleAsync(b => b.RunId == run.JobRunId)).CapUsd);
    }

    [Fact]
    public async Task ARunStoppedAtItsBudgetSaysSoAndResumesWhenTheCapIsRaised()
    {
        var job = await StoppedJobAsync(capUsd: 0.10, spentUsd: 0.12);
        var panel = Render<BudgetPanel>(p => p.Add(c => c.JobRunId, job));
        panel.WaitForAssertion(() => Assert.Contains("Stopped at the budget cap", panel.Markup));
        Assert.Contains("$0.12 spent of $0.10", panel.Markup);

        panel.Find("#newCap").Change("0.11");
        await panel.Find("button.raise-resume").ClickAsync(new());
        panel.WaitForAssertion(() => Assert.Contains("The new cap must be above the $0.12 already spent.", panel.Markup));

        panel.Find("#newCap").Change("0.50");
        await panel.Find("button.raise-resume").ClickAsync(new());

        panel.WaitForAssertion(() => Assert.Contains("spent of a $0.50 cap", panel.Markup));
        await using var db = Host.Db();
        Assert.Equal(0.50, (await db.Set<Aloe.Core.Llm.LlmRunBudget>().SingleAsync(b => b.RunId == job)).CapUsd);
        // Requeued: the stop is no longer its outcome.
        Assert.NotEqual("Stopped at the budget cap.", (await db.Set<Aloe.Core.Jobs.JobRun>().SingleAsync(r => r.Id == job)).Error);
    }

    [Fact]
    public async Task TheCachePanelCountsARunsCallsFromTheCacheAndUpstream()
    {
        var job = await StoppedJobAsync(capUsd: 5, spentUsd: 0.12);
        await using (var db = Host.Db())
        {
            db.AddRange(Enumerable.Range(0, 3).Select(_ => Call(job, 0, cacheHit: true)));
            await db.SaveChangesAsync();
        }

        var panel = Render<CacheCallsPanel>(p => p.Add(c => c.RunIds, [job]).Add(c => c.Seed, 4242));

        panel.WaitForAssertion(() => Assert.Equal("3", panel.Find("[data-figure=from-cache]").TextContent));
        Assert.Equal("1", panel.Find("[data-figure=upstream]").TextContent);
        Assert.Equal("4242", panel.Find("[data-figure=seed]").TextContent);
        Assert.Contains("of 4 calls from the cache", panel.Markup);
    }

    /// <summary>A failed job run with a cap and one upstream call that cost <paramref name="spentUsd"/>, as a build stopped at its budget leaves it.</summary>
    async Task<long> StoppedJobAsync(double capUsd, double spentUsd)
    {
        await using var db = Host.Db();
        var job = new Aloe.Core.Jobs.JobRun { Kind = "test.stopped", Title = "Stopped at its cap", Status = Aloe.Core.Jobs.JobStatus.Failed, Error = "Stopped at the budget cap." };
        db.Add(job);
        await db.SaveChangesAsync();
        db.Add(new Aloe.Core.Llm.LlmRunBudget { RunId = job.Id, CapUsd = capUsd });
        db.Add(Call(job.Id, spentUsd, cacheHit: false));
        await db.SaveChangesAsync();
        return job.Id;
    }

    static Aloe.Core.Llm.LlmCall Call(long job, double cost, bool cacheHit) =>
        new() { RunId = job, Role = Aloe.Core.Llm.LlmRole.RolePlay, Endpoint = "fake", Model = "paid", Cost = cost, CacheHit = cacheHit, InputTokens = 10, OutputTokens = 5 };

    [Fact]
    public void ATurnCardMarksTheContinuedAnswerAndOffersToGrowTheOther()
    {
        var turn = new DialogueTurn
        {
            Id = 5, DialogueId = 1, Index = 2, UserMessage = "What should I plant?", Preferred = "Cherry tomatoes, as you like.", Rejected = "Anything.",
            Chosen = Branch.Rejected, Verified = true, Swapped = true, InferredProfile = "grows tomatoes",
        };
        DialogueTurn? expanded = null;

        var card = Render<TurnCard>(p => p.Add(c => c.Turn, turn).Add(c => c.CanExpand, true).Add(c => c.Expand, (DialogueTurn t) => expanded = t));

        Assert.Contains("chosen", card.Find(".answer-rejected").ClassName);
        Assert.Contains("not-chosen", card.Find(".answer-preferred").ClassName);
        Assert.Single(card.FindAll(".swapped-badge"));
        card.Find("button.expand-branch").Click();
        Assert.Same(turn, expanded);
    }

    [Fact]
    public void ATurnCardLinksToAGrownBranchInsteadOfOfferingToGrowIt()
    {
        var turn = new DialogueTurn { Id = 5, DialogueId = 1, Index = 1, UserMessage = "m", Preferred = "p", Rejected = "r", Chosen = Branch.Preferred };
        var branch = new DialogueTurn { Id = 9, DialogueId = 1, ParentId = 5, ParentBranch = Branch.Rejected, Index = 2, UserMessage = "m2", Preferred = "p2", Rejected = "r2" };

        var card = Render<TurnCard>(p => p.Add(c => c.Turn, turn).Add(c => c.BranchStart, branch).Add(c => c.CanExpand, true));

        Assert.Empty(card.FindAll("button.expand-branch"));
        Assert.Equal("/dialogues/1?from=9", card.Find("a.view-branch").GetAttribute("href"));
    }

    [Fact]
    public void OnAnExpandedBranchTheAnswerItFollowsIsMarkedAndTheOtherLeadsBackToTheMainPath()
    {
        var turn = new DialogueTurn { Id = 5, DialogueId = 1, Index = 1, UserMessage = "m", Preferred = "p", Rejected = "r", Chosen = Branch.Preferred };

        var card = Render<TurnCard>(p => p.Add(c => c.Turn, turn).Add(c => c.Followed, Branch.Rejected));

        Assert.Contains("chosen", card.Find(".answer-rejected").ClassName);
        Assert.Single(card.FindAll(".branch-badge"));
        Assert.Equal("/dialogues/1", card.Find("a.view-main").GetAttribute("href"));
    }

    [Fact]
    public void EveryExportFormatHasADownloadAndAManifest()
    {
        var buttons = Render<ExportButtons>(p => p.Add(c => c.RunId, 7));

        var links = buttons.FindAll("a[download]").Select(a => a.GetAttribute("href")).ToList();
        foreach (var format in ExportFormats.ByName.Keys)
        {
            Assert.Contains($"/api/dialogues/export/{format}?run=7", links);
            Assert.Contains($"/api/dialogues/export/{format}/manifest?run=7", links);
        }
    }

    [Fact]
    public void ThePersonaPanelHighlightsWhatTheSelectedTurnRevealed()
    {
        var dialogue = new Dialogue { PersonaKey = "g", Profile = "A retired teacher who grows cherry tomatoes.", Personality = "Patient and curious." };
        var turn = new DialogueTurn { Index = 2, UserMessage = "", Preferred = "", Rejected = "", InferredProfile = "grows cherry tomatoes" };

        var panel = Render<PersonaPanel>(p => p.Add(c => c.Dialogue, dialogue).Add(c => c.Selected, turn));

        Assert.Equal(["grows", "cherry", "tomatoes"], panel.FindAll("mark").Select(m => m.TextContent));
        Assert.Contains("by turn 2", panel.Markup);
    }

    [Fact]
    public async Task TheGridListsDialoguesWithStatusAndFailureReason()
    {
        var (run, completed, _) = await DialogueSeed.SeedAsync(Host.Services);

        var grid = Render<DialoguesGrid>(p => p.Add(c => c.Runs, [run]));

        grid.WaitForAssertion(() => Assert.Equal(2, grid.FindAll("tr.dialogue-row").Count));
        Assert.Contains($"href=\"/dialogues/{completed.Id}\"", grid.Markup);
        Assert.Contains("no labels (failed 3 times)", grid.Markup);
    }

    [Theory]
    [InlineData(null, DialogueStatus.Failed, "pilot")]
    [InlineData("Generic answer 2", null, "gardener")]
    [InlineData("no-such-text", null, null)]
    public async Task TheGridFiltersByStatusAndSearchesMessageText(string? search, DialogueStatus? status, string? only)
    {
        var (run, _, _) = await DialogueSeed.SeedAsync(Host.Services);

        var grid = Render<DialoguesGrid>(p => p.Add(c => c.Runs, [run]).Add(c => c.Search, search).Add(c => c.Status, status));

        if (only is null)
        {
            grid.WaitForAssertion(() => Assert.Contains("No dialogues match", grid.Markup));
        }
        else
        {
            grid.WaitForAssertion(() => Assert.Single(grid.FindAll("tr.dialogue-row")));
            Assert.Contains(only, grid.Find("tr.dialogue-row").TextContent);
        }
    }
}
