using Aloe.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aloe.Core.Dialogues;

public enum DialogueStatus { Pending, Running, Completed, Failed }

/// <summary>The two answers of a turn node (paper, section 2.1): p_i and r_i.</summary>
public enum Branch { Preferred, Rejected }

/// <summary>
/// One construction (or import) of preference dialogues, with what produced it: the role map,
/// prompt hashes and seed (DESIGN.md, "Runs, resumption and provenance").
/// </summary>
public sealed class DialogueRun
{
    public long Id { get; set; }
    /// <summary>The job that builds it; null for imports.</summary>
    public long? JobRunId { get; set; }
    public required string Title { get; set; }
    /// <summary>Where the personas came from (a pool and selection, or an imported file).</summary>
    public required string PersonaPool { get; set; }
    public int MaxTurns { get; set; }
    public bool Verify { get; set; }
    /// <summary>Roles, prompt hashes, seed and app version (empty roles for imports).</summary>
    public RunProvenance Provenance { get; set; } = new();
    /// <summary>The run's seed, as its provenance record holds it (read here by the run's job, pages and JSON; not a column of its own).</summary>
    public int Seed => Provenance.Seed;
    public bool Simulated { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One persona's conversation: a tree of turns whose main path is what the job built.</summary>
public sealed class Dialogue
{
    public long Id { get; set; }
    public long RunId { get; set; }
    /// <summary>The persona's identity in its pool (or its line in an imported file).</summary>
    public required string PersonaKey { get; set; }
    public required string Profile { get; set; }
    public required string Personality { get; set; }
    public DialogueStatus Status { get; set; } = DialogueStatus.Pending;
    /// <summary>
    /// In a build split into parts (<see cref="DialogueBuildPartJob"/>): the part job that claimed it;
    /// with Status Running, that part (whoever executes it, after a crash too) continues it. Null in a one-job build.
    /// </summary>
    public long? PartJobRunId { get; set; }
    public string? Error { get; set; }
    /// <summary>Turns on the main path so far.</summary>
    public int Turns { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}

/// <summary>
/// A turn node: the user's message m_i, the two answers (its two children), the persona
/// inferred so far, the verifier's verdict and which answer continued (s_i). A child turn
/// records which answer of its parent it follows, so the main path and expanded branches
/// are both paths in the same tree.
/// </summary>
public sealed class DialogueTurn
{
    public long Id { get; set; }
    public long DialogueId { get; set; }
    public long? ParentId { get; set; }
    /// <summary>Which answer of the parent this turn follows (null for the first turn).</summary>
    public Branch? ParentBranch { get; set; }
    /// <summary>1-based turn number i (depth in the tree).</summary>
    public int Index { get; set; }
    public required string UserMessage { get; set; }
    public required string Preferred { get; set; }
    public required string Rejected { get; set; }
    /// <summary>Null when nothing of the profile was revealed ("None").</summary>
    public string? InferredProfile { get; set; }
    public string? InferredPersonality { get; set; }
    /// <summary>Whether the verifier ran on this pair.</summary>
    public bool Verified { get; set; }
    /// <summary>The verifier preferred the answer written without the persona hint, so the two were swapped.</summary>
    public bool Swapped { get; set; }
    /// <summary>The answer that continued the conversation (s_i).</summary>
    public Branch Chosen { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public string Answer(Branch branch) => branch == Branch.Preferred ? Preferred : Rejected;
}

internal sealed class DialogueRunConfiguration : IEntityTypeConfiguration<DialogueRun>
{
    public void Configure(EntityTypeBuilder<DialogueRun> builder)
    {
        builder.ToTable("DialogueRuns");
        builder.Property(r => r.Title).HasMaxLength(256);
        builder.Property(r => r.PersonaPool).HasMaxLength(512);
        builder.HasIndex(r => r.JobRunId);
        builder.OwnsProvenance(r => r.Provenance);
        builder.Ignore(r => r.Seed);
    }
}

internal sealed class DialogueConfiguration : IEntityTypeConfiguration<Dialogue>
{
    public void Configure(EntityTypeBuilder<Dialogue> builder)
    {
        builder.ToTable("Dialogues");
        builder.Property(d => d.PersonaKey).HasMaxLength(128);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<DialogueRun>().WithMany().HasForeignKey(d => d.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => new { d.RunId, d.Status });
        builder.HasIndex(d => d.PersonaKey);
    }
}

internal sealed class DialogueTurnConfiguration : IEntityTypeConfiguration<DialogueTurn>
{
    public void Configure(EntityTypeBuilder<DialogueTurn> builder)
    {
        builder.ToTable("DialogueTurns");
        builder.Property(t => t.ParentBranch).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Chosen).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<Dialogue>().WithMany().HasForeignKey(t => t.DialogueId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<DialogueTurn>().WithMany().HasForeignKey(t => t.ParentId).OnDelete(DeleteBehavior.Cascade);
        // One child per answer of a parent: a resumed or repeated expansion can never add a duplicate.
        builder.HasIndex(t => new { t.DialogueId, t.ParentId, t.ParentBranch }).IsUnique();
        // ...but NULLs are distinct in a unique index (SQLite and PostgreSQL alike), so the one
        // above lets a dialogue have two first turns; this one allows a single parentless turn.
        builder.HasIndex([nameof(DialogueTurn.DialogueId)], "IX_DialogueTurns_DialogueId_FirstTurn").IsUnique().HasFilter("\"ParentId\" IS NULL");
    }
}
