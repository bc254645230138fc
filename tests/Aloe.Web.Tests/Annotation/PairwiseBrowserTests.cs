using System.Text.RegularExpressions;
using Aloe.Core.Annotation;
using Aloe.Core.Data;
using Aloe.Testing.Annotation;
using Aloe.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Aloe.Web.Tests.Annotation;

public sealed class PairwiseBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task AResearcherMakesAPairwiseCampaignTheAnnotatorPicksWithABAndTheJobsPageListsWhoDidIt()
    {
        BrowserFixture.SkipUnlessChromium();
        await using (var db = await browser.Services.GetRequiredService<IDbContextFactory<AloeDbContext>>().CreateDbContextAsync())
            await AnnotationTestData.SeedDialogueRunAsync(db, dialogues: 3, turns: 2);

        var researcher = await browser.NewPageAsync();
        await researcher.OpenAsync("/annotation");
        await researcher.GetByRole(AriaRole.Tab, new() { Name = "Pairs" }).ClickAsync();
        await researcher.Locator("#pairwise-items").FillAsync("4");
        await BrowserFixture.ScreenshotAsync(researcher, "annotation-pairwise-form");
        await researcher.Locator("#pairwise-create").ClickAsync();
        await researcher.WaitForURLAsync(new Regex(@"/annotation/\d+$"));
        await researcher.WaitForBlazorAsync();
        await researcher.Locator("#annotator-name").FillAsync("ada");
        await researcher.Locator("#annotator-add").ClickAsync();
        var link = await researcher.Locator("#progress a").First.GetAttributeAsync("href");

        var page = await browser.NewPageAsync();
        await page.OpenAsync(link!);
        await Assertions.Expect(page.Locator("#progress-text")).ToContainTextAsync("0 of 4 done");
        // The two answers side by side, labelled A and B with their keys.
        await Assertions.Expect(page.Locator("#response")).ToContainTextAsync("Answer A (key 1 or a)");
        await Assertions.Expect(page.Locator("#response-b")).ToContainTextAsync("Answer B (key 2 or b)");
        var a = await page.Locator("#response").BoundingBoxAsync();
        var b = await page.Locator("#response-b").BoundingBoxAsync();
        Assert.True(b!.X > a!.X + a.Width - 1, "answer B stands to the right of answer A");
        await page.Keyboard.PressAsync("g");
        await Assertions.Expect(page.Locator(".guidelines")).ToContainTextAsync("2 or b for B");
        await BrowserFixture.ScreenshotAsync(page, "annotation-pairwise-annotator");
        await page.Keyboard.PressAsync("g");
        foreach (var (key, done) in new[] { ("a", 1), ("b", 2), ("1", 3), ("2", 4) })
        {
            await page.Keyboard.PressAsync(key);
            await Assertions.Expect(page.Locator("#progress-text")).ToContainTextAsync($"{done} of 4 done");
        }

        await using (var check = await browser.Services.GetRequiredService<IDbContextFactory<AloeDbContext>>().CreateDbContextAsync())
            Assert.Equal([1, 1, 2, 2], (await check.Set<AnnotationRating>().Select(r => r.Rating!.Value).ToListAsync()).Order());

        // The campaign and the annotator were writes by the local admin (loopback): the Jobs page's Activity list says so.
        await researcher.OpenAsync("/jobs");
        var activity = researcher.Locator(".activity-grid tbody tr");
        await Assertions.Expect(activity.Filter(new() { HasText = "create" }).First).ToContainTextAsync("local admin (loopback)");
        await Assertions.Expect(activity.Filter(new() { HasText = "create" }).First).ToContainTextAsync("Pairwise");
        await researcher.Locator("#activity").ScrollIntoViewIfNeededAsync();
        await BrowserFixture.ScreenshotAsync(researcher, "jobs-activity");
        var csv = await researcher.APIRequest.GetAsync(browser.BaseUrl + "/api/audit.csv?action=create");
        Assert.Contains(",local admin (loopback),create,campaign,", await csv.TextAsync());
    }
}
