using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aloe.Core.Annotation;

/// <summary>Rating: one response on the judge's 1-5 scale (paper, section 5.4). Pairwise: which of two answers (1 = A, 2 = B) suits the persona better.</summary>
public enum AnnotationTask { Rating, Pairwise }

/// <summary>
/// A human annotation campaign: a fixed set of items, each annotator's shuffled order drawn
/// from <see cref="Seed"/>, and what it was made from (a benchmark run's scoring, preference
/// dialogues, or a CSV), so its report can put human ratings beside the judge's.
/// </summary>
public sealed class AnnotationCampaign
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public AnnotationTask Task { get; set; }
    /// <summary>Where the items came from, in words (e.g. "benchmark run 3, scoring 3: 5 per turn").</summary>
    public required string Source { get; set; }
    public long? BenchmarkRunId { get; set; }
    public long? ScoringId { get; set; }
    public long? DialogueRunId { get; set; }
    public int ScaleMin { get; set; } = 1;
    public int ScaleMax { get; set; } = 5;
    /// <summary>Annotator slots planned (paper: 3); the n-th annotator to join takes slot n mod this.</summary>
    public int Annotators { get; set; }
    /// <summary>How many slots see each item (overlap); equal to <see cref="Annotators"/> when everyone rates the same items.</summary>
    public int AnnotatorsPerItem { get; set; }
    public bool Shuffle { get; set; } = true;
    public int Seed { get; set; }
    /// <summary>What annotators read before rating: the judge's rubric in plain words.</summary>
    public required string Guidelines { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// One thing to rate. The persona, the conversation so far and the response(s) are copied, so
/// the campaign never changes when its source does. The judge's rating (or the dataset's
/// preferred position) is kept for the report and never shown to annotators.
/// </summary>
public sealed class AnnotationItem
{
    public long Id { get; set; }
    public long CampaignId { get; set; }
    public int Index { get; set; }
    /// <summary>Stable name used in CSV export and import (e.g. "case017-t03").</summary>
    public required string Key { get; set; }
    public string? CaseKey { get; set; }
    public long? BenchmarkCaseId { get; set; }
    public int? Turn { get; set; }
    public required string Profile { get; set; }
    public required string Personality { get; set; }
    /// <summary>The conversation before this response: a JSON array of {user, assistant} exchanges and the pending user message last.</summary>
    public string ContextJson { get; set; } = "[]";
    public required string UserMessage { get; set; }
    public required string Response { get; set; }
    /// <summary>Answer B of a pairwise item (Response is answer A).</summary>
    public string? ResponseB { get; set; }
    public int? JudgeRating { get; set; }
    /// <summary>Set on attention-check items: the rating the instructions ask for.</summary>
    public int? ExpectedRating { get; set; }
}

/// <summary>A person rating a campaign, with where they are in their own order.</summary>
public sealed class AnnotationAnnotator
{
    public long Id { get; set; }
    public long CampaignId { get; set; }
    /// <summary>The rater name in exports (a user name, or a name given on import).</summary>
    public required string Name { get; set; }
    /// <summary>The signed-in account this annotator is, when the ratings come from the browser.</summary>
    public string? UserId { get; set; }
    public int Slot { get; set; }
    /// <summary>0-based position of the item shown now (resume point).</summary>
    public int Position { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>An item in an annotator's order.</summary>
public sealed class AnnotationAssignment
{
    public long Id { get; set; }
    public long AnnotatorId { get; set; }
    public long ItemId { get; set; }
    public int Position { get; set; }
}

/// <summary>What an annotator did with an assigned item: a rating or a skip with its reason, a flag, a comment, and the time spent.</summary>
public sealed class AnnotationRating
{
    public long Id { get; set; }
    public long AssignmentId { get; set; }
    public int? Rating { get; set; }
    public string? SkipReason { get; set; }
    public bool Flagged { get; set; }
    public string? Comment { get; set; }
    /// <summary>Time on the item, summed over visits.</summary>
    public long Milliseconds { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class AnnotationCampaignConfiguration : IEntityTypeConfiguration<AnnotationCampaign>
{
    public void Configure(EntityTypeBuilder<AnnotationCampaign> builder)
    {
        builder.ToTable("AnnotationCampaigns");
        builder.Property(c => c.Name).HasMaxLength(256);
        builder.Property(c => c.Task).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Source).HasMaxLength(512);
        builder.Property(c => c.CreatedBy).HasMaxLength(256);
    }
}

internal sealed class AnnotationItemConfiguration : IEntityTypeConfiguration<AnnotationItem>
{
    public void Configure(EntityTypeBuilder<AnnotationItem> builder)
    {
        builder.ToTable("AnnotationItems");
        builder.Property(i => i.Key).HasMaxLength(128);
        builder.Property(i => i.CaseKey).HasMaxLength(128);
        builder.HasOne<AnnotationCampaign>().WithMany().HasForeignKey(i => i.CampaignId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(i => new { i.CampaignId, i.Key }).IsUnique();
    }
}

internal sealed class AnnotationAnnotatorConfiguration : IEntityTypeConfiguration<AnnotationAnnotator>
{
    public void Configure(EntityTypeBuilder<AnnotationAnnotator> builder)
    {
        builder.ToTable("AnnotationAnnotators");
        builder.Property(a => a.Name).HasMaxLength(256);
        builder.Property(a => a.UserId).HasMaxLength(64);
        builder.HasOne<AnnotationCampaign>().WithMany().HasForeignKey(a => a.CampaignId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.CampaignId, a.Name }).IsUnique();
        builder.HasIndex(a => a.UserId);
    }
}

internal sealed class AnnotationAssignmentConfiguration : IEntityTypeConfiguration<AnnotationAssignment>
{
    public void Configure(EntityTypeBuilder<AnnotationAssignment> builder)
    {
        builder.ToTable("AnnotationAssignments");
        builder.HasOne<AnnotationAnnotator>().WithMany().HasForeignKey(a => a.AnnotatorId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AnnotationItem>().WithMany().HasForeignKey(a => a.ItemId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.AnnotatorId, a.Position }).IsUnique();
        builder.HasIndex(a => new { a.AnnotatorId, a.ItemId }).IsUnique();
        builder.HasIndex(a => a.ItemId);
    }
}

internal sealed class AnnotationRatingConfiguration : IEntityTypeConfiguration<AnnotationRating>
{
    public void Configure(EntityTypeBuilder<AnnotationRating> builder)
    {
        builder.ToTable("AnnotationRatings");
        builder.Property(r => r.SkipReason).HasMaxLength(512);
        builder.Property(r => r.Comment).HasMaxLength(4000);
        builder.HasOne<AnnotationAssignment>().WithMany().HasForeignKey(r => r.AssignmentId).OnDelete(DeleteBehavior.Cascade);
        // One row per assignment: saving again updates it, so a double key press never counts twice.
        builder.HasIndex(r => r.AssignmentId).IsUnique();
    }
}

/// <summary>
/// A single-use, expiring link that makes its holder an annotator of a campaign: opening it lets
/// them choose a password (an Annotator account) and lands them on their own items. Only the
/// token's SHA-256 is stored.
/// </summary>
public sealed class AnnotationInvite
{
    public long Id { get; set; }
    public long CampaignId { get; set; }
    /// <summary>The annotator's name (their user name and rater name).</summary>
    public required string Name { get; set; }
    public required string TokenHash { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class AnnotationInviteConfiguration : IEntityTypeConfiguration<AnnotationInvite>
{
    public void Configure(EntityTypeBuilder<AnnotationInvite> builder)
    {
        builder.ToTable("AnnotationInvites");
        builder.Property(i => i.Name).HasMaxLength(256);
        builder.Property(i => i.TokenHash).HasMaxLength(64);
        builder.Property(i => i.CreatedBy).HasMaxLength(256);
        builder.HasOne<AnnotationCampaign>().WithMany().HasForeignKey(i => i.CampaignId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(i => i.TokenHash).IsUnique();
    }
}
