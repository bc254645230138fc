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
        // A 4 KB upload limit, so that a test file can exceed it.
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddConfiguration(app.GetRequiredService<IConfiguration>())
            .AddInMemoryCollection(new Dictionary<string, string?> { [ApiProblems.MaxUploadSetting] = "4096" })
            .Build());
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

    [Theory]
    [InlineData("maxRounds", "99999999999", "Max rounds must be between 1 and 1,000.")]
    [InlineData("maxRounds", "lots", "Max rounds must be a whole number.")]
    [InlineData("callsPerRound", "17", "Calls per round must be between 1 and 16.")]
    [InlineData("threshold", "1.5", "Threshold must be between 0 and 1.")]
    [InlineData("threshold", "abc", "Threshold must be a number.")]
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
            db.Add(new GenerationRun { Id = 777, Kind = PoolKind.Profile, Split = PoolSplit.Train, Simulated = true });
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
}
