using Aloe.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Aloe.Web.Tests.Browser;

public sealed class SettingsBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task TestConnectionButtonShowsTheSimulatedEndpointAnswering()
    {
        BrowserFixture.SkipUnlessChromium();
        var llm = browser.Services.GetRequiredService<Aloe.Core.Llm.ILlmGateway>();
        foreach (var role in new[] { Aloe.Core.Llm.LlmRole.RolePlay, Aloe.Core.Llm.LlmRole.Judge, Aloe.Core.Llm.LlmRole.Evaluated })
            for (var i = 0; i < 3; i++)
                await llm.CompleteAsync(new Aloe.Core.Llm.LlmRequest(role, [new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.User, $"Hello {i % 2}")]), CancellationToken.None);
        var page = await browser.NewPageAsync();
        await page.OpenAsync("/settings");
        await Assertions.Expect(page.Locator(".llm-stats tr[data-role='Judge'] td").Nth(1)).ToHaveTextAsync("3");
        var row = page.Locator("tr[data-endpoint='simulated']");

        await row.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();

        await Assertions.Expect(row.Locator(".ping-ok")).ToContainTextAsync("OK");
        await Assertions.Expect(page.Locator(".llm-roles tbody tr")).ToHaveCountAsync(9);
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "settings"));
    }
}
