using System.Text.RegularExpressions;
using Aloe.Core.Auth;
using Aloe.Core.Data;
using Aloe.Testing.Annotation;
using Aloe.Web.Auth;
using Aloe.Web.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Aloe.Web.Tests.Annotation;

/// <summary>The app as a lab server: loopback is not the local admin, so everyone signs in (as in the Docker image).</summary>
public sealed class RequireSignInWebFactory : AloeWebFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:LoopbackIsAdmin", "false");
    }
}

public sealed class SignInBrowserFixture() : BrowserFixture(new RequireSignInWebFactory());

public sealed class SignInAnnotationBrowserTests(SignInBrowserFixture browser, ITestOutputHelper output) : IClassFixture<SignInBrowserFixture>
{
    const string ResearcherPassword = "correct horse battery";

    [SkippableFact]
    public async Task AResearcherSignsInInvitesTwoAnnotatorsWhoRateByKeyboardAndOpensTheReport()
    {
        BrowserFixture.SkipUnlessChromium();
        await using (var db = await browser.Services.GetRequiredService<IDbContextFactory<AloeDbContext>>().CreateDbContextAsync())
            await AnnotationTestData.SeedBenchmarkRunAsync(db, cases: 10, turns: 4);
        await using (var scope = browser.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var researcher = new IdentityUser("rita");
            Assert.True((await users.CreateAsync(researcher, ResearcherPassword)).Succeeded);
            await users.AddToRoleAsync(researcher, Roles.Researcher);
        }

        var page = await browser.NewPageAsync();
        await page.GotoAsync("/annotation");
        await page.WaitForURLAsync(new Regex("/account/login"));
        await page.Locator("#user-name").FillAsync("rita");
        await page.Locator("#password").FillAsync("wrong password!");
        await page.Locator("#sign-in").ClickAsync();
        await Assertions.Expect(page.Locator("#login-error")).ToBeVisibleAsync();
        await page.Locator("#user-name").FillAsync("rita");
        await page.Locator("#password").FillAsync(ResearcherPassword);
        await BrowserFixture.ScreenshotAsync(page, "annotation-sign-in");
        await page.Locator("#sign-in").ClickAsync();
        await page.WaitForURLAsync(new Regex("/annotation$"));
        await page.WaitForBlazorAsync();

        await page.Locator("#campaign-per-turn").FillAsync("3");
        await page.Locator("#campaign-create").ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/annotation/\d+$"));
        await page.WaitForBlazorAsync();
        var invites = new List<string>();
        foreach (var name in new[] { "ada", "ben" })
        {
            await page.Locator("#annotator-name").FillAsync(name);
            await page.Locator("#annotator-invite").ClickAsync();
            await Assertions.Expect(page.Locator("#invite-link")).ToContainTextAsync($"Invite for {name}");
            invites.Add(await page.Locator("#invite-link code").InnerTextAsync());
        }

        for (var a = 0; a < 2; a++)
        {
            await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = browser.BaseUrl, ViewportSize = new() { Width = 1400, Height = 900 } });
            var annotator = await context.NewPageAsync();
            BrowserFixture.UseTimeouts(annotator);
            await annotator.GotoAsync(invites[a]);
            await annotator.Locator("#password").FillAsync($"annotator {a} password");
            if (a == 0)
                await BrowserFixture.ScreenshotAsync(annotator, "annotation-invite");
            await annotator.Locator("#accept").ClickAsync();
            await annotator.WaitForURLAsync(new Regex(@"/annotate/\d+$"));
            await annotator.WaitForBlazorAsync();
            await Assertions.Expect(annotator.Locator("#progress-text")).ToContainTextAsync("0 of 12 done");
            for (var i = 0; i < 12; i++)
            {
                await annotator.Keyboard.PressAsync(a == 0 ? (1 + i % 5).ToString() : (i % 3 == 0 ? "2" : "3"));
                await Assertions.Expect(annotator.Locator("#progress-text")).ToContainTextAsync($"{i + 1} of 12 done");
            }
            // An annotator reaches only their own items: researcher pages send them back, and the menu offers nothing else.
            await annotator.GotoAsync("/benchmark");
            await annotator.WaitForURLAsync(new Regex("/annotate$"));
            await annotator.WaitForBlazorAsync();
            await Assertions.Expect(annotator.Locator(".mud-nav-link")).ToHaveTextAsync(["My assignments"]);
            await Assertions.Expect(annotator.Locator(".assignment")).ToHaveCountAsync(1);
            await Assertions.Expect(annotator.Locator("#sign-out")).ToBeVisibleAsync();
            if (a == 0)
                await BrowserFixture.ScreenshotAsync(annotator, "annotation-my-assignments");
            await annotator.GotoAsync("/");
            await annotator.WaitForURLAsync(new Regex("/annotate$"));
            Assert.Equal(403, (await annotator.APIRequest.GetAsync(browser.BaseUrl + "/api/annotation/campaigns")).Status);
            // The invite was single use.
            await annotator.GotoAsync(invites[a]);
            await Assertions.Expect(annotator.GetByText("Invite not valid")).ToBeVisibleAsync();
        }

        // Every write names its author: the researcher's campaign and invites, each annotator's own account.
        await page.GotoAsync("/jobs");
        await page.WaitForBlazorAsync();
        var activity = page.Locator(".activity-grid tbody tr");
        await Assertions.Expect(activity.Filter(new() { HasText = "invite for" })).ToHaveCountAsync(2);
        await Assertions.Expect(activity.Filter(new() { HasText = "rita" })).ToHaveCountAsync(3);
        await Assertions.Expect(activity.Filter(new() { HasText = "create-user" })).ToHaveCountAsync(2);
        await Assertions.Expect(activity.Filter(new() { HasText = "ada.c" })).ToHaveCountAsync(1);

        await page.OpenAsync("/annotation"); // a click before the circuit is up can be lost (BlazorPage)
        await page.Locator("#campaigns a").First.ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/annotation/\d+$"));
        await page.WaitForBlazorAsync();
        await Assertions.Expect(page.Locator("#kappa tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#kappa tr.mean")).ToContainTextAsync(new Regex(@"-?\d\.\d{3}"));
        await Assertions.Expect(page.Locator("#progress tbody tr", new() { HasText = "ben" })).ToContainTextAsync("12 / 12");
        await Assertions.Expect(page.Locator(".chart .hm, .chart .heatmaplayer").First).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator(".chart .legend .traces")).ToHaveCountAsync(4);
        output.WriteLine("Screenshot: " + await BrowserFixture.ScreenshotAsync(page, "annotation-report-signed-in"));
    }
}
