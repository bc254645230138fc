using Aloe.Core.Benchmark;
using Aloe.Core.Data;
using Aloe.Testing;
using Aloe.Web.Benchmark;
using Aloe.Web.Jobs;
using Aloe.Web.Tests.Support;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aloe.Web.Tests.Benchmark;

/// <summary>The benchmark components over a test host with the web tests' four cases and scripted models.</summary>
public sealed class BenchmarkComponentTests() : HostedComponentTest(b =>
    {
        b.AddBenchmark();
        BenchmarkWebFactory.Configure(b.Services);
    }, typeof(Aloe.Core.Llm.ILlmGateway), typeof(BenchmarkService), typeof(IBenchmarkCaseSource), typeof(BenchmarkForecast))
{
    [Theory]
    [InlineData("cases", "99999999999", "Cases must be between 1 and 4.")]
    [InlineData("cases", "5", "Cases must be between 1 and 4.")]
    [InlineData("cases", "lots", "Cases must be a whole number.")]
    [InlineData("turns", "1", "Turns must be between 2 and 50.")]
    [InlineData("turns", "99999999999", "Turns must be between 2 and 50.")]
    [InlineData("seed", "-1", "Seed must be between 0 and 2,147,483,647.")]
    [InlineData("seed", "lucky", "Seed must be a whole number.")]
    [InlineData("seed", "", "Seed is required.")]
    [InlineData("budget", "0", "Budget must be more than $0")]
    [InlineData("budget", "-2", "Budget must be between 0 and 1000000.")]
    [InlineData("budget", "ten", "Budget must be a number.")]
    public async Task TheStartFormRefusesABadValueAtItsFieldAndStartsNothing(string field, string value, string message)
    {
        var form = Render<StartRunForm>();

        form.Find($"#{field}").Change(value);
        await form.Find("button.mud-button-filled").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Contains(message, form.Markup));
        await using var db = Host.Db();
        Assert.False(await db.Set<BenchmarkRun>().AnyAsync());
    }

    [Fact]
    public async Task AnUnknownEndpointIsAMessageAtTheEndpointField()
    {
        ((ScriptedLlmGateway)Services.GetRequiredService<Aloe.Core.Llm.ILlmGateway>()).KnownEndpoint = endpoint => endpoint == "scripted";
        var form = Render<StartRunForm>();

        form.Find("#endpoint").Change("no-such-endpoint");
        await form.Find("button.mud-button-filled").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Contains("Unknown LLM endpoint 'no-such-endpoint'", form.Markup));
        await using var db = Host.Db();
        Assert.False(await db.Set<BenchmarkRun>().AnyAsync());
    }

    [Fact]
    public async Task TheStartFormStartsARunOfTheChosenSizeAndOpensItsPage()
    {
        var form = Render<StartRunForm>();

        form.Find("#cases").Change("2");
        form.Find("#turns").Change("3");
        await form.Find("button.mud-button-filled").ClickAsync(new());

        var navigation = Services.GetRequiredService<NavigationManager>();
        form.WaitForAssertion(() => Assert.Matches(@"/benchmark/runs/\d+$", navigation.Uri));
        await using var db = Host.Db();
        var run = await db.Set<BenchmarkRun>().SingleAsync();
        Assert.Equal((2, 3), (run.CaseCount, run.Turns));
    }

    [Fact]
    public async Task TheStartFormRecordsTheChosenSeedAndBudgetOnTheRun()
    {
        var form = Render<StartRunForm>();
        Assert.Matches(@"^\d+$", form.Find("#seed").GetAttribute("value")); // random by default, shown

        form.Find("#cases").Change("1");
        form.Find("#turns").Change("2");
        form.Find("#seed").Change("4242");
        form.Find("#budget").Change("1.5");
        await form.Find("button.mud-button-filled").ClickAsync(new());

        form.WaitForAssertion(() => Assert.Matches(@"/benchmark/runs/\d+$", Services.GetRequiredService<NavigationManager>().Uri));
        await using var db = Host.Db();
        var run = await db.Set<BenchmarkRun>().SingleAsync();
        Assert.Equal(4242, run.Seed);
        Assert.Equal(1.5, (await db.Set<Aloe.Core.Llm.LlmRunBudget>().SingleAsync(b => b.RunId == run.JobRunId)).CapUsd);
    }

    [Fact]
    public async Task TheReJudgeFormShowsTheRunsSeedAndRecordsItsBudget()
    {
        var run = await Services.GetRequiredService<BenchmarkService>().StartRunAsync(new BenchmarkRunRequest { EvaluatedModel = "flat", Cases = 1, Turns = 2, Seed = 99 });
        var form = Render<RejudgeForm>(p => p.Add(c => c.RunId, run.Id).Add(c => c.Seed, run.Seed));
        Assert.Equal("99", form.Find("#rejudgeSeed").GetAttribute("value"));

        form.Find("#rejudgeBudget").Change("-1");
        await form.Find(".rejudge-form button.mud-button-outlined").ClickAsync(new());
        form.WaitForAssertion(() => Assert.Contains("Budget must be between 0 and 1000000.", form.Markup));

        form.Find("#rejudgeBudget").Change("2.5");
        await form.Find(".rejudge-form button.mud-button-outlined").ClickAsync(new());

        await using var db = Host.Db();
        form.WaitForAssertion(() => Assert.Equal(2, db.Set<BenchmarkScoring>().Count(s => s.RunId == run.Id)));
        var scoring = await db.Set<BenchmarkScoring>().Where(s => s.RunId == run.Id).OrderBy(s => s.Id).LastAsync();
        Assert.Equal(2.5, (await db.Set<Aloe.Core.Llm.LlmRunBudget>().SingleAsync(b => b.RunId == scoring.JobRunId)).CapUsd);
    }

    [Fact]
    public void TheForecastFollowsTheCasesAndTurnsAsTheyChange()
    {
        var form = Render<StartRunForm>();
        // 4 cases x 10 turns, one call each of RolePlay, Evaluated and Judge per turn.
        form.WaitForAssertion(() => Assert.Equal("120", form.Find("[data-figure=calls]").TextContent));

        form.Find("#turns").Change("3");
        form.WaitForAssertion(() => Assert.Equal("36", form.Find("[data-figure=calls]").TextContent));
        form.Find("#cases").Change("2");
        form.WaitForAssertion(() => Assert.Equal("18", form.Find("[data-figure=calls]").TextContent));

        form.Find("#turns").Change("99");
        form.WaitForAssertion(() => Assert.Contains("Correct the fields to see the forecast.", form.Find(".forecast-panel").TextContent));
    }

    [Theory]
    [InlineData(1, "#d64545")]
    [InlineData(5, "#2f9e5b")]
    public void AScoreCellIsColouredByItsScore(int score, string colour)
    {
        var cell = Render<ScoreCell>(p => p.Add(c => c.Score, score).Add(c => c.Reached, true));

        Assert.Contains($"score-{score}", cell.Find(".score-cell").ClassName);
        Assert.Equal(score.ToString(), cell.Find(".score-cell").TextContent);
        // The colour is the stylesheet's (not an inline style per cell).
        var css = File.ReadAllText(Path.Combine(Aloe.Testing.TestHost.RepositoryRoot(), "src", "Aloe.Web", "wwwroot", "css", "app.css"));
        Assert.Contains($".score-{score} {{ background: {colour};", css);
    }

    [Fact]
    public void AResponseTheJudgeCouldNotScoreIsACross()
    {
        var cell = Render<ScoreCell>(p => p.Add(c => c.Score, null).Add(c => c.Reached, true));

        Assert.Equal("✕", cell.Find(".score-cell").TextContent);
        Assert.Contains("score-failed", cell.Find(".score-cell").ClassName);
    }
}
