using Aloe.Core.Llm;
using Aloe.Testing;
using Aloe.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Aloe.Web.Tests.Personas;

/// <summary>The browser fixture with a scripted generator whose lines are mostly novel (a few repeat, so some are rejected).</summary>
public sealed class PersonasBrowserFixture : IAsyncLifetime
{
    static readonly string[] Hobbies = ["kayaking", "chess", "pottery", "birdwatching", "salsa", "archery", "origami", "beekeeping", "surfing", "knitting", "astronomy", "fencing"];
    static readonly string[] Cities = ["Lisbon", "Osaka", "Nairobi", "Quito", "Oslo", "Hanoi", "Tunis", "Perth", "Krakow", "Denver", "Lima", "Cork"];
    int calls;

    public BrowserFixture Browser { get; } = new();
    public ScriptedLlmGateway Llm { get; } = new();

    public async Task InitializeAsync()
    {
        Llm.On(LlmRole.Generator, _ =>
        {
            var call = Interlocked.Increment(ref calls);
            // Ten new people per call plus two repeats of the first line: exact repeats are rejected by the filter.
            var lines = Enumerable.Range(0, 10).Select(i => Person(call * 10 + i)).ToList();
            return "Here are new profiles:\n" + string.Join("\n", lines.Select((l, i) => $"{i + 1}. {l}")) + $"\n- {lines[0]}\n- \"{lines[0]}\"";
        });
        Browser.App.ConfigureTestServices = services =>
        {
            services.RemoveAll<ILlmGateway>();
            services.AddSingleton<ILlmGateway>(Llm);
        };
        await Browser.InitializeAsync();
    }

    static string Person(int n) =>
        $"Resident{n} of {Cities[n % Cities.Length]} street{n} does {Hobbies[n % Hobbies.Length]} with friend{n}, owns pet{n}, works at shop{n} and cooks dish{n} weekly.";

    public Task DisposeAsync() => Browser.DisposeAsync();
}

public sealed class PersonasBrowserTests(PersonasBrowserFixture fixture, ITestOutputHelper output) : IClassFixture<PersonasBrowserFixture>
{
    [SkippableFact]
    public async Task AResearcherRunsAGenerationWatchesItFinishAndBrowsesThePools()
    {
        BrowserFixture.SkipUnlessChromium();
        var page = await fixture.Browser.NewPageAsync();
        await page.GotoAsync("/personas");
        await Assertions.Expect(page.Locator(".badge.source-seed").First).ToBeVisibleAsync();
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "personas-profiles"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Generation runs" }).ClickAsync();
        await page.Locator("input[name=maxRounds]").FillAsync("3");
        await page.Locator("input[name=callsPerRound]").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate" }).ClickAsync();

        await Assertions.Expect(page.Locator("#run-live .status")).ToHaveTextAsync("Succeeded");
        await Assertions.Expect(page.Locator("#run-live .plot[data-plotted='true'] .main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#run-live")).ToContainTextAsync("Maximum of 3 rounds reached.");
        await page.ReloadAsync(); // the rejected candidates table is outside the polled region
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Rejected candidates" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table.pool-table")).ToContainTextAsync("1.000"); // the exact repeats
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "personas-generation-run"));

        await page.GotoAsync("/personas?tab=profiles&q=Resident1");
        await Assertions.Expect(page.Locator(".badge.source-generated").First).ToBeVisibleAsync();
        await page.Locator("table.pool-table tbody tr td a").First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Nearest neighbours" })).ToBeVisibleAsync();
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "personas-item"));

        await page.GotoAsync("/personas/analysis?kind=Profile");
        await Assertions.Expect(page.Locator(".plot[data-plotted='true']")).ToHaveCountAsync(2);
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "personas-analysis"));

        await page.GotoAsync("/personas?tab=personas");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pair" }).ClickAsync();
        await Assertions.Expect(page.Locator(".alert-success")).ToContainTextAsync("Paired 100 personas");
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "personas-personas"));
    }
}
