using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aloe.Core.Audit;

/// <summary>One write and who made it: a run started, cancelled, retried or deleted, an import or export, a setting, a campaign, an invite, an account.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>A user name, "local admin (loopback)", "cli:&lt;os user&gt;" or "system" (the worker, start-up work).</summary>
    public required string Actor { get; set; }
    /// <summary>What was done, e.g. <see cref="AuditActions.Start"/>.</summary>
    public required string Action { get; set; }
    /// <summary>What it was done to, e.g. "job", "dialogue-run", "campaign".</summary>
    public required string TargetType { get; set; }
    public string? TargetId { get; set; }
    public string? Detail { get; set; }
}

/// <summary>The action names (the Activity list filters on them).</summary>
public static class AuditActions
{
    public const string Start = "start";
    public const string Cancel = "cancel";
    public const string Retry = "retry";
    public const string RunAgain = "run-again";
    public const string Delete = "delete";
    public const string Import = "import";
    public const string Export = "export";
    public const string Settings = "settings";
    public const string Create = "create";
    public const string Invite = "invite";
    public const string CreateUser = "create-user";

    public static readonly IReadOnlyList<string> All = [Start, Cancel, Retry, RunAgain, Delete, Import, Export, Settings, Create, Invite, CreateUser];
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public const int DetailLength = 512;

    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.Property(e => e.Actor).HasMaxLength(128);
        builder.Property(e => e.Action).HasMaxLength(32);
        builder.Property(e => e.TargetType).HasMaxLength(64);
        builder.Property(e => e.TargetId).HasMaxLength(64);
        builder.Property(e => e.Detail).HasMaxLength(DetailLength);
        builder.HasIndex(e => e.At);
        builder.HasIndex(e => e.Actor);
    }
}

/// <summary>The target type names.</summary>
public static class AuditTargets
{
    public const string Job = "job";
    public const string DialogueRun = "dialogue-run";
    public const string Dialogue = "dialogue";
    public const string BenchmarkRun = "benchmark-run";
    public const string PoolItems = "pool-items";
    public const string Campaign = "campaign";
    public const string User = "user";
    public const string Settings = "settings";
    public const string Scores = "scores";
    public const string EmbedderThreshold = "embedder-threshold";
}
