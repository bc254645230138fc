using System.Text.RegularExpressions;
using Aloe.Core.Annotation;
using Aloe.Core.Data;
using Aloe.Testing.Annotation;
using Aloe.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Aloe.Web.Tests.Annotation;

public sealed partial class AnnotationBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task AResearcherCreatesACampaignTwoAnnotatorsRateByKeyboardAndTheReportShowsKappaConfusionAndCurves()
    {
        BrowserFixture.SkipUnlessChromium();
        await using (var db = await browser.Services.GetRequiredService<IDbContextFactory<AloeDbContext>>().CreateDbContextAsync())
            await AnnotationTestData.SeedBenchmarkRunAsync(db, cases: 10, turns: 4);

        var researcher = await browser.NewPageAsync();
        await researcher.OpenAsync("/annotation");
        await researcher.Locator("#campaign-per-turn").FillAsync("3");
        await BrowserFixture.ScreenshotAsync(researcher, "annotation-campaigns");
        await researcher.Locator("#campaign-create").ClickAsync();
        await researcher.WaitForURLAsync(new Regex(@"/annotation/\d+$"));
        await researcher.WaitForBlazorAsync();
        foreach (var name in new[] { "ada", "ben" })
        {
            await researcher.Locator("#annotator-name").FillAsync(name);
            await researcher.Locator("#annotator-add").ClickAsync();
            await Assertions.Expect(researcher.Locator("#progress tbody tr", new() { HasText = name })).ToBeVisibleAsync();
        }
        var links = await researcher.Locator("#progress a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");

        // Each annotator in their own browser context (own cookies, own circuit), rating with the keyboard.
        for (var a = 0; a < 2; a++)
        {
            await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = browser.BaseUrl, ViewportSize = new() { Width = 1400, Height = 900 } });
            var page = await context.NewPageAsync();
            BrowserFixture.UseTimeouts(page);
            await page.OpenAsync(links[a]);
            await Assertions.Expect(page.Locator("#progress-text")).ToContainTextAsync("0 of 12 done");
            Assert.DoesNotContain("sim-adaptive", await page.ContentAsync());
            if (a == 0)
            {
                await page.Keyboard.PressAsync("g");
                await Assertions.Expect(page.Locator(".guidelines")).ToContainTextAsync("tailored");
                await BrowserFixture.ScreenshotAsync(page, "annotation-annotator");
                await page.Keyboard.PressAsync("g");
            }
            for (var i = 0; i < 12; i++)
            {
                var key = a == 0 ? (1 + i % 5).ToString() : (i % 3 == 0 ? "2" : "3");
                await page.Keyboard.PressAsync(key);
                await Assertions.Expect(page.Locator("#progress-text")).ToContainTextAsync($"{i + 1} of 12 done");
            }
            await Assertions.Expect(page.GetByText("All done")).ToBeVisibleAsync();
            // u takes the last rating back and shows that item again; a new key press saves it again.
            await page.Keyboard.PressAsync("u");
            await Assertions.Expect(page.Locator("#progress-text")).ToContainTextAsync("11 of 12 done");
            await page.Keyboard.PressAsync("f");
            await Assertions.Expect(page.Locator("#flag")).ToContainTextAsync("Flagged");
            await page.Keyboard.PressAsync(a == 0 ? "3" : "2");
            await Assertions.Expect(page.Locator("#progress-text")).ToContainTextAsync("12 of 12 done");
        }

        await researcher.ReloadAsync();
        await researcher.WaitForBlazorAsync();
        await Assertions.Expect(researcher.Locator("#kappa tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(researcher.Locator("#kappa tr.mean")).ToContainTextAsync(new Regex(@"-?\d\.\d{3}"));
        await Assertions.Expect(researcher.Locator("#progress tbody tr", new() { HasText = "ada" })).ToContainTextAsync("12 / 12");
        await Assertions.Expect(researcher.Locator(".chart .heatmaplayer, .chart .hm").First).ToBeAttachedAsync();
        await Assertions.Expect(researcher.Locator(".chart .legend .traces")).ToHaveCountAsync(4);
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(researcher, "annotation-report"));

        await using var check = await browser.Services.GetRequiredService<IDbContextFactory<AloeDbContext>>().CreateDbContextAsync();
        Assert.Equal(24, await check.Set<AnnotationRating>().CountAsync(r => r.Rating != null));
        Assert.Equal(2, await check.Set<AnnotationRating>().CountAsync(r => r.Flagged));
    }
}
