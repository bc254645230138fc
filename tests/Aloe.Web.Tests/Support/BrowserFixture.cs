using Microsoft.Playwright;

namespace Aloe.Web.Tests.Support;

/// <summary>
/// The real web app on Kestrel (a loopback port) and Debian's Chromium driven by Playwright.
/// Browser tests take it with IClassFixture and are reported as skipped where
/// /usr/bin/chromium is missing. A feature that needs test services derives a fixture
/// passing its own factory (e.g. with a scripted gateway).
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    IPlaywright? playwright;

    public BrowserFixture() : this(new AloeWebFactory()) { }

    protected BrowserFixture(AloeWebFactory app) => App = app;

    public AloeWebFactory App { get; }
    public IBrowser Browser { get; private set; } = default!;
    public string BaseUrl { get; private set; } = "";
    public IServiceProvider Services => App.Services;
    public static bool Available => File.Exists(ChromiumPath);

    /// <summary>A dynamic skip (reported as skipped, never as passed) where Debian's chromium is missing.</summary>
    public static void SkipUnlessChromium() =>
        Skip.IfNot(Available, $"{ChromiumPath} is not installed (.ci/run installs Debian's chromium).");

    public async Task InitializeAsync()
    {
        if (!Available)
            return;
        // Playwright's expectations wait 5 s by default; see UseTimeouts.
        Assertions.SetDefaultExpectTimeout(15000);
        App.UseKestrel(0);
        App.StartServer();
        BaseUrl = App.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task<IPage> NewPageAsync()
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 }, BaseURL = BaseUrl });
        UseTimeouts(page);
        return page;
    }

    /// <summary>
    /// Waits long enough for a loaded 2-core CI machine, where the browser, several test apps and
    /// the Core tests' samplers share the CPU: a step that takes a second here can take twenty there
    /// (a build's navigation once missed the old 20 s). A wait that is met returns at once, so a
    /// passing run is no slower; a real failure still fails, later.
    /// </summary>
    public static void UseTimeouts(IPage page)
    {
        page.SetDefaultTimeout(30000);
        page.SetDefaultNavigationTimeout(60000);
    }

    /// <summary>Saves a full-page screenshot under the test output folder (screenshots/NAME.png) and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        // The app bar and drawer are fixed: a full-page capture would paint them mid-page, so the
        // viewport grows to the page's height for the capture instead.
        var (width, viewHeight) = page.ViewportSize is { } v ? (v.Width, v.Height) : (1400, 900);
        var height = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        await page.SetViewportSizeAsync(width, Math.Max(viewHeight, height));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        await page.SetViewportSizeAsync(width, viewHeight);
        return path;
    }

    public async Task DisposeAsync()
    {
        Exception? circuits = null;
        try
        {
            if (Browser is not null) await Browser.CloseAsync();
            playwright?.Dispose();
            if (Available) await App.Disconnects.CheckAsync();
        }
        catch (InvalidOperationException ex)
        {
            circuits = ex; // reported after the app is stopped (a stuck circuit holds its stop too)
        }
        try
        {
            await App.DisposeAsync();
        }
        catch (OperationCanceledException) when (circuits is not null) { }
        if (circuits is not null)
            throw circuits;
    }
}
