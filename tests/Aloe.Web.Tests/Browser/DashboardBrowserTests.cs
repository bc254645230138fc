using Aloe.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Aloe.Web.Tests.Browser;

public sealed class DashboardBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task StartingTheSampleJobFromTheDashboardShowsItsProgressBarReachFull()
    {
        BrowserFixture.SkipUnlessChromium();
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator(".plot[data-plotted='true'] .main-svg").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "dashboard-empty");

        await page.GetByRole(AriaRole.Button, new() { Name = "Run database maintenance" }).ClickAsync();

        var bar = page.Locator("#recent-runs [role=progressbar]").First;
        await Assertions.Expect(bar).ToHaveAttributeAsync("aria-valuenow", "100");
        await Assertions.Expect(page.Locator("#recent-runs .status").First).ToHaveTextAsync("Succeeded");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator(".stat", new() { HasText = "runs" }).Filter(new() { HasNotText = "benchmark" }).Locator(".stat-value")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator(".stat", new() { HasText = "profiles" }).Locator(".stat-value")).ToHaveTextAsync("40"); // 20 training and 20 evaluation seeds
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "dashboard-after-job"));
    }

    [SkippableFact]
    public async Task JobsPageShowsARunningJobAndLetsTheUserCancelIt()
    {
        BrowserFixture.SkipUnlessChromium();
        var jobs = browser.Services.GetRequiredService<Aloe.Core.Jobs.JobService>();
        var run = await jobs.EnqueueAsync(Aloe.Core.Jobs.DatabaseMaintenanceJob.JobKind, "Slow maintenance for the browser",
            new Aloe.Core.Jobs.DatabaseMaintenanceJob.Options { StepDelayMs = 1500 });
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/jobs");
        var row = page.Locator($"tr[data-run='{run.Id}']");
        await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync("Running");
        await BrowserFixture.ScreenshotAsync(page, "jobs-running");

        await row.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync("Cancelled");
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "Retry" })).ToBeVisibleAsync();
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "jobs-cancelled"));
    }
}
