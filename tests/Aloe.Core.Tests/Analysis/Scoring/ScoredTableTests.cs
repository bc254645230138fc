using Aloe.Core.Analysis.Prism;
using Aloe.Core.Analysis.Scoring;
using Aloe.Core.Jobs;
using Aloe.Core.Tests.Analysis.Prism;
using Aloe.Testing;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Tests.Analysis.Scoring;

public sealed class ScoredTableTests
{
    static async Task<TestHost> StartAsync()
    {
        var host = await TestHost.StartAsync(b => b.AddAnalysisScoring());
        await host.Get<PrismImporter>().ImportAsync(PrismFixtures.Valid);
        return host;
    }

    [Fact]
    public async Task ResponsesCarryTheirPromptsAttributesOutcomeGroupsAndModerators()
    {
        await using var host = await StartAsync();
        var started = await host.Get<AttributeScoringService>().StartAsync(ScoringSources.Prism, "simulated");
        await host.Get<JobRunner>().ExecuteAsync(started.JobRunId, default);

        var table = await host.Get<ScoredTableService>().GetAsync(ScoringSources.Prism, "simulated");

        Assert.True(table.Simulated);
        Assert.Equal(10, table.Rows.Count);
        var prompt = table.Rows.Single(r => r.TextId == "prism:c0-t0:prompt");
        var response = table.Rows.Single(r => r.TextId == "prism:c0-t0-w17:response");
        Assert.Equal(prompt.Attributes, response.PromptAttributes);
        Assert.Equal(SimulatedAttributeScorer.Score(
            "Because people weigh economic evidence and cultural identity differently; however, both sides often share concerns about fairness.",
            ConstructiveAttribute.Reasoning), response.Attributes["reasoning"]);
        Assert.Equal(response.Attributes["reasoning"] * response.Attributes["nuance"], response.Attributes["reasoning_nuance"]);
        Assert.Equal((1.0, 82.0, "user0", "c0", "model-a", "controversy guided", 1.0),
            (response.Chosen, response.Score, response.User, response.Conversation, response.Model, response.Category, response.Moderators["high_values"]));
        Assert.All(table.Rows.Single(r => r.TextId == "prism:c0-t1-w1:response").Attributes.Values, v => Assert.Null(v));
    }

    [Fact]
    public async Task TheResponsesCsvHasOneLinePerResponseWithLogScore()
    {
        await using var host = await StartAsync();
        var started = await host.Get<AttributeScoringService>().StartAsync(ScoringSources.Prism, "simulated");
        await host.Get<JobRunner>().ExecuteAsync(started.JobRunId, default);
        var table = await host.Get<ScoredTableService>().GetAsync(ScoringSources.Prism, "simulated");
        var output = new StringWriter();

        ScoredTableService.WriteResponsesCsv(table, output);

        var lines = output.ToString().TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(8, lines.Count);
        var header = lines[0].Split(',');
        Assert.Contains("prompt_reasoning_nuance", header);
        Assert.Contains("younger", header);
        var first = lines[1].Split(',');
        Assert.Equal(Math.Log(82).ToString("R", System.Globalization.CultureInfo.InvariantCulture), first[Array.IndexOf(header, "log_score")]);
    }

    [Fact]
    public async Task ACsvOfScoresIsImportedWholeOrNotAtAll()
    {
        await using var host = await StartAsync();
        var importer = host.Get<ScoreCsvImporter>();

        var result = await importer.ImportAsync(ScoringSources.Prism, new StringReader(
            "text_id,TOXICITY,personal_story\nprism:c0-t0:prompt,0.1,0.2\nprism:c0-t0-w3:response,0.3,\n"), "jigsaw-2024");
        var error = await Assert.ThrowsAsync<FormatException>(() => importer.ImportAsync(ScoringSources.Prism, new StringReader(
            "text_id,toxicity\nprism:c0-t0:prompt,0.9\nprism:nope:response,0.1\nprism:c0-t0-w3:response,1.7\nprism:c0-t0:prompt,0.2\n"), "jigsaw-2024"));

        Assert.Equal((2, 3), (result.Texts, result.Scores));
        Assert.Contains("line 3: no text 'prism:nope:response' in prism", error.Message);
        Assert.Contains("line 4: toxicity '1.7' is not a probability from 0 to 1", error.Message);
        Assert.Contains("line 5: text 'prism:c0-t0:prompt' already on line 2", error.Message);
        var table = await host.Get<ScoredTableService>().GetAsync(ScoringSources.Prism, "csv", "jigsaw-2024");
        Assert.Equal(0.1, table.Rows.Single(r => r.TextId == "prism:c0-t0:prompt").Attributes["toxicity"]);
        await using var db = host.Db();
        Assert.Equal(3, await db.Set<AttributeScore>().CountAsync());
    }
}
