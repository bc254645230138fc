using Aloe.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Aloe.Web.Tests.Browser;

public sealed class DashboardBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task StartingTheSampleJobFromTheDashboardShowsItsProgressReachFullWithoutReloading()
    {
        BrowserFixture.SkipUnlessChromium();
        var page = await browser.NewPageAsync();
        await page.OpenAsync("/");
        await Assertions.Expect(page.Locator(".stat", new() { HasText = "profiles" }).Locator(".stat-value")).ToHaveTextAsync("40");
        await BrowserFixture.ScreenshotAsync(page, "dashboard-empty");

        await page.GetByRole(AriaRole.Button, new() { Name = "Run database maintenance" }).ClickAsync();

        var bar = page.Locator("#recent-runs [role=progressbar]").First;
        // Hangfire hands the run to a worker within its poll interval (or the pickup fallback): not instant.
        await Assertions.Expect(bar).ToHaveAttributeAsync("aria-valuenow", "100", new() { Timeout = 30000 });
        await Assertions.Expect(page.Locator("#recent-runs .status").First).ToHaveTextAsync("Succeeded");
        await Assertions.Expect(page.Locator(".stat", new() { HasText = "runs" }).Filter(new() { HasNotText = "benchmark" }).Locator(".stat-value")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator(".stat", new() { HasText = "profiles" }).Locator(".stat-value")).ToHaveTextAsync("40"); // 20 training and 20 evaluation seeds
        // The runs-per-day chart replaces its empty state once a run has finished.
        await Assertions.Expect(page.Locator(".chart[aria-label='Runs per day'] .main-svg").First).ToBeVisibleAsync();
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "dashboard"));
    }

    [SkippableFact]
    public async Task JobsPageShowsARunningJobAndLetsTheUserCancelAndRetryIt()
    {
        BrowserFixture.SkipUnlessChromium();
        var jobs = browser.Services.GetRequiredService<Aloe.Core.Jobs.JobService>();
        var run = await jobs.EnqueueAsync(Aloe.Core.Jobs.DatabaseMaintenanceJob.JobKind, "Slow maintenance for the browser",
            new Aloe.Core.Jobs.DatabaseMaintenanceJob.Options { StepDelayMs = 700 });
        var page = await browser.NewPageAsync();
        await page.OpenAsync("/jobs");
        var row = page.Locator($"tr:has([data-run='{run.Id}'])");
        await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync("Running", new() { Timeout = 30000 });
        await BrowserFixture.ScreenshotAsync(page, "jobs-running");

        await row.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync("Cancelled");
        await BrowserFixture.ScreenshotAsync(page, "jobs-cancelled");

        await row.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();

        await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Queued|Running|Succeeded"));
        await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync("Succeeded", new() { Timeout = 60000 });
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "jobs"));
    }
}
