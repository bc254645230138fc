using Aloe.Web.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Aloe.Web.Tests.Browser;

/// <summary>
/// Every page of a fresh install (the embedded seed pools, nothing else) at a narrow window and on a
/// phone: the document never scrolls sideways, a list or chart without data says what to do next
/// (no blank area, no endless spinner, no empty axes), and the tab names the page.
/// </summary>
public sealed class NarrowLayoutBrowserTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    /// <param name="Expected">Text the page must show: its empty state, or the thing a fresh install already has.</param>
    /// <param name="Interactive">False for the statically rendered sign-in pages (no circuit to wait for).</param>
    public sealed record PageCase(string Name, string Url, string Title, string Expected, bool Interactive = true);

    static readonly PageCase[] Pages =
    [
        new("dashboard", "/", "Dashboard", "No runs in the last 14 days"),
        new("personas-pools", "/personas", "Personas", "Import jsonl"),
        new("personas-personas", "/personas?tab=personas", "Personas", "No personas"),
        new("personas-generation", "/personas?tab=generation", "Personas", "No generation runs"),
        new("personas-analysis", "/personas/analysis", "Pool similarity", "Leakage"),
        new("personas-item", "/personas/items/1", "Profile #1", "Nearest neighbours"),
        new("persona-missing", "/personas/999", "Persona not found", "There is no persona 999"),
        new("generation-run-missing", "/personas/runs/999", "Generation run not found", "There is no generation run 999"),
        new("dialogues", "/dialogues", "Preference dialogues", "No dialogues yet"),
        new("dialogue-run-missing", "/dialogues/runs/999", "Dialogue run not found", "There is no dialogue run 999"),
        new("dialogue-missing", "/dialogues/999", "Dialogue not found", "There is no dialogue 999"),
        new("benchmark", "/benchmark", "Benchmark", "No benchmark runs yet"),
        new("benchmark-run-missing", "/benchmark/runs/999", "Benchmark run not found", "There is no benchmark run 999"),
        new("benchmark-case-missing", "/benchmark/runs/999/cases/1", "Case not found", "Run 999 has no case 1"),
        new("benchmark-compare", "/benchmark/compare", "Compare benchmark runs", "Pick at least two runs"),
        new("annotation", "/annotation", "Annotation", "No campaigns yet"),
        new("annotation-campaign-missing", "/annotation/999", "Campaign not found", "There is no annotation campaign 999"),
        new("annotate", "/annotate", "My assignments", "Nothing to rate"),
        new("annotator-missing", "/annotate/999", "Annotator not found", "names no annotator"),
        new("analysis", "/analysis", "Analysis", "No texts to score yet"),
        new("jobs", "/jobs", "Jobs", "No runs yet"),
        new("job-missing", "/jobs/999", "Run not found", "There is no run 999"),
        new("settings", "/settings", "Settings", "No calls yet"),
        new("not-found", "/no-such-page", "Page not found", "There is nothing at /no-such-page"),
        new("login", "/account/login", "Sign in", "Sign in", Interactive: false),
        new("invite-invalid", "/invite/not-a-token", "Annotation invite", "Invite not valid", Interactive: false),
    ];

    static readonly (string Label, int Width, int Height)[] Widths = [("800", 800, 900), ("phone", 390, 844)];

    [SkippableFact]
    public async Task EveryPageOfAFreshInstallFitsANarrowWindowAndAPhoneAndSaysWhatToDoWhereItHasNoData()
    {
        BrowserFixture.SkipUnlessChromium();
        var windows = new List<(string Label, IPage Page)>();
        foreach (var (label, width, height) in Widths)
        {
            var window = await browser.NewPageAsync();
            await window.SetViewportSizeAsync(width, height);
            windows.Add((label, window));
        }
        var defects = new List<string>();
        // Page by page at both widths, so both widths see each page in the same state.
        foreach (var p in Pages)
            foreach (var (label, page) in windows)
            {
                defects.AddRange((await CheckAsync(page, p)).Select(d => $"{p.Url} at {label}: {d}"));
                output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, $"narrow-{label}-{p.Name}"));
            }
        Assert.True(defects.Count == 0, string.Join("\n", defects));
    }

    static async Task<List<string>> CheckAsync(IPage page, PageCase p)
    {
        var defects = new List<string>();
        if (p.Interactive) await page.OpenAsync(p.Url);
        else await page.GotoAsync(p.Url);

        try { await Assertions.Expect(page.GetByText(p.Expected).First).ToBeVisibleAsync(); }
        catch (PlaywrightException) { defects.Add($"does not show \"{p.Expected}\""); }

        // Nothing still loading once the page has settled: a grid's loading bar or a spinner that never ends.
        try { await Assertions.Expect(page.Locator(".mud-progress-circular, .mud-table-loading-progress, .mud-skeleton").Locator("visible=true")).ToHaveCountAsync(0); }
        catch (PlaywrightException) { defects.Add("still shows a spinner or loading bar"); }

        // A chart is drawn only with data to draw; an empty one shows its empty state instead.
        var charts = page.Locator(".chart");
        var count = await charts.CountAsync();
        if (count > 0)
        {
            await Assertions.Expect(page.Locator(".chart .js-plotly-plot .main-svg").First).ToBeAttachedAsync();
            var empty = await page.EvaluateAsync<int>("""
                () => [...document.querySelectorAll('.chart .js-plotly-plot')].filter(gd =>
                    !(gd.data ?? []).some(t => [t.type === 'histogram' || t.orientation === 'h' ? 'x' : 'y', 'z', 'values'].some(k => Array.isArray(t[k]) && t[k].some(v => v !== null && v !== 0)))).length
                """);
            if (empty > 0) defects.Add($"draws {empty} chart(s) without data");
        }

        // An empty state inside a grid that scrolls sideways is cut off at the grid's edge.
        var cut = await page.EvaluateAsync<int>("""
            () => [...document.querySelectorAll('.empty-state')].filter(e => {
                const box = e.closest('.mud-table-container'); if (!box || e.offsetParent === null) return false;
                return e.getBoundingClientRect().right > box.getBoundingClientRect().right + 1; }).length
            """);
        if (cut > 0) defects.Add($"{cut} empty state(s) cut off by a grid wider than its container");

        var title = await page.TitleAsync();
        if (title != $"{p.Title} · ALOE Studio" && !title.StartsWith(p.Title, StringComparison.Ordinal))
            defects.Add($"tab title is \"{title}\"");

        var overflow = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        if (overflow[0] > overflow[1] + 1)
        {
            var widest = await page.EvaluateAsync<string>("""
                () => { const w = document.documentElement.clientWidth;
                  return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
                    .slice(0, 4).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].slice(0, 3).join('.') + ' ' + Math.round(e.getBoundingClientRect().right)).join(', '); }
                """);
            defects.Add($"scrolls sideways ({overflow[0]} > {overflow[1]}): {widest}");
        }
        return defects;
    }
}
