using System.Text.Json.Nodes;
using Aloe.Core.Dialogues;
using Aloe.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Aloe.Web.Tests.Browser;

public sealed class DialoguesBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    /// <summary>
    /// The researcher's journey with the Simulated provider: build dialogues from the form, watch the
    /// run finish live, open a tree, grow a branch and follow it, move to the next dialogue by
    /// keyboard, and download every export format.
    /// </summary>
    [SkippableFact]
    public async Task AResearcherBuildsDialoguesExpandsABranchAndExportsEveryFormat()
    {
        BrowserFixture.SkipUnlessChromium();
        var page = await browser.NewPageAsync();
        await page.OpenAsync("/dialogues");
        await page.FillAsync("#turns", "99999999999");
        await page.GetByRole(AriaRole.Button, new() { Name = "Build" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Turns must be between 1 and 50.")).ToBeVisibleAsync();

        await page.FillAsync("#personas", "2");
        await page.FillAsync("#turns", "3");
        // Tab commits the field as a person leaving it would; the message goes once the value is taken.
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByText("Turns must be between 1 and 50.")).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Build" }).ClickAsync();

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/dialogues/runs/\d+$"), new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForBlazorAsync();
        await Assertions.Expect(page.Locator(".run-progress .status").First).ToHaveTextAsync("Succeeded", new() { Timeout = 60000 });
        await Assertions.Expect(page.Locator(".chart .main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".simulated-badge").First).ToBeVisibleAsync();
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "dialogue-run"));
        var runId = long.Parse(page.Url.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);

        foreach (var format in ExportFormats.ByName.Keys)
        {
            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator($"a[data-format='{format}']").ClickAsync());
            var lines = (await File.ReadAllLinesAsync((await download.PathAsync())!)).Where(l => l.Length > 0).ToList();
            Assert.True(lines.Count >= 2, $"{format}: {lines.Count} lines");
            Assert.All(lines, l => Assert.NotNull(JsonNode.Parse(l)));
            Assert.Equal($"dialogues-{format}-run{runId}.jsonl", download.SuggestedFilename);
        }

        await page.OpenAsync($"/dialogues?run={runId}");
        await Assertions.Expect(page.Locator("tr.dialogue-row")).ToHaveCountAsync(2);
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "dialogues"));

        await page.Locator("tr.dialogue-row").Last.ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/dialogues/\d+$"), new() { WaitUntil = WaitUntilState.Commit });
        var first = page.Url;
        await Assertions.Expect(page.Locator(".turn")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator(".answer.chosen")).ToHaveCountAsync(3);
        // By the last turn the user has revealed something, so induction no longer answers None.
        await Assertions.Expect(page.Locator(".turn").Last.Locator(".inferred")).Not.ToContainTextAsync("Profile: None");
        await Assertions.Expect(page.Locator(".persona-full mark").First).ToBeVisibleAsync();

        await page.Locator("button.expand-branch").First.ClickAsync();
        var viewBranch = page.Locator("a.view-branch").First;
        await Assertions.Expect(viewBranch).ToBeVisibleAsync(new() { Timeout = 30000 });
        await DismissSnackbarsAsync(page);
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "dialogue"));
        await viewBranch.ClickAsync();
        await Assertions.Expect(page.Locator(".branch-note")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".turn")).ToHaveCountAsync(3);
        // Where the branch leaves the main path, the answer it follows is marked, not the one the run continued with.
        await Assertions.Expect(page.Locator(".branch-badge")).ToHaveCountAsync(1);
        await DismissSnackbarsAsync(page);
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "dialogue-branch"));

        await page.GotoAsync(first);
        await page.WaitForBlazorAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await page.WaitForURLAsync(u => u != first && System.Text.RegularExpressions.Regex.IsMatch(u, @"/dialogues/\d+$"));
    }

    /// <summary>Closes the notifications so that they do not cover the page in its screenshot.</summary>
    static async Task DismissSnackbarsAsync(IPage page)
    {
        foreach (var close in await page.Locator(".mud-snackbar button").AllAsync())
            await close.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0);
    }
}
