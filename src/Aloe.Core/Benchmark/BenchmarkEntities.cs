using System.Text.Json.Serialization;
using Aloe.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aloe.Core.Benchmark;

/// <summary>The paper's judge sees the persona, the user's message and the response (Appendix B.3); History adds the conversation so far.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<JudgeMode>))]
public enum JudgeMode { Paper, History }

public enum BenchmarkCaseStatus { Pending, Completed, Failed }

public enum BenchmarkScoreStatus { Scored, Failed }

/// <summary>
/// One interactive evaluation (paper, section 3): a model chats K turns with simulated users
/// and every response is judged. Stores what produced it: role map, prompt hashes, seed, case set.
/// </summary>
public sealed class BenchmarkRun
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The Evaluated role's model, as chosen for this run.</summary>
    public required string EvaluatedModel { get; set; }
    public required string EvaluatedEndpoint { get; set; }
    /// <summary>ResolveRoles(...) for the run (the models its job calls), prompt hashes, seed (also the bootstrap's) and app version.</summary>
    public RunProvenance Provenance { get; set; } = new();
    /// <summary>The run's seed, as its provenance record holds it (read here by the run's job, pages and JSON; not a column of its own).</summary>
    public int Seed => Provenance.Seed;
    public JudgeMode JudgeMode { get; set; }
    public int Turns { get; set; }
    /// <summary>Where the cases came from, e.g. "aloe-eval: 20 profiles x 5 personalities".</summary>
    public required string CaseSet { get; set; }
    public int CaseCount { get; set; }
    public int Concurrency { get; set; }
    /// <summary>True when the evaluated model or the judge is the Simulated provider (labelled in the UI).</summary>
    public bool Simulated { get; set; }
    public long? JobRunId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A persona the run converses as. The persona text is copied, so a run never depends on a pool changing later.</summary>
public sealed class BenchmarkCase
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public int Index { get; set; }
    public required string CaseKey { get; set; }
    public required string Profile { get; set; }
    public required string Personality { get; set; }
    public BenchmarkCaseStatus Status { get; set; }
    /// <summary>Why the conversation stopped before turn K (a role-play or evaluated call that kept failing).</summary>
    public string? Error { get; set; }
}

/// <summary>Turn k of a case's conversation: the simulated user's message and the evaluated model's response.</summary>
public sealed class BenchmarkTurn
{
    public long Id { get; set; }
    public long CaseId { get; set; }
    public int Turn { get; set; }
    public required string UserMessage { get; set; }
    public required string Response { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// One judging of a run's transcripts. The run's own judging is the first; re-judging with
/// another judge model or mode adds a scoring over the same turns without regenerating them.
/// </summary>
public sealed class BenchmarkScoring
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public JudgeMode JudgeMode { get; set; }
    public required string JudgeModel { get; set; }
    /// <summary>The Judge role's binding (JSON).</summary>
    public string JudgeJson { get; set; } = "{}";
    public required string PromptHash { get; set; }
    public long? JobRunId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The judge's 1-5 score for one turn in one scoring, with its raw output (kept when unparsable).</summary>
public sealed class BenchmarkScore
{
    public long Id { get; set; }
    public long ScoringId { get; set; }
    public long TurnId { get; set; }
    /// <summary>Set when a turn and its score are saved together (EF fills <see cref="TurnId"/>).</summary>
    public BenchmarkTurn? Turn { get; set; }
    public int? Score { get; set; }
    public BenchmarkScoreStatus Status { get; set; }
    public required string RawOutput { get; set; }
    public int Attempts { get; set; }
    public string? Error { get; set; }
}

internal sealed class BenchmarkRunConfiguration : IEntityTypeConfiguration<BenchmarkRun>
{
    public void Configure(EntityTypeBuilder<BenchmarkRun> builder)
    {
        builder.ToTable("BenchmarkRuns");
        builder.Property(r => r.Name).HasMaxLength(256);
        builder.Property(r => r.EvaluatedModel).HasMaxLength(256);
        builder.Property(r => r.EvaluatedEndpoint).HasMaxLength(128);
        builder.Property(r => r.CaseSet).HasMaxLength(256);
        builder.OwnsProvenance(r => r.Provenance);
        builder.Ignore(r => r.Seed);
        builder.Property(r => r.JudgeMode).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(r => r.CreatedAt);
    }
}

internal sealed class BenchmarkCaseConfiguration : IEntityTypeConfiguration<BenchmarkCase>
{
    public void Configure(EntityTypeBuilder<BenchmarkCase> builder)
    {
        builder.ToTable("BenchmarkCases");
        builder.Property(c => c.CaseKey).HasMaxLength(128);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<BenchmarkRun>().WithMany().HasForeignKey(c => c.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.RunId, c.CaseKey }).IsUnique();
    }
}

internal sealed class BenchmarkTurnConfiguration : IEntityTypeConfiguration<BenchmarkTurn>
{
    public void Configure(EntityTypeBuilder<BenchmarkTurn> builder)
    {
        builder.ToTable("BenchmarkTurns");
        builder.HasOne<BenchmarkCase>().WithMany().HasForeignKey(t => t.CaseId).OnDelete(DeleteBehavior.Cascade);
        // One row per case and turn: a resumed run can never store a turn twice.
        builder.HasIndex(t => new { t.CaseId, t.Turn }).IsUnique();
    }
}

internal sealed class BenchmarkScoringConfiguration : IEntityTypeConfiguration<BenchmarkScoring>
{
    public void Configure(EntityTypeBuilder<BenchmarkScoring> builder)
    {
        builder.ToTable("BenchmarkScorings");
        builder.Property(s => s.JudgeMode).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.JudgeModel).HasMaxLength(256);
        builder.Property(s => s.PromptHash).HasMaxLength(32);
        builder.HasOne<BenchmarkRun>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.RunId);
    }
}

internal sealed class BenchmarkScoreConfiguration : IEntityTypeConfiguration<BenchmarkScore>
{
    public void Configure(EntityTypeBuilder<BenchmarkScore> builder)
    {
        builder.ToTable("BenchmarkScores");
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<BenchmarkScoring>().WithMany().HasForeignKey(s => s.ScoringId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(s => s.Turn).WithMany().HasForeignKey(s => s.TurnId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.ScoringId, s.TurnId }).IsUnique();
        builder.HasIndex(s => s.TurnId);
    }
}
