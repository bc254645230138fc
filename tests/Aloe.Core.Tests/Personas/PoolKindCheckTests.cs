using Aloe.Core.Personas;
using Aloe.Testing;

namespace Aloe.Core.Tests.Personas;

public sealed class PoolKindCheckTests
{
    static List<string> Seeds(string file) =>
        File.ReadAllLines(Path.Combine(TestHost.RepositoryRoot(), "src", "Aloe.Core", "Personas", "Seeds", file))
            .Where(l => l.Length > 0).Select(l => System.Text.Json.JsonSerializer.Deserialize<string>(l)!).ToList();

    [Theory]
    [InlineData("profiles.jsonl", PoolKind.Profile)]
    [InlineData("profiles-eval.jsonl", PoolKind.Profile)]
    [InlineData("personalities.jsonl", PoolKind.Personality)]
    [InlineData("personalities-eval.jsonl", PoolKind.Personality)]
    public void TheSeedsFitTheirKindAndWarnAsTheOther(string file, PoolKind kind)
    {
        var texts = Seeds(file);
        Assert.Null(PoolKindCheck.Warning(kind, texts));
        var other = kind == PoolKind.Profile ? PoolKind.Personality : PoolKind.Profile;
        Assert.StartsWith("Check the kind:", PoolKindCheck.Warning(other, texts));
    }

    [SkippableTheory]
    [InlineData("profile.jsonl", PoolKind.Profile)]
    [InlineData("profile_eval.jsonl", PoolKind.Profile)]
    [InlineData("personality.jsonl", PoolKind.Personality)]
    [InlineData("personality_eval.jsonl", PoolKind.Personality)]
    public void TheAuthorsPoolsFitTheirKindAndWarnAsTheOther(string file, PoolKind kind)
    {
        var shared = TestHost.RequireSharedFolder();
        var read = AloeJsonl.Read(File.ReadAllText(Path.Combine(shared, "data", "aloe", file)));
        var texts = read.Records.Select(r => r.Text).ToList();
        Assert.Null(PoolKindCheck.Warning(kind, texts));
        Assert.NotNull(PoolKindCheck.Warning(kind == PoolKind.Profile ? PoolKind.Personality : PoolKind.Profile, texts));
    }

    [Fact]
    public async Task ImportingPersonalitiesAsProfilesWarns()
    {
        await using var host = await TestHost.StartAsync(b => b.AddPersonas());
        var result = await host.Get<PoolService>().ImportAsync(PoolKind.Profile, PoolSplit.Train, AloeJsonl.Write(Seeds("personalities.jsonl").Take(10)));
        Assert.Contains(result.Warnings, w => w.StartsWith("Check the kind:") && w.Contains("personalities"));
    }
}

public sealed class PoolImportJobTests
{
    [Fact]
    public async Task AnImportCommitsAtOnceAndTheNeighbourRefreshIsItsOwnJobWithProgress()
    {
        await using var host = await TestHost.StartAsync(b => b.AddPersonas());
        var pools = host.Get<PoolService>();
        var texts = Enumerable.Range(0, 30).Select(i => $"A {20 + i}-year-old who keeps bees number {i} and lives in town {i}.").ToList();

        var result = await pools.ImportAsync(PoolKind.Profile, PoolSplit.Train, AloeJsonl.Write(texts), refreshInBackground: true);

        Assert.Equal(30, result.Imported);
        var jobId = Assert.IsType<long>(result.RefreshJobId);
        await using (var db = host.Db())
            Assert.Equal(30, await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Set<PoolItem>(), i => i.Text.Contains("keeps bees") && i.NearestId == null));

        await host.Get<Aloe.Core.Jobs.JobRunner>().ExecuteAsync(jobId, CancellationToken.None);

        var job = (await host.Get<Aloe.Core.Jobs.JobService>().GetAsync(jobId))!;
        Assert.Equal(Aloe.Core.Jobs.JobStatus.Succeeded, job.Status);
        Assert.Equal(job.Total, job.Done);
        Assert.Equal("Nearest neighbours up to date", job.Message);
        await using var after = host.Db();
        Assert.Equal(0, await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(after.Set<PoolItem>(), i => i.Text.Contains("keeps bees") && i.NearestId == null));
    }
}
