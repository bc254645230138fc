using System.Net;
using System.Text.Json.Nodes;
using Aloe.Core.Dialogues;
using Aloe.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Web.Tests.Dialogues;

public sealed class DialoguesPagesTests : IAsyncLifetime
{
    readonly DialoguesWebFactory app = new();
    HttpClient client = null!;
    (DialogueRun Run, Dialogue Completed, Dialogue Failed) seeded;

    public async Task InitializeAsync()
    {
        client = app.CreateBrowserlikeClient();
        seeded = await DialogueSeed.SeedAsync(app.Services);
    }

    public Task DisposeAsync()
    {
        app.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TheListPageShowsTheRunsWithTheirExportsAndTheGrid()
    {
        var html = await client.GetStringAsync("/dialogues");
        Assert.Contains("Seeded run", html);
        Assert.Contains($"/api/dialogues/export/trl-dpo?run={seeded.Run.Id}", html);
        Assert.Contains("dialogues-grid", html);
        Assert.Contains("<title>Preference dialogues · ALOE Studio</title>", html);
    }

    [Fact]
    public async Task TheDialoguePageShowsEachTurnWithBothAnswersTheChosenOneAndTheSwap()
    {
        var html = await client.GetStringAsync($"/dialogues/{seeded.Completed.Id}");
        for (var i = 1; i <= 3; i++)
        {
            Assert.Contains($"Gardening message {i}", html);
            Assert.Contains($"Tailored answer {i} about tomatoes", html);
            Assert.Contains($"Generic answer {i}", html);
        }
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(html, "class=\"answer answer-(preferred|rejected) chosen\"").Count);
        Assert.Contains("answer answer-rejected chosen", html); // turn 1 continued with the rejected answer
        Assert.Equal(1, html.Split("swapped by verifier").Length - 1);
        // The persona with the facts revealed by the last turn highlighted, and the disclosure chart.
        Assert.Contains("<mark>cherry</mark>", html);
        Assert.Contains("<mark>curious</mark>", html);
        Assert.Contains("class=\"chart\"", html);
        Assert.Contains("Expand this branch", html);
        Assert.Contains($"<title>Dialogue {seeded.Completed.Id}: gardener · ALOE Studio</title>", html);
    }

    [Fact]
    public async Task ChoosingATurnHighlightsWhatWasRevealedByThen()
    {
        var html = await client.GetStringAsync($"/dialogues/{seeded.Completed.Id}?at=2");
        Assert.Contains("inferred by turn 2", html);
        Assert.Contains("<mark>cherry</mark>", html);
        Assert.DoesNotContain("<mark>curious</mark>", html); // revealed only at turn 3
    }

    [Fact]
    public async Task AnUnknownDialogueSaysSoWithA404()
    {
        var response = await client.GetAsync("/dialogues/999999");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("There is nothing at /dialogues/999999", html);
    }

    [Fact]
    public async Task TheRunPageShowsCountsFailuresTokensAndProvenance()
    {
        var html = await client.GetStringAsync($"/dialogues/runs/{seeded.Run.Id}");
        Assert.Contains("Turn 1, Induction: no labels (failed 3 times)", html);
        Assert.Contains("<strong>3</strong> / 6 turns", html);
        Assert.Contains("swapped of 3 verified", html);
        Assert.Contains("720", html); // 600 tokens in + 120 out, role-play calls included
        Assert.Contains("$1.50", html);
        Assert.Contains("<tr data-role=\"RolePlay\">", html);
        Assert.Contains("abc123", html);
        Assert.Contains("gpt-test", html);
        Assert.Contains("<tr><th>Seed</th><td>5</td></tr>", html);
        Assert.Contains("<code>1.2.3+test</code>", WebUtility.HtmlDecode(html)); // the app version that built the run
    }

    [Fact]
    public async Task ExportsDownloadAsJsonLinesAndUnknownFormatsAreRefused()
    {
        var response = await client.GetAsync($"/api/dialogues/export/trl-dpo?run={seeded.Run.Id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var second = JsonNode.Parse(lines[1])!;
        Assert.Equal("Gardening message 2", second["prompt"]![2]!["content"]!.GetValue<string>());
        Assert.Equal("Generic answer 1", second["prompt"]![1]!["content"]!.GetValue<string>());

        var manifest = JsonNode.Parse(await client.GetStringAsync($"/api/dialogues/export/aloe/manifest?run={seeded.Run.Id}"))!;
        Assert.Equal(1, manifest["counts"]!["dialogues"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/dialogues/export/csv")).StatusCode);
    }

    [Fact]
    public async Task ExportsAreStreamedWithTheirFileNameAndLeaveNothingUnderTheTempFolder()
    {
        var temp = Path.Combine(Path.GetTempPath(), "aloe-exports");
        var before = Directory.Exists(temp) ? Directory.GetFileSystemEntries(temp).Length : 0;

        var response = await client.GetAsync($"/api/dialogues/export/trl-sft?run={seeded.Run.Id}");
        var manifest = JsonNode.Parse(await client.GetStringAsync($"/api/dialogues/export/trl-sft/manifest?run={seeded.Run.Id}"))!;

        Assert.Equal($"dialogues-trl-sft-run{seeded.Run.Id}.jsonl", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)), manifest["files"]![0]!["sha256"]!.GetValue<string>());
        Assert.Equal(before, Directory.Exists(temp) ? Directory.GetFileSystemEntries(temp).Length : 0);
    }

    [Fact]
    public async Task TheJsonApiReturnsTheTree()
    {
        var json = JsonNode.Parse(await client.GetStringAsync($"/api/dialogues/{seeded.Completed.Id}"))!;
        Assert.Equal(3, json["turns"]!.AsArray().Count);
        Assert.Equal(3, json["mainPath"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/dialogues/424242")).StatusCode);
    }

    [Fact]
    public async Task DeletingARunThroughTheApiRemovesItsDialogues()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/dialogues/runs/{seeded.Run.Id}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/dialogues/{seeded.Completed.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/dialogues/runs/{seeded.Run.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/dialogues/runs/{seeded.Run.Id}")).StatusCode);
    }

    [Fact]
    public async Task AGrownBranchIsLinkedFromItsTurnAndShownOnItsOwnPath()
    {
        var turnId = (await app.Services.GetRequiredService<DialogueQueries>().GetAsync(seeded.Completed.Id))!.Value.Tree.MainPath()[0].Id;
        var job = await app.Services.GetRequiredService<DialogueConstruction>().StartExpandAsync(turnId);
        Assert.Equal("Succeeded", (await client.WaitForRunAsync(job.Id, RunPolling.IsFinished)).GetProperty("status").GetString());

        var tree = (await app.Services.GetRequiredService<DialogueQueries>().GetAsync(seeded.Completed.Id))!.Value.Tree;
        var branch = tree.Child(tree.MainPath()[0], Branch.Preferred)!;
        Assert.Equal(2, tree.PathFrom(branch).Count);
        var html = await client.GetStringAsync($"/dialogues/{seeded.Completed.Id}");
        Assert.Contains($"?from={branch.Id}", html);
        var branchPage = await client.GetStringAsync($"/dialogues/{seeded.Completed.Id}?from={branch.Id}");
        Assert.Contains("You are viewing an expanded branch", branchPage);
        Assert.Contains("Preferred answer to [trader message 2", branchPage); // scripted role-play numbers its own messages
    }

    [Fact]
    public async Task AJobPageLinksWhatTheJobWorksOnAndABuildItsParts()
    {
        var factory = app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Aloe.Core.Data.AloeDbContext>>();
        long partId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var part = new Aloe.Core.Jobs.JobRun { Kind = "dialogues.build.part", Title = "Dialogues: Seeded run (part 1 of 2)", Status = Aloe.Core.Jobs.JobStatus.Running, Done = 1, Total = 3,
                ParametersJson = $$"""{"dialogueRunId":{{seeded.Run.Id}}}""" };
            db.Add(part);
            await db.SaveChangesAsync();
            partId = part.Id;
            var build = await db.Set<Aloe.Core.Jobs.JobRun>().SingleAsync(j => j.Id == seeded.Run.JobRunId);
            build.ParametersJson = $$"""{"dialogueRunId":{{seeded.Run.Id}},"partJobRunIds":[{{partId}}]}""";
            await db.SaveChangesAsync();
        }

        var whole = await client.GetStringAsync($"/jobs/{seeded.Run.JobRunId}");
        Assert.Contains($"href=\"/dialogues/runs/{seeded.Run.Id}\"", whole);
        Assert.Contains($"Dialogue run {seeded.Run.Id}: Seeded run", whole);
        Assert.Contains($"data-part=\"{partId}\"", whole);
        Assert.Contains("(part 1 of 2)", whole);
        Assert.Contains("&quot;partJobRunIds&quot;: [", whole); // the parameters, indented

        var part1 = await client.GetStringAsync($"/jobs/{partId}");
        Assert.Contains($"href=\"/jobs/{seeded.Run.JobRunId}\"", part1);
        Assert.Contains($"href=\"/dialogues/runs/{seeded.Run.Id}\"", part1);
        Assert.DoesNotContain("data-part=", part1);
    }
}
