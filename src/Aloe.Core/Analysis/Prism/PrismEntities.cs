using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aloe.Core.Analysis.Prism;

/// <summary>
/// One model response of PRISM's utterances.jsonl (Kirk et al. 2024): the user's prompt of that
/// interaction, the response, its 1-100 score and whether it was chosen. Texts that PRISM stores
/// as the literal "EMPTY STRING" are kept as written (<see cref="PrismImporter.EmptyText"/>);
/// scoring skips them.
/// </summary>
public sealed class PrismUtterance
{
    public long Id { get; set; }
    public required string UtteranceId { get; set; }
    public required string InteractionId { get; set; }
    public required string ConversationId { get; set; }
    public required string UserId { get; set; }
    /// <summary>0-based.</summary>
    public int Turn { get; set; }
    /// <summary>In turn 0 an id of the interface slot the response was shown in (not 0-3); later, which of the two responses.</summary>
    public int WithinTurnId { get; set; }
    public required string ConversationType { get; set; }
    public required string UserPrompt { get; set; }
    public required string ModelResponse { get; set; }
    public required string ModelName { get; set; }
    public required string ModelProvider { get; set; }
    /// <summary>1-100.</summary>
    public int Score { get; set; }
    public bool IfChosen { get; set; }
    public bool IncludedInBalancedSubset { get; set; }
}

/// <summary>One conversation of conversations.jsonl; its history is kept as the JSON array it came as.</summary>
public sealed class PrismConversation
{
    public long Id { get; set; }
    public required string ConversationId { get; set; }
    public required string UserId { get; set; }
    public required string ConversationType { get; set; }
    public required string OpeningPrompt { get; set; }
    public string HistoryJson { get; set; } = "[]";
    public bool IncludedInBalancedSubset { get; set; }
}

/// <summary>
/// One participant of survey.jsonl, with the fields the paper's moderators come from: age band,
/// gender, simplified ethnicity and the stated preference "an AI should reflect my values" (0-100).
/// </summary>
public sealed class PrismParticipant
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public string? Age { get; set; }
    public string? Gender { get; set; }
    public string? Ethnicity { get; set; }
    public double? ValuesPreference { get; set; }
    public bool IncludedInBalancedSubset { get; set; }
    /// <summary>The whole survey row, for fields not modelled here.</summary>
    public string RawJson { get; set; } = "{}";
}

internal sealed class PrismUtteranceConfiguration : IEntityTypeConfiguration<PrismUtterance>
{
    public void Configure(EntityTypeBuilder<PrismUtterance> builder)
    {
        builder.ToTable("PrismUtterances");
        builder.Property(u => u.UtteranceId).HasMaxLength(64);
        builder.Property(u => u.InteractionId).HasMaxLength(64);
        builder.Property(u => u.ConversationId).HasMaxLength(64);
        builder.Property(u => u.UserId).HasMaxLength(64);
        builder.Property(u => u.ConversationType).HasMaxLength(32);
        builder.Property(u => u.ModelName).HasMaxLength(128);
        builder.Property(u => u.ModelProvider).HasMaxLength(64);
        builder.HasIndex(u => u.UtteranceId).IsUnique();
        builder.HasIndex(u => u.ConversationId);
    }
}

internal sealed class PrismConversationConfiguration : IEntityTypeConfiguration<PrismConversation>
{
    public void Configure(EntityTypeBuilder<PrismConversation> builder)
    {
        builder.ToTable("PrismConversations");
        builder.Property(c => c.ConversationId).HasMaxLength(64);
        builder.Property(c => c.UserId).HasMaxLength(64);
        builder.Property(c => c.ConversationType).HasMaxLength(32);
        builder.HasIndex(c => c.ConversationId).IsUnique();
    }
}

internal sealed class PrismParticipantConfiguration : IEntityTypeConfiguration<PrismParticipant>
{
    public void Configure(EntityTypeBuilder<PrismParticipant> builder)
    {
        builder.ToTable("PrismParticipants");
        builder.Property(p => p.UserId).HasMaxLength(64);
        builder.Property(p => p.Age).HasMaxLength(64);
        builder.Property(p => p.Gender).HasMaxLength(64);
        builder.Property(p => p.Ethnicity).HasMaxLength(128);
        builder.HasIndex(p => p.UserId).IsUnique();
    }
}
