using Aloe.Core.Data;
using Aloe.Core.Dialogues;
using Aloe.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Aloe.Web.Tests.Analysis;

public sealed class StoredScoresBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    static readonly string[] Phrases =
    [
        "because the evidence shows it", "however it depends on you", "why do you ask ?", "I remember when I was young", "thank you , fair point",
        "I understand , that is hard", "we share this together", "that is a stupid idea", "for example , first", "on the other hand some disagree",
    ];

    /// <summary>Preference dialogues of twelve personas with answers made of varied cue phrases (no LLM needed).</summary>
    async Task SeedDialoguesAsync()
    {
        var random = new Random(3);
        string Text(int phrases) => string.Join(" . ", Enumerable.Range(0, phrases).Select(_ => Phrases[random.Next(Phrases.Length)]));
        await using var db = await browser.Services.GetRequiredService<IDbContextFactory<AloeDbContext>>().CreateDbContextAsync();
        var run = new DialogueRun { Title = "seeded", PersonaPool = "p" };
        db.Add(run);
        await db.SaveChangesAsync();
        for (var persona = 0; persona < 12; persona++)
        {
            var dialogue = new Dialogue { RunId = run.Id, PersonaKey = $"persona-{persona}", Profile = "p", Personality = "q" };
            db.Add(dialogue);
            await db.SaveChangesAsync();
            long? parent = null;
            for (var turn = 1; turn <= 3; turn++)
            {
                // The main path: each turn follows its parent's chosen (preferred) answer.
                var t = new DialogueTurn { DialogueId = dialogue.Id, ParentId = parent, ParentBranch = parent is null ? null : Branch.Preferred, Index = turn,
                    UserMessage = Text(2), Preferred = Text(4), Rejected = Text(2), Chosen = Branch.Preferred };
                db.Add(t);
                await db.SaveChangesAsync();
                parent = t.Id;
            }
        }
        await db.SaveChangesAsync();
    }

    /// <summary>The researcher's journey: score the dialogues with the Simulated scorer from the page, fit on the stored scores, see the forest plot, come back to the stored fit.</summary>
    [SkippableFact]
    public async Task ScoringDialoguesFromThePageThenFittingShowsTheForestPlotOfStoredScores()
    {
        BrowserFixture.SkipUnlessChromium();
        await SeedDialoguesAsync();
        var page = await browser.NewPageAsync();
        await page.OpenAsync("/analysis");
        var dialogues = page.Locator("#scoring-status tr[data-source='dialogues']");
        await Assertions.Expect(dialogues).ToContainTextAsync("not scored yet");
        await Assertions.Expect(page.GetByText("No analysis yet")).ToBeVisibleAsync();
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "analysis-sources-empty"));

        await dialogues.GetByRole(AriaRole.Button, new() { Name = "Score dialogues" }).ClickAsync();
        await Assertions.Expect(dialogues.Locator(".scorer-count")).ToContainTextAsync("simulated lexical-1", new() { Timeout = 60_000 });
        await Assertions.Expect(dialogues.Locator(".scorer-count")).ToContainTextAsync("(simulated)");

        await page.Locator("#analysis-form .mud-select").First.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { NameRegex = new("^dialogues scored by simulated") }).ClickAsync();
        await page.GetByLabel("Chains").FillAsync("2");
        await page.GetByLabel("Warm-up per chain").FillAsync("100");
        await page.GetByLabel("Draws per chain").FillAsync("100");
        await page.GetByLabel("Seed").FillAsync("11");
        await page.Locator("#run-analyses").ClickAsync();

        await Assertions.Expect(page.Locator("#analysis-run")).ToContainTextAsync("dialogues scored by simulated lexical-1");
        await Assertions.Expect(page.Locator("#analysis-run .simulated-scores")).ToContainTextAsync("Simulated scores - not a measurement");
        await Assertions.Expect(page.Locator("#analysis-run [role=progressbar]")).ToHaveAttributeAsync("aria-valuenow", "100", new() { Timeout = 180_000 });
        await Assertions.Expect(page.Locator("#analysis-run")).ToContainTextAsync("seed 11");
        await Assertions.Expect(page.Locator(".chart .main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".coefficients tr", new() { HasText = "reasoning_nuance" })).ToBeVisibleAsync();
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "analysis-stored-scores"));

        // The fit is stored: a new visit shows it, with its data source and seed.
        await page.OpenAsync("/analysis");
        await Assertions.Expect(page.Locator("#analysis-run")).ToContainTextAsync("dialogues scored by simulated lexical-1");
        await Assertions.Expect(page.Locator("#analysis-run")).ToContainTextAsync("seed 11");
        await Assertions.Expect(page.Locator(".chart .main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#export-csv")).ToBeVisibleAsync();
    }
}
