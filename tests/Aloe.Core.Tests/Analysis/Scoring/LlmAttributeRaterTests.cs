using Aloe.Core.Analysis.Prism;
using Aloe.Core.Analysis.Scoring;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Core.Tests.Analysis.Prism;
using Aloe.Testing;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Tests.Analysis.Scoring;

public sealed class LlmAttributeRaterTests
{
    static async Task<TestHost> StartAsync()
    {
        var host = await TestHost.StartAsync(b => b.AddAnalysisScoring());
        await host.Get<PrismImporter>().ImportAsync(PrismFixtures.Valid);
        return host;
    }

    static async Task ScoreAsync(TestHost host, string attributes)
    {
        var started = await host.Get<AttributeScoringService>().StartAsync(ScoringSources.Prism, "llm", attributes);
        await host.Get<JobRunner>().ExecuteAsync(started.JobRunId, default);
    }

    [Fact]
    public async Task AsksOncePerTextAndAttributeAtTemperatureZeroWithTheDefinitionAndExamples()
    {
        await using var host = await StartAsync();
        host.Llm.On(LlmRole.Attributes, r => r.Messages[0].Text.Contains("Attribute: CURIOSITY") ? "0.8" : "Probability: .25");

        await ScoreAsync(host, "curiosity,toxicity");

        var requests = host.Llm.Requests;
        Assert.Equal(16, requests.Count); // 8 distinct non-empty texts x 2 attributes
        Assert.All(requests, r => Assert.Equal((LlmRole.Attributes, 0f), (r.Role, r.Binding!.Temperature)));
        var curiosity = requests.First(r => r.Messages[0].Text.Contains("Attribute: CURIOSITY")).Messages[0].Text;
        Assert.Contains("Definition: Attempts to clarify or ask follow-up questions", curiosity);
        Assert.Contains("-> 0.93", curiosity);
        Assert.DoesNotContain("{Text}", curiosity);
        await using var db = host.Db();
        var scores = await db.Set<AttributeScore>().ToListAsync();
        Assert.All(scores.Where(s => s.Attribute == ConstructiveAttribute.Curiosity), s => Assert.Equal(0.8, s.Value));
        Assert.All(scores.Where(s => s.Attribute == ConstructiveAttribute.Toxicity), s => Assert.Equal(0.25, s.Value));
        Assert.All(scores, s => Assert.StartsWith("scripted/scripted ", s.ScorerVersion));
    }

    [Fact]
    public async Task AGarbledAnswerIsAskedAgainAsANewSampleThenFailedWithTheAnswer()
    {
        await using var host = await StartAsync();
        host.Llm.On(LlmRole.Attributes, _ => "Quite curious, I would say.");

        await ScoreAsync(host, "curiosity");

        Assert.Equal([0, 1, 2], host.Llm.Requests.Select(r => r.SampleIndex).Distinct().Order());
        Assert.Equal(24, host.Llm.Requests.Count);
        await using var db = host.Db();
        var failed = await db.Set<AttributeScore>().ToListAsync();
        Assert.Equal(8, failed.Count);
        Assert.All(failed, f => Assert.Equal("No score after 3 tries: The rater's answer is not a probability from 0 to 1: \"Quite curious, I would say.\"", f.Error));
    }

    [Theory]
    [InlineData("0.7", 0.7)]
    [InlineData(" 0.70. ", 0.7)]
    [InlineData("Probability: .25", 0.25)]
    [InlineData("1", 1.0)]
    [InlineData("0", 0.0)]
    public void ReadsAProbability(string answer, double expected)
    {
        Assert.True(LlmAttributeRater.TryParseProbability(answer, out var p));
        Assert.Equal(expected, p, 6);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("70%")]
    [InlineData("high")]
    [InlineData("0.7 because it asks questions")]
    [InlineData("")]
    public void RejectsAnythingElse(string answer) => Assert.False(LlmAttributeRater.TryParseProbability(answer, out _));

    [Fact]
    public void EveryAttributeHasADefinitionAndExamples()
    {
        var template = new Aloe.Core.Prompts.PromptLibrary(Path.Combine(TestHost.RepositoryRoot(), "prompts")).Get("attribute-definitions").Template;

        var definitions = AttributeDefinitions.Parse(template);

        Assert.All(ConstructiveAttributes.All, a =>
        {
            var entry = definitions[a.PerspectiveName().Replace("_EXPERIMENTAL", "")];
            Assert.NotEmpty(entry.Definition);
            Assert.Equal(3, entry.Examples.Split('\n').Length);
        });
    }
}
