using Aloe.Core.Audit;
using Aloe.Core.Data;
using Aloe.Core.Jobs;
using Aloe.Core.Annotation;
using Aloe.Testing;
using Aloe.Testing.Annotation;

namespace Aloe.Core.Tests.Audit;

public sealed class AuditLogTests
{
    [SkippableTheory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task StartingCancellingAndRetryingARunRecordsWhoDidEach(DatabaseProvider provider)
    {
        await using var host = await TestHost.StartAsync(provider: provider);
        var jobs = host.Get<JobService>();
        var audit = host.Get<AuditLog>();

        AuditActor.Current = "alice";
        var run = await jobs.EnqueueAsync(DatabaseMaintenanceJob.JobKind, "Database maintenance", new DatabaseMaintenanceJob.Options());
        AuditActor.Current = "cli:bob";
        Assert.True(await jobs.CancelAsync(run.Id));
        AuditActor.Current = null;
        Assert.True(await jobs.RetryAsync(run.Id));

        Assert.Equal("alice", (await jobs.GetAsync(run.Id))!.CreatedBy);
        var rows = await audit.ListAsync(new AuditFilter());
        Assert.Equal(
            [(AuditActor.System, AuditActions.Retry), ("cli:bob", AuditActions.Cancel), ("alice", AuditActions.Start)],
            rows.Select(r => (r.Actor, r.Action)).ToList());
        Assert.All(rows, r => Assert.Equal((AuditTargets.Job, run.Id.ToString()), (r.TargetType, r.TargetId)));
        Assert.Contains("Database maintenance", rows[^1].Detail);

        var bobs = await audit.ListAsync(new AuditFilter(Actor: "cli:bob"));
        Assert.Equal(AuditActions.Cancel, Assert.Single(bobs).Action);
        Assert.Equal(["alice", "cli:bob", AuditActor.System], await audit.ActorsAsync());
    }

    [Fact]
    public async Task CreatingACampaignAndInvitingRecordsTheResearcherAndTheCampaignRemembersThem()
    {
        await using var host = await TestHost.StartAsync(b => b.AddAnnotation());
        long runId;
        await using (var db = host.Db())
            runId = await AnnotationTestData.SeedBenchmarkRunAsync(db);

        AuditActor.Current = AuditActor.LocalAdmin;
        var campaign = await host.Get<AnnotationService>().CreateFromBenchmarkAsync(new BenchmarkCampaignRequest { BenchmarkRunId = runId });
        await host.Get<AnnotationInvites>().CreateAsync(campaign.Id, "ada", null);
        AuditActor.Current = null;

        Assert.Equal(AuditActor.LocalAdmin, campaign.CreatedBy);
        var rows = await host.Get<AuditLog>().ListAsync(new AuditFilter(Actor: AuditActor.LocalAdmin));
        Assert.Equal([AuditActions.Invite, AuditActions.Create], rows.Select(r => r.Action).ToList());
        Assert.All(rows, r => Assert.Equal(campaign.Id.ToString(), r.TargetId));
        Assert.Contains("ada", rows[0].Detail);
    }

    [Fact]
    public async Task TheCsvExportQuotesDetailsAndKeepsTheFilter()
    {
        await using var host = await TestHost.StartAsync();
        var audit = host.Get<AuditLog>();
        AuditActor.Current = "alice";
        await audit.RecordAsync(AuditActions.Export, "dialogues", null, "jsonl, to \"a,b\".jsonl");
        await audit.RecordAsync(AuditActions.Delete, AuditTargets.DialogueRun, 7, "run 7");
        AuditActor.Current = null;

        var csv = new StringWriter();
        await audit.WriteCsvAsync(new AuditFilter(Action: AuditActions.Export), csv);
        var lines = csv.ToString().TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("id,at,actor,action,target_type,target_id,detail", lines[0]);
        var row = Assert.Single(lines.Skip(1));
        Assert.EndsWith(",alice,export,dialogues,,\"jsonl, to \"\"a,b\"\".jsonl\"", row);
    }
}
