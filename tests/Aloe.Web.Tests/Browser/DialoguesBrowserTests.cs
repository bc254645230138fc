using Aloe.Web.Tests.Dialogues;
using Aloe.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Aloe.Web.Tests.Browser;

public sealed class DialoguesBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    // Seeded dialogues: a fixed shape (a swap, a failure) to check the page's markings against.
    [SkippableFact]
    public async Task ADialoguePageShowsTurnsSideBySideWithTheDisclosureChart()
    {
        BrowserFixture.SkipUnlessChromium();
        var (run, completed, _) = await DialogueSeed.SeedAsync(browser.Services);
        var page = await browser.NewPageAsync();

        await page.GotoAsync($"/dialogues?run={run.Id}");
        await Assertions.Expect(page.Locator($"tr[data-dialogue='{completed.Id}']")).ToBeVisibleAsync();
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "dialogues-list"));

        await page.Locator($"tr[data-dialogue='{completed.Id}'] a").First.ClickAsync();
        await Assertions.Expect(page.Locator("article.turn")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("article.turn .answer.chosen")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator(".swapped-badge")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".persona-full mark").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".plot[data-plotted='true'] .main-svg").First).ToBeVisibleAsync();
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "dialogue-page"));

        await page.GotoAsync($"/dialogues/runs/{run.Id}");
        await Assertions.Expect(page.Locator("table.failures")).ToContainTextAsync("failed 3 times");
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "dialogue-run"));
    }

    [SkippableFact]
    public async Task BuildingDialoguesFromTheFormWithTheSimulatedProviderGrowsTurnsThatUseTheRevealedPersona()
    {
        BrowserFixture.SkipUnlessChromium();
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/dialogues");
        await page.FillAsync("#personas", "2");
        await page.FillAsync("#turns", "3");

        await page.GetByRole(AriaRole.Button, new() { Name = "Build" }).ClickAsync();

        await page.WaitForURLAsync("**/dialogues/runs/*");
        await Assertions.Expect(page.Locator("#run-progress .status").First).ToHaveTextAsync("Succeeded", new() { Timeout = 60000 });
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "dialogue-run-simulated"));
        var runId = page.Url.Split('/').Last();
        await page.GotoAsync($"/dialogues?run={runId}");
        await Assertions.Expect(page.Locator("tr[data-dialogue]")).ToHaveCountAsync(2);
        await page.Locator("tr[data-dialogue] a").First.ClickAsync();
        await Assertions.Expect(page.Locator("article.turn")).ToHaveCountAsync(3);
        // By the last turn the user has revealed something, so induction no longer answers None.
        await Assertions.Expect(page.Locator("article.turn").Last.Locator(".inferred")).Not.ToContainTextAsync("Profile: None");
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "dialogue-page-simulated"));
    }
}
