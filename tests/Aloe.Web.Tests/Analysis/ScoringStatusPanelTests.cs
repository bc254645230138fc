using Aloe.Core.Analysis.Scoring;
using Aloe.Web.Analysis;
using Aloe.Web.Tests.Support;
using Bunit;

namespace Aloe.Web.Tests.Analysis;

public sealed class ScoringStatusPanelTests : MudComponentTest
{
    static readonly string[] Scorers = ["simulated", "perspective", "llm"];

    [Fact]
    public void EachSourceShowsItsTextsAndWhichScorerVersionScoredHowManyWithSimulatedLabelled()
    {
        RenderProviders();
        var sources = new[]
        {
            new SourceStatus("dialogues", 150, 100, [new SourceScorerCount("simulated", "lexical-1", true, 120), new SourceScorerCount("perspective", "v1alpha1", false, 30)], null),
            new SourceStatus("prism", 0, 0, [], null),
            new SourceStatus("benchmark", 40, 20, [], new ScoringProgress(9, "benchmark", "simulated", "Running", 10, 40, 25, "10 of 40 texts scored", null, DateTimeOffset.UnixEpoch)),
        };

        var panel = Render<ScoringStatusPanel>(p => p.Add(c => c.Sources, sources).Add(c => c.ScorerIds, Scorers));

        var dialogues = panel.Find("tr[data-source='dialogues']");
        var counts = dialogues.QuerySelectorAll(".scorer-count").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["simulated lexical-1: 120 of 150 (simulated)", "perspective v1alpha1: 30 of 150"], counts);
        Assert.Contains("no texts", panel.Find("tr[data-source='prism']").TextContent);
        Assert.True(panel.Find("tr[data-source='prism'] button").HasAttribute("disabled"));
        // A scoring run in progress: its progress bar, and no second start.
        var benchmark = panel.Find("tr[data-source='benchmark']");
        Assert.Equal("25", benchmark.QuerySelector("[role=progressbar]")!.GetAttribute("aria-valuenow"));
        Assert.True(benchmark.QuerySelector("button")!.HasAttribute("disabled"));
    }

    [Fact]
    public void TheScoreButtonAsksForTheSourceWithTheChosenScorer()
    {
        RenderProviders();
        ScoringStatusPanel.ScoreRequest? asked = null;
        var panel = Render<ScoringStatusPanel>(p => p
            .Add(c => c.Sources, [new SourceStatus("dialogues", 3, 2, [], null)])
            .Add(c => c.ScorerIds, Scorers)
            .Add(c => c.OnScore, (ScoringStatusPanel.ScoreRequest r) => asked = r));

        Assert.Contains("not scored yet", panel.Find("tr[data-source='dialogues']").TextContent);
        panel.Find("tr[data-source='dialogues'] button").Click();

        Assert.Equal(new ScoringStatusPanel.ScoreRequest("dialogues", "simulated"), asked);
    }

    [Fact]
    public void WithNoTextsAnywhereThePanelSaysWhatToDoFirst()
    {
        var panel = Render<ScoringStatusPanel>(p => p.Add(c => c.Sources, [new SourceStatus("dialogues", 0, 0, [], null)]).Add(c => c.ScorerIds, Scorers));

        Assert.Equal("No texts to score yet", panel.Find(".empty-state h2").TextContent.Trim());
    }
}
