using Aloe.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Aloe.Web.Tests.Browser;

public sealed class SettingsBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task TestConnectionButtonShowsTheSimulatedEndpointAnswering()
    {
        if (!BrowserFixture.Available)
        {
            output.WriteLine($"Skipped: {BrowserFixture.ChromiumPath} is not installed.");
            return;
        }
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/settings");
        var row = page.Locator("tr[data-endpoint='simulated']");

        await row.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();

        await Assertions.Expect(row.Locator(".ping-ok")).ToContainTextAsync("OK");
        await Assertions.Expect(page.Locator(".llm-roles tbody tr")).ToHaveCountAsync(9);
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "settings"));
    }
}
