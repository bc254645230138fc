using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aloe.Core.Data;
using Aloe.Core.Personas;
using Aloe.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Web.Tests.Llm;

/// <summary>Opening the forms and asking for their forecasts reads the data and writes none: no persona is paired on a fresh install.</summary>
public sealed class ForecastsReadOnlyTests : IDisposable
{
    readonly AloeWebFactory app = new();

    public void Dispose() => app.Dispose();

    async Task<(int Personas, int Items)> RowsAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AloeDbContext>>().CreateDbContextAsync();
        return (await db.Set<Persona>().CountAsync(), await db.Set<PoolItem>().CountAsync());
    }

    [Fact]
    public async Task TheDialogueAndBenchmarkPagesAndForecastsOfAFreshInstallPairNoPersonas()
    {
        var client = app.CreateBrowserlikeClient();
        var before = await RowsAsync();
        Assert.Equal(0, before.Personas);
        Assert.True(before.Items > 0); // the seed pools, loaded at start

        var dialogues = await client.GetStringAsync("/dialogues");
        var benchmark = await client.GetStringAsync("/benchmark");
        var build = await client.PostAsJsonAsync("/api/dialogues/forecast", new { personas = new { split = "train", count = 2, seed = 1 }, maxTurns = 3 });
        var run = await client.PostAsJsonAsync("/api/benchmark/forecast", new { evaluatedModel = "sim-adaptive", cases = 2, turns = 2 });
        var noEval = await client.PostAsJsonAsync("/api/dialogues/forecast", new { personas = new { split = "eval" }, maxTurns = 3 });

        Assert.Equal(before, await RowsAsync());
        Assert.Contains("Preference dialogues", dialogues);
        // The form still names the evaluation set it previews (100 cases of the seeds).
        Assert.Contains("seed-eval: 20 evaluation profiles x 5 personalities", benchmark);
        build.EnsureSuccessStatusCode();
        run.EnsureSuccessStatusCode();
        // 2 personas x 3 turns x 5 roles; 2 cases x 2 turns x 3 roles.
        Assert.Equal(30, (await build.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("calls").GetInt32());
        Assert.Equal(12, (await run.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("calls").GetInt32());
        // Only the training split is paired on demand: without evaluation personas there is nothing to forecast, said as a 400.
        Assert.Equal(HttpStatusCode.BadRequest, noEval.StatusCode);
        Assert.Contains("There are no eval personas yet", await noEval.Content.ReadAsStringAsync());
    }
}
