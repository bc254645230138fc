using Aloe.Core.Analysis.Prism;
using Aloe.Core.Analysis.Scoring;
using Aloe.Testing;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Tests.Analysis.Prism;

public sealed class PrismImportTests
{
    static Task<TestHost> StartAsync() => TestHost.StartAsync(b => b.AddAnalysisScoring());

    [Fact]
    public async Task ImportsUtterancesConversationsAndSurveyKeepingEmptyTextsAndInterfaceIds()
    {
        await using var host = await StartAsync();

        var result = await host.Get<PrismImporter>().ImportAsync(PrismFixtures.Valid);

        Assert.Equal((7, 3, 2, 2, 3), (result.Utterances, result.Interactions, result.Conversations, result.Participants, result.EmptyTexts));
        await using var db = host.Db();
        var first = await db.Set<PrismUtterance>().SingleAsync(u => u.UtteranceId == "c0-t0-w17");
        Assert.Equal((0, 17, "controversy guided", true, 82, true), (first.Turn, first.WithinTurnId, first.ConversationType, first.IfChosen, first.Score, first.IncludedInBalancedSubset));
        Assert.Equal(PrismImporter.EmptyText, (await db.Set<PrismUtterance>().SingleAsync(u => u.UtteranceId == "c0-t1-w1")).ModelResponse);
        Assert.Equal(PrismImporter.EmptyText, (await db.Set<PrismConversation>().SingleAsync(c => c.ConversationId == "c1")).OpeningPrompt);
        var participant = await db.Set<PrismParticipant>().SingleAsync(p => p.UserId == "user0");
        Assert.Equal(("White", 80.0), (participant.Ethnicity, participant.ValuesPreference));
    }

    [Fact]
    public async Task ModeratorsFollowThePaper()
    {
        await using var host = await StartAsync();
        await host.Get<PrismImporter>().ImportAsync(PrismFixtures.Valid);

        var texts = await host.Get<IEnumerable<IScoringTextSource>>().Single(s => s.Name == ScoringSources.Prism).ListAsync(default);

        var young = texts.First(t => t.User == "user0").Moderators;
        var old = texts.First(t => t.User == "user1").Moderators;
        Assert.Equal([1.0, 1.0, 1.0, 1.0], PrismModerators.Names.Select(n => young[n]!.Value));
        Assert.Equal([0.0, 0.0, 0.0, 0.0], PrismModerators.Names.Select(n => old[n]!.Value));
        // One prompt per interaction (3), one response per utterance (7).
        Assert.Equal((3, 7), (texts.Count(t => t.Role == TextRole.Prompt), texts.Count(t => t.Role == TextRole.Response)));
    }

    [Fact]
    public async Task AMalformedFileIsReportedByLineAndNothingOfItIsStored()
    {
        await using var host = await StartAsync();
        var importer = host.Get<PrismImporter>();
        await importer.ImportAsync(PrismFixtures.Valid);
        var broken = PrismFixtures.CopyWith("utterances.jsonl", lines =>
        {
            lines[2] = lines[2].Replace("\"score\": 65", "\"score\": 150");
            lines[4] = lines[4].Replace(", \"included_in_balanced_subset\": true", "");
            lines[3] = lines[3].Replace("\"conversation_id\": \"c0\"", "\"conversation_id\": \"c9\"");
            lines.Add("{not json");
            return lines;
        });

        var error = await Assert.ThrowsAsync<FormatException>(() => importer.ImportAsync(broken));

        Assert.Contains("nothing was stored", error.Message);
        Assert.Contains("utterances.jsonl:3: score 150 is outside 1-100", error.Message);
        Assert.Contains("utterances.jsonl:5: missing field included_in_balanced_subset", error.Message);
        Assert.Contains("utterances.jsonl:4: conversation_id 'c9' is not in conversations.jsonl", error.Message);
        Assert.Contains("utterances.jsonl:8:", error.Message);
        await using var db = host.Db();
        Assert.Equal(7, await db.Set<PrismUtterance>().CountAsync());
    }

    [Fact]
    public async Task AMissingFileOrWrongConversationTypeIsAnError()
    {
        await using var host = await StartAsync();
        var badType = PrismFixtures.CopyWith("conversations.jsonl", lines => [lines[0].Replace("controversy guided", "guided"), lines[1]]);
        var noSurvey = PrismFixtures.CopyWith("survey.jsonl", lines => lines);
        File.Delete(Path.Combine(noSurvey, "survey.jsonl"));

        var typeError = await Assert.ThrowsAsync<FormatException>(() => host.Get<PrismImporter>().ImportAsync(badType));
        var fileError = await Assert.ThrowsAsync<FormatException>(() => host.Get<PrismImporter>().ImportAsync(noSurvey));

        Assert.Contains("conversations.jsonl:1: conversation_type 'guided' is not one of", typeError.Message);
        Assert.Contains("survey.jsonl: not found", fileError.Message);
        await using var db = host.Db();
        Assert.Equal(0, await db.Set<PrismUtterance>().CountAsync());
    }
}
