using System.Text.RegularExpressions;
using Aloe.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Aloe.Web.Tests.Browser;

/// <summary>Seeds, forecasts, the cache count and the calibration panel in Chromium, over the Simulated provider of a fresh install.</summary>
public sealed class LlmBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task ABenchmarkRepeatedWithTheSameSeedReplaysEveryCallFromTheCache()
    {
        BrowserFixture.SkipUnlessChromium();
        var page = await browser.NewPageAsync();

        await page.OpenAsync("/benchmark");
        await FillRunAsync(page);
        // 2 cases x 2 turns: a role-play, an evaluated and a judge call per turn.
        await Assertions.Expect(page.Locator(".forecast-panel [data-figure=calls]")).ToHaveTextAsync("12");
        await page.FillAsync("#seed", "-5");
        await page.Locator("#cases").FocusAsync();
        await Assertions.Expect(page.GetByText("Seed must be between 0 and 2,147,483,647.")).ToBeVisibleAsync();
        await page.FillAsync("#seed", "4242");
        await page.Locator("#cases").FocusAsync();
        await page.Locator("#name").ClickAsync(); // closes the model's suggestions before the picture
        await Assertions.Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "benchmark-form-seed-forecast"));

        await StartAsync(page);
        var first = page.Locator(".cache-calls");
        await Assertions.Expect(first.Locator("[data-figure=seed]")).ToHaveTextAsync("4242");
        await Assertions.Expect(first.Locator("[data-figure=upstream]")).ToHaveTextAsync("12", new() { Timeout = 30000 });
        await Assertions.Expect(first.Locator("[data-figure=from-cache]")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("h1 + *, .mud-typography").GetByText("seed 4242").First).ToBeVisibleAsync();

        await page.OpenAsync("/benchmark");
        await FillRunAsync(page);
        await page.FillAsync("#seed", "4242");
        await StartAsync(page);
        var second = page.Locator(".cache-calls");
        await Assertions.Expect(second.Locator("[data-figure=from-cache]")).ToHaveTextAsync("12", new() { Timeout = 30000 });
        await Assertions.Expect(second.Locator("[data-figure=upstream]")).ToHaveTextAsync("0");
        await Assertions.Expect(second.Locator("[data-figure=seed]")).ToHaveTextAsync("4242");
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "benchmark-run-from-cache"));
    }

    [SkippableFact]
    public async Task ThePoolAnalysisPageCalibratesTheLexicalEmbedder()
    {
        BrowserFixture.SkipUnlessChromium();
        var page = await browser.NewPageAsync();

        await page.OpenAsync("/personas/analysis");

        var panel = page.Locator(".calibration-panel");
        await Assertions.Expect(panel.Locator("[data-figure=suggested]")).ToHaveTextAsync(new Regex(@"^0\.\d\d$"), new() { Timeout = 30000 });
        await Assertions.Expect(panel.Locator(".chart .main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(panel.Locator(".would-drop")).ToContainTextAsync("the filter would drop");
        await Assertions.Expect(panel.Locator(".calibration-setting")).ToContainTextAsync("Personas:Thresholds:lexical");
        var stored = panel.Locator("[data-figure=stored]");
        await Assertions.Expect(stored).ToHaveTextAsync("0.60");
        await Assertions.Expect(panel.Locator("[data-figure=source]")).ToHaveTextAsync("shipped calibration for lexical-v2");

        // Move the slider three steps up from the suggestion and use that threshold.
        var suggested = double.Parse(await panel.Locator("[data-figure=suggested]").TextContentAsync() ?? "", System.Globalization.CultureInfo.InvariantCulture);
        var chosen = (suggested + 0.03).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        var slider = panel.Locator("input[type=range]");
        await slider.FocusAsync();
        for (var i = 0; i < 3; i++)
            await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(panel.Locator("[data-figure=chosen]")).ToHaveTextAsync(chosen);
        await panel.Locator(".use-threshold").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync($"the filter would drop");
        await Assertions.Expect(dialog).ToContainTextAsync("personalities at " + chosen);
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "pool-calibration-confirm"));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Use " + chosen }).ClickAsync();

        await Assertions.Expect(stored).ToHaveTextAsync(chosen);
        await Assertions.Expect(panel.Locator("[data-figure=source]")).ToContainTextAsync("stored for this embedder on ");
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync($"Threshold {chosen} stored for lexical-v2-");
        await Assertions.Expect(page.Locator("h1 + *, .mud-typography").GetByText($"threshold {chosen} (stored for this embedder)").First).ToBeVisibleAsync();
        await Assertions.Expect(panel.Locator(".use-threshold")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0); // gone by itself, before the picture
        await panel.ScrollIntoViewIfNeededAsync();
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "pool-calibration"));
        await page.SetViewportSizeAsync(800, 900);
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "pool-calibration-800"));
        await page.SetViewportSizeAsync(1400, 900);

        // Back to the shipped value.
        await panel.Locator(".reset-threshold").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Reset" }).ClickAsync();
        await Assertions.Expect(stored).ToHaveTextAsync("0.60");
        await Assertions.Expect(panel.Locator(".reset-threshold")).ToHaveCountAsync(0);
    }

    [SkippableFact]
    public async Task TheDialogueFormForecastsTheBuildAsItsFieldsChange()
    {
        BrowserFixture.SkipUnlessChromium();
        var page = await browser.NewPageAsync();

        await page.OpenAsync("/dialogues");
        await page.FillAsync("#personas", "2");
        await page.FillAsync("#turns", "3");
        await page.Keyboard.PressAsync("Tab");

        // 2 personas x 3 turns x (role-play, induction, preferred, rejected, verifier).
        await Assertions.Expect(page.Locator(".forecast-panel [data-figure=calls]")).ToHaveTextAsync("30");
        await page.FillAsync("#budget", "0");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByText("Budget must be more than $0")).ToBeVisibleAsync();
        await page.FillAsync("#budget", "2.50");
        await page.Locator("h1").ClickAsync();
        await Assertions.Expect(page.GetByText("Budget must be more than $0")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".mud-input-error")).ToHaveCountAsync(0);
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "dialogues-form-forecast"));
    }

    static async Task FillRunAsync(IPage page)
    {
        await page.FillAsync("#model", "sim-adaptive");
        await page.Keyboard.PressAsync("Escape");
        await page.FillAsync("#cases", "2");
        await page.FillAsync("#turns", "2");
        await page.Keyboard.PressAsync("Tab"); // a field's change is its blur
    }

    static async Task StartAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/benchmark/runs/\d+$"), new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator(".run-status")).ToHaveCountAsync(0, new() { Timeout = 30000 });
    }
}
