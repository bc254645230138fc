using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.Testing;
using Aloe.Web.Jobs;
using Aloe.Web.Personas;
using Aloe.Web.Tests.Support;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MudBlazor;
using Aloe.Web.Hosting;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Configuration;

namespace Aloe.Web.Tests.Personas;

/// <summary>The Personas components rendered by bUnit over the real services of a test app (scripted LLM, fresh SQLite).</summary>
public sealed class PersonasComponentTests : MudComponentTest
{
    readonly AloeWebFactory factory = new();

    public PersonasComponentTests()
    {
        factory.ConfigureTestServices = services =>
        {
            services.RemoveAll<ILlmGateway>();
            services.AddSingleton<ILlmGateway>(new ScriptedLlmGateway());
        };
        var app = factory.Services;
        Services.AddSingleton(app.GetRequiredService<IDbContextFactory<AloeDbContext>>());
        Services.AddSingleton(app.GetRequiredService<PoolService>());
        Services.AddSingleton(app.GetRequiredService<PersonaService>());
        Services.AddSingleton(app.GetRequiredService<GenerationService>());
        Services.AddSingleton(app.GetRequiredService<JobService>());
        Services.AddSingleton(app.GetRequiredService<JobWatcher>());
        Services.AddSingleton(app.GetRequiredService<ILlmGateway>());
        Services.AddSingleton(app.GetRequiredService<EmbedderCalibrationService>());
        // A 4 KB upload limit, so that a test file can exceed it.
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddConfiguration(app.GetRequiredService<IConfiguration>())
            .AddInMemoryCollection(new Dictionary<string, string?> { [ApiProblems.MaxUploadSetting] = "4096" })
            .Build());
        // The rest (internal services such as the generation forecast) from the app.
        Services.AddFallbackServiceProvider(app);
    }

    protected override async Task OnDisposedAsync() => await factory.DisposeAsync();

    async Task<int> GenerationRunsAsync()
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<AloeDbContext>>().CreateDbContextAsync();
        return await db.Set<JobRun>().CountAsync(r => r.Kind == PoolGenerationJob.JobKind);
    }

    [Fact]
    public void PoolGridShowsThePoolPageByPageWithSourceBadges()
    {
        RenderProviders();
        var grid = Render<PoolItemsGrid>(p => p.Add(c => c.Kind, PoolKind.Profile));

        grid.WaitForAssertion(() => Assert.Equal(25, grid.FindAll("tbody tr.mud-table-row").Count));
        Assert.NotEmpty(grid.FindAll(".source-seed"));
        Assert.Contains(System.Net.WebUtility.HtmlEncode(SeedPools.Read(PoolKind.Profile)[0]), grid.Markup);
        Assert.Contains("1-25 of 40", grid.Markup); // 20 training and 20 evaluation seeds
    }

    [Fact]
    public async Task AFileOverTheUploadLimitIsRefusedSayingTheLimitAndImportsNothing()
    {
        RenderProviders();
        var grid = Render<PoolItemsGrid>(p => p.Add(c => c.Kind, PoolKind.Profile));
        var big = string.Concat(Enumerable.Range(0, 200).Select(i => $"\"A profile of quokka keeper number {i} who rows to work\"\n"));

        grid.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(big, "big.jsonl"));

        var snackbar = Services.GetRequiredService<ISnackbar>();
        grid.WaitForAssertion(() => Assert.True(snackbar.ShownSnackbars.Any(s => s.Message!.Contains("larger than the limit of 4 KB", StringComparison.Ordinal)
            && s.Message!.Contains("aloe personas import", StringComparison.Ordinal)), "snackbars: " + string.Join(" | ", snackbar.ShownSnackbars.Select(s => s.Message))), TimeSpan.FromSeconds(10));
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<AloeDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Set<PoolItem>().AnyAsync(i => i.Text.Contains("quokka keeper")));
    }

    [Fact]
    public async Task TheCalibrationPanelComparesParaphrasesWithUnrelatedPairsAndSaysWhatAChosenThresholdDrops()
    {
        RenderProviders();
        var panel = Render<CalibrationPanel>(p => p.Add(c => c.Kind, PoolKind.Profile));
        Assert.Contains("embedder scripted-bow-256", panel.Markup);
        panel.WaitForAssertion(() => Assert.Equal("paper's fallback (its embedder's value, not calibrated for this one)", panel.Find("[data-figure=source]").TextContent));
        Assert.Contains("calibrate before relying on it", panel.Find(".threshold-in-force").TextContent);
        Assert.Empty(panel.FindAll(".reset-threshold")); // nothing stored to reset

        await panel.Find(".calibration-panel button").ClickAsync(new());

        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("[data-figure=suggested]")), TimeSpan.FromSeconds(30));
        var expected = await Services.GetRequiredService<EmbedderCalibrationService>().CalibrateAsync();
        Assert.Equal(expected.SuggestedThreshold.ToString("0.00"), panel.Find("[data-figure=suggested]").TextContent);
        Assert.Equal(expected.SuggestedThreshold.ToString("0.00"), panel.Find("[data-figure=chosen]").TextContent);
        var profiles = expected.Kinds.Single(k => k.Kind == PoolKind.Profile);
        Assert.Equal((profiles.PoolItems - profiles.KeptAtSuggested).ToString("N0"), panel.Find("[data-figure=dropped]").TextContent);
        Assert.Contains($"of the {profiles.PoolItems} profiles in the pool", panel.Find(".would-drop").TextContent);
        Assert.Contains($"Personas:Thresholds:scripted-bow-256 = {expected.SuggestedThreshold:0.00}", panel.Find(".calibration-setting").TextContent);
        // The histogram holds both distributions, every pair of each.
        var chart = panel.FindComponent<Aloe.Web.Shared.Chart>().Instance.Spec;
        Assert.Equal(2, chart.Data.Count);
        Assert.Equal(profiles.Unrelated.Pairs, ((Plotly.Blazor.Traces.Histogram)chart.Data[0]).X.Count);
        Assert.Equal(profiles.Paraphrases.Pairs, ((Plotly.Blazor.Traces.Histogram)chart.Data[1]).X.Count);
        Assert.Equal(2, chart.Layout.Shapes.Count); // the separating threshold and the chosen one
    }

    [Fact]
    public async Task TheGenerationFormStartsWithARandomSeedAndRefusesANegativeOne()
    {
        RenderProviders();
        var first = Render<GenerationForm>().Find("input[name=seed]").GetAttribute("value");
        var form = Render<GenerationForm>();
        Assert.NotEqual(first, form.Find("input[name=seed]").GetAttribute("value"));

        form.Find("input[name=seed]").Change("-3");
        await form.Find(".generate-form button.mud-button-filled").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Contains("Seed must be between 0 and 2,147,483,647.", form.Markup));
        Assert.Equal(0, await GenerationRunsAsync());
    }

    [Fact]
    public async Task TheGenerationFormRecordsTheSeedAndBudgetWithTheRunsJob()
    {
        RenderProviders();
        var form = Render<GenerationForm>();

        form.Find("input[name=maxRounds]").Change("2");
        form.Find("input[name=callsPerRound]").Change("1");
        form.Find("input[name=seed]").Change("31");
        form.Find("input[name=budget]").Change("3");
        await form.Find(".generate-form button.mud-button-filled").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Equal(1, GenerationRunsAsync().GetAwaiter().GetResult()));
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<AloeDbContext>>().CreateDbContextAsync();
        var job = await db.Set<JobRun>().SingleAsync(r => r.Kind == PoolGenerationJob.JobKind);
        Assert.Contains("\"seed\":31", job.ParametersJson);
        Assert.Equal(3, (await db.Set<LlmRunBudget>().SingleAsync(b => b.RunId == job.Id)).CapUsd);
    }

    [Theory]
    [InlineData("maxRounds", "99999999999", "Max rounds must be between 1 and 1,000.")]
    [InlineData("maxRounds", "lots", "Max rounds must be a whole number.")]
    [InlineData("callsPerRound", "17", "Calls per round must be between 1 and 16.")]
    [InlineData("threshold", "1.5", "Threshold must be between 0 and 1.")]
    [InlineData("threshold", "abc", "Threshold must be a number.")]
    [InlineData("budget", "0", "Budget must be more than $0")]
    [InlineData("budget", "cheap", "Budget must be a number.")]
    public async Task GenerationFormRefusesBadNumbersAtTheFieldAndStartsNothing(string field, string value, string message)
    {
        RenderProviders();
        var form = Render<GenerationForm>();

        form.Find($"input[name={field}]").Change(value);
        await form.Find(".generate-form button.mud-button-filled").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Contains(message, form.Markup));
        Assert.Equal(0, await GenerationRunsAsync());
    }

    [Fact]
    public async Task AGenerationThatMayAddManyItemsAsksFirst()
    {
        var dialogs = RenderProviders();
        var form = Render<GenerationForm>();

        form.Find("input[name=callsPerRound]").Change("16"); // 30 rounds x 16 calls x 20 items
        // Not awaited: the click's handler waits for the answer to the dialog it opens.
        var click = form.Find(".generate-form button.mud-button-filled").ClickAsync(new());

        dialogs.WaitForAssertion(() => Assert.Contains("Add many items to the pool?", dialogs.Markup));
        Assert.Contains("up to 9,600", dialogs.Markup);
        Assert.False(click.IsCompleted);
        Assert.Equal(0, await GenerationRunsAsync());
    }

    [Fact]
    public async Task PairingRefusesACountThatIsNotANumber()
    {
        RenderProviders();
        var grid = Render<PersonasGrid>();

        grid.Find("input[name=count]").Change("ten");
        await grid.FindAll(".pair-form button").First(b => b.TextContent.Contains("Pair")).ClickAsync(new());

        grid.WaitForAssertion(() => Assert.Contains("Count must be a whole number.", grid.Markup));
        Assert.Equal(0, (await factory.Services.GetRequiredService<PersonaService>().ListAsync(null, null)).Total);
    }

    [Fact]
    public async Task PersonasGridSaysHowEachPersonaWasPairedAndMarksThoseOnSimulatedItems()
    {
        var personas = factory.Services.GetRequiredService<PersonaService>();
        await personas.PairPerProfileAsync(2, seed: 1);
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<AloeDbContext>>().CreateDbContextAsync())
        {
            // One profile written by a simulated generation run.
            db.Add(new GenerationRun { Id = 777, Kind = PoolKind.Profile, Split = PoolSplit.Train, Simulated = true, Provenance = new() { EmbedderId = "e" } });
            await db.SaveChangesAsync();
            var profile = await db.Set<PoolItem>().Where(i => i.Kind == PoolKind.Profile && i.Split == PoolSplit.Train).OrderBy(i => i.Id).FirstAsync();
            profile.GenerationRunId = 777;
            await db.SaveChangesAsync();
        }
        RenderProviders();
        var grid = Render<PersonasGrid>();

        grid.WaitForAssertion(() => Assert.Equal(25, grid.FindAll("tbody tr.mud-table-row").Count));
        Assert.Contains("per-profile", grid.Markup);
        Assert.Equal(2, grid.FindAll(".simulated-item").Count); // the simulated profile's two personas, both on the first page (id order)

        var pool = Render<PoolItemsGrid>(p => p.Add(c => c.Kind, PoolKind.Profile));
        pool.WaitForAssertion(() => Assert.Single(pool.FindAll(".simulated-item")));
    }

    [Fact]
    public void TheGenerationFormForecastsEveryRoundsCallsAndFollowsTheFields()
    {
        RenderProviders();
        var form = Render<GenerationForm>();

        form.WaitForAssertion(() => Assert.Equal("60", form.Find("[data-figure=calls]").TextContent)); // 30 rounds x 2 calls
        Assert.Contains("upper bound", form.Markup);

        form.Find("input[name=maxRounds]").Change("5");
        form.WaitForAssertion(() => Assert.Equal("10", form.Find("[data-figure=calls]").TextContent));
    }
}
