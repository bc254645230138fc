using Microsoft.Playwright;

namespace Aloe.Web.Tests.Support;

public static class BlazorPage
{
    /// <summary>
    /// Waits until the page's interactive circuit has rendered (MainLayout marks the document):
    /// before that, a click lands on the prerendered HTML and does nothing.
    /// </summary>
    public static Task WaitForBlazorAsync(this IPage page) =>
        page.Locator("html[data-circuit='ready']").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>Goes to <paramref name="url"/> and waits for the circuit.</summary>
    public static async Task OpenAsync(this IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.WaitForBlazorAsync();
    }
}
