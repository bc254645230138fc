using Aloe.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Aloe.Web.Tests.Analysis;

public sealed class AnalysisBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task RunningTheAnalysesShowsProgressThenForestModerationMirroringAndDiagnostics()
    {
        BrowserFixture.SkipUnlessChromium();
        var page = await browser.NewPageAsync();
        await page.OpenAsync("/analysis");
        await Assertions.Expect(page.GetByText("No analysis yet")).ToBeVisibleAsync();

        // The default 4 x 2,000 iterations per model take minutes: cancel that run from the page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Run the analyses" }).ClickAsync();
        await Assertions.Expect(page.Locator("#analysis-run")).ToBeVisibleAsync();
        await page.Locator("#cancel-analyses").ClickAsync();
        await Assertions.Expect(page.Locator("#analysis-run .status")).ToHaveTextAsync("Cancelled", new() { Timeout = 60_000 });

        // Short chains: the page's models on simulated scores in a few seconds.
        await page.GetByLabel("Chains").FillAsync("2");
        await page.GetByLabel("Warm-up per chain").FillAsync("150");
        await page.GetByLabel("Draws per chain").FillAsync("150");
        // With nothing scored the data choice is the simulated demo data.
        await Assertions.Expect(page.Locator("#analysis-form")).ToContainTextAsync("Simulated demo data");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run the analyses" }).ClickAsync();

        await Assertions.Expect(page.Locator("#analysis-run [role=progressbar]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#analysis-run")).ToContainTextAsync("Simulated demo data - not real data");
        await Assertions.Expect(page.Locator("#analysis-run [role=progressbar]")).ToHaveAttributeAsync("aria-valuenow", "100", new() { Timeout = 180_000 });
        await Assertions.Expect(page.Locator("#analysis-run .status")).ToHaveTextAsync("Succeeded");
        await Assertions.Expect(page.Locator("#export-csv")).ToBeVisibleAsync();

        // Preference: the forest plot and the coefficient table, reasoning x nuance significant in the simulated data.
        await Assertions.Expect(page.Locator(".chart .main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".coefficients tr.evidence-significant", new() { HasText = "reasoning_nuance" })).ToBeVisibleAsync();
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "analysis-preference"));

        await page.GetByRole(AriaRole.Tab, new() { Name = "Moderation" }).ClickAsync();
        await Assertions.Expect(page.Locator("[aria-label='Moderation grid'] .main-svg").First).ToBeVisibleAsync();
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "analysis-moderation"));

        await page.GetByRole(AriaRole.Tab, new() { Name = "Mirroring" }).ClickAsync();
        await Assertions.Expect(page.Locator("[aria-label='Mirroring heatmap'] .main-svg").First).ToBeVisibleAsync();
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "analysis-mirroring"));

        await page.GetByRole(AriaRole.Tab, new() { Name = "Diagnostics" }).ClickAsync();
        await Assertions.Expect(page.Locator(".diagnostics tbody tr")).ToHaveCountAsync(6 + 2 + 7); // 1a/1b x 3 subsets, 2 moderators, 7 mirroring
        await Assertions.Expect(page.Locator("[aria-label='Trace plot'] .main-svg").First).ToBeVisibleAsync();
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "analysis-diagnostics"));

        var href = await page.Locator("#export-csv").GetAttributeAsync("href");
        var csv = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(href!["data:text/csv;base64,".Length..]));
        Assert.StartsWith("model,term,kind,mean,sd,q05,q95,evidence_ratio", csv);
    }
}
