using Aloe.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Aloe.Web.Tests.Benchmark;

/// <summary>The browser fixture over the benchmark's scripted gateway.</summary>
public sealed class BenchmarkBrowserFixture() : BrowserFixture(new BenchmarkWebFactory());

public sealed class BenchmarkBrowserTests(BenchmarkBrowserFixture browser, ITestOutputHelper output) : IClassFixture<BenchmarkBrowserFixture>
{
    [SkippableFact]
    public async Task AResearcherRunsTwoSmallBenchmarksAndComparesTheirCurves()
    {
        BrowserFixture.SkipUnlessChromium();
        var page = await browser.NewPageAsync();
        var flat = await StartRunAsync(page, "flat");
        await BrowserFixture.ScreenshotAsync(page, "benchmark-run");
        var rising = await StartRunAsync(page, "rising");
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "benchmark-run-rising"));

        await page.Locator("a", new() { HasTextString = "web/cy" }).First.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Case web/cy");
        await Assertions.Expect(page.Locator(".turn").Nth(1).Locator(".raw")).ToHaveTextAsync("Quite tailored, I'd say.");
        await BrowserFixture.ScreenshotAsync(page, "benchmark-case");

        await page.GotoAsync("/benchmark");
        await Assertions.Expect(page.Locator("#benchmark-runs .status")).ToHaveTextAsync(["Succeeded", "Succeeded"]);
        await BrowserFixture.ScreenshotAsync(page, "benchmark-runs");
        await page.Locator($"tr[data-run='{flat}'] input[type=checkbox]").CheckAsync();
        await page.Locator($"tr[data-run='{rising}'] input[type=checkbox]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare selected runs" }).ClickAsync();

        await Assertions.Expect(page.Locator(".plot[data-plotted='true'] .main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".table1 tr.al-row")).ToHaveCountAsync(2);
        // The first ticked run (the list is newest first) is the baseline; the other is paired against it.
        var paired = page.Locator("table.paired tbody tr");
        await Assertions.Expect(paired).ToHaveCountAsync(1);
        await Assertions.Expect(paired).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"[+−]\d\.\d\d.*(higher|lower)"));
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "benchmark-compare"));
    }

    /// <summary>Fills the new-run form and waits on the run page until the finished run's curve is drawn; returns the run id.</summary>
    static async Task<long> StartRunAsync(IPage page, string model)
    {
        await page.GotoAsync("/benchmark");
        await page.FillAsync("#model", model);
        await page.FillAsync("#cases", "4");
        await page.FillAsync("#turns", "8");
        await page.FillAsync("#name", $"{model} (browser test)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/benchmark/runs/\d+$"));
        await Assertions.Expect(page.Locator("#run-status")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".plot[data-plotted='true'] .main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".table1 tr.al-row")).ToHaveCountAsync(1);
        return long.Parse(page.Url.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
