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
        await page.OpenAsync("/personas");
        await Assertions.Expect(page.Locator(".source-seed").First).ToBeVisibleAsync();

        // Sort by text, then search; `/` focuses the search box.
        await page.Locator(".pool-grid th", new() { HasText = "Text" }).Locator(".sort-direction-icon, .mud-button-root, span").First.ClickAsync();
        await page.Keyboard.PressAsync("/");
        await page.Keyboard.TypeAsync("lighthouse keeper");
        await Assertions.Expect(page.Locator(".pool-grid tbody tr.mud-table-row")).ToHaveCountAsync(1);
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "personas"));

        await page.OpenAsync("/personas?tab=generation");
        await page.Locator("input[name=maxRounds]").FillAsync("3");
        await page.Locator("input[name=callsPerRound]").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate" }).ClickAsync();

        await Assertions.Expect(page.Locator(".run-live .status")).ToHaveTextAsync("Succeeded", new() { Timeout = 60000 });
        await Assertions.Expect(page.Locator(".run-live .chart .main-svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".run-live")).ToContainTextAsync("Maximum of 3 rounds reached.");
        await Assertions.Expect(page.Locator(".candidates-grid")).ToContainTextAsync("1.000"); // the exact repeats
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "personas-generation-run"));

        await page.OpenAsync("/personas?tab=profiles");
        await page.Keyboard.PressAsync("/");
        await page.Keyboard.TypeAsync("Resident1");
        await Assertions.Expect(page.Locator(".pool-grid .source-generated").First).ToBeVisibleAsync();
        await page.Locator(".pool-grid tbody tr.mud-table-row").First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Nearest neighbours" })).ToBeVisibleAsync();
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "personas-item"));

        await page.OpenAsync("/personas/analysis?kind=Profile");
        await Assertions.Expect(page.Locator(".chart .js-plotly-plot")).ToHaveCountAsync(2);
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "personas-analysis"));

        await page.OpenAsync("/personas?tab=personas");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pair" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Paired 100 personas by the grid scheme");
        await Assertions.Expect(page.Locator(".personas-grid tbody tr.mud-table-row").First).ToContainTextAsync("grid");
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "personas-pairing"));
        await page.Locator(".personas-grid tbody tr.mud-table-row").First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Personality" })).ToBeVisibleAsync();
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "persona"));
    }

    [SkippableFact]
    public async Task TheAloePoolsImportFromTheSharedFolder()
    {
        BrowserFixture.SkipUnlessChromium();
        var shared = TestHost.RequireSharedFolder();
        var page = await fixture.Browser.NewPageAsync();
        await page.OpenAsync("/personas");

        await page.Locator(".pool-grid input[type=file]").SetInputFilesAsync(Path.Combine(shared, "data", "aloe", "profile.jsonl"));

        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Imported", new() { Timeout = 60000 });
        await page.Locator(".pool-grid .grid-filter").Nth(1).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Imported" }).ClickAsync();
        await Assertions.Expect(page.Locator(".pool-grid .source-imported").First).ToBeVisibleAsync();
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "personas-imported"));
    }
}
