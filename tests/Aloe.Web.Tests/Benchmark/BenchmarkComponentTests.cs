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
    }, typeof(Aloe.Core.Llm.ILlmGateway), typeof(BenchmarkService), typeof(IBenchmarkCaseSource))
{
    [Theory]
    [InlineData("cases", "99999999999", "Cases must be between 1 and 4.")]
    [InlineData("cases", "5", "Cases must be between 1 and 4.")]
    [InlineData("cases", "lots", "Cases must be a whole number.")]
    [InlineData("turns", "1", "Turns must be between 2 and 50.")]
    [InlineData("turns", "99999999999", "Turns must be between 2 and 50.")]
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

    [Theory]
    [InlineData(1, "#d64545")]
    [InlineData(5, "#2f9e5b")]
    public void AScoreCellIsColouredByItsScore(int score, string colour)
    {
        var cell = Render<ScoreCell>(p => p.Add(c => c.Score, score).Add(c => c.Reached, true));

        Assert.Contains(colour, cell.Find(".score-cell").GetAttribute("style"));
        Assert.Equal(score.ToString(), cell.Find(".score-cell").TextContent);
    }

    [Fact]
    public void AResponseTheJudgeCouldNotScoreIsACross()
    {
        var cell = Render<ScoreCell>(p => p.Add(c => c.Score, null).Add(c => c.Reached, true));

        Assert.Equal("✕", cell.Find(".score-cell").TextContent);
        Assert.Contains("score-failed", cell.Find(".score-cell").ClassName);
    }
}
