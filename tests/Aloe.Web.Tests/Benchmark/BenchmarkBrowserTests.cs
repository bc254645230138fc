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
        await page.OpenAsync("/benchmark");
        await page.FillAsync("#cases", "99999999999");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Cases must be between 1 and 4.")).ToBeVisibleAsync();

        var flat = await StartRunAsync(page, "flat");
        var rising = await StartRunAsync(page, "rising");
        // The cases grid comes with the circuit (not in the prerendered page), its cells coloured by score.
        await Assertions.Expect(page.Locator(".cases .score-cell.score-failed").First).ToBeVisibleAsync();
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "benchmark-run"));

        await page.Locator(".cases a", new() { HasTextString = "web/cy" }).First.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Case web/cy");
        await Assertions.Expect(page.Locator(".turn").Nth(1).Locator(".raw")).ToHaveTextAsync("Quite tailored, I'd say.");
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "benchmark-case"));
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Case web/dee");

        await page.OpenAsync("/benchmark");
        await Assertions.Expect(page.Locator(".benchmark-runs .status")).ToHaveTextAsync(["Succeeded", "Succeeded"]);
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "benchmark"));
        await page.Locator($"tr.run-{flat} .compare-box input").CheckAsync();
        await page.Locator($"tr.run-{rising} .compare-box input").CheckAsync();
        await page.Locator("button.compare-selected").ClickAsync();

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/benchmark/compare\?runs="), new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator(".chart .main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".table1 tr.al-row")).ToHaveCountAsync(2);
        // The first ticked run is the baseline; the other is paired against it.
        var paired = page.Locator(".paired tbody tr");
        await Assertions.Expect(paired).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"[+−]\d\.\d\d.*(higher|lower)"));
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "benchmark-compare"));
    }

    /// <summary>Fills the new-run form and waits on the run page until the finished run's curve and Table 1 row are drawn; returns the run id.</summary>
    static async Task<long> StartRunAsync(IPage page, string model)
    {
        await page.OpenAsync("/benchmark");
        await page.FillAsync("#model", model);
        await page.Keyboard.PressAsync("Escape");
        await page.FillAsync("#cases", "4");
        await page.FillAsync("#turns", "8");
        await page.FillAsync("#name", $"{model} (browser test)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/benchmark/runs/\d+$"), new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator(".run-status")).ToHaveCountAsync(0, new() { Timeout = 30000 });
        await Assertions.Expect(page.Locator(".chart .main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".table1 tr.al-row")).ToHaveCountAsync(1);
        return long.Parse(page.Url.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
