using Aloe.Web.Tests.Support;
using Microsoft.Playwright;

namespace Aloe.Web.Tests.Browser;

public sealed class ThemeBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    static Task<string> BackgroundAsync(IPage page) =>
        page.EvaluateAsync<string>("getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').trim()");

    [SkippableFact]
    public async Task TheThemeChosenWithTheToggleHoldsAcrossAReload()
    {
        BrowserFixture.SkipUnlessChromium();
        var page = await browser.NewPageAsync(); // its own browser context: the cookie stays in this test
        await page.OpenAsync("/jobs");
        var first = await BackgroundAsync(page);

        await page.GetByLabel("Toggle dark theme").ClickAsync();
        await page.WaitForFunctionAsync("b => getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').trim() !== b", first);
        var chosen = await BackgroundAsync(page);
        var response = await page.ReloadAsync();

        // The prerendered HTML (before any script runs) is already in the chosen theme.
        var prerendered = System.Text.RegularExpressions.Regex.Match(await response!.TextAsync(), "--mud-palette-background:\\s*([^;]+);");
        Assert.Equal(chosen, prerendered.Groups[1].Value.Trim());
        Assert.Contains(await page.Context.CookiesAsync(), c => c.Name == "aloe.theme");
        await page.WaitForBlazorAsync();
        Assert.Equal(chosen, await BackgroundAsync(page));
    }
}
