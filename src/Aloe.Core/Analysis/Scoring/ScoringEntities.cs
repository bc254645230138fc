using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aloe.Core.Analysis.Scoring;

public enum AttributeScoreStatus { Scored, Failed }

/// <summary>
/// One attribute's score of one text by one scorer version. Keyed by the text's hash, not by
/// where it came from: the same text in two sources (a PRISM prompt shared by four responses)
/// is scored once, and a re-run finds it here and makes no call (the cache).
/// </summary>
public sealed class AttributeScore
{
    public long Id { get; set; }
    /// <summary>SHA-256 (hex) of the text as stored, before any truncation for a backend.</summary>
    public required string TextHash { get; set; }
    public ConstructiveAttribute Attribute { get; set; }
    /// <summary>perspective, llm, csv, simulated.</summary>
    public required string ScorerId { get; set; }
    /// <summary>What produced it within the scorer: API version, model + prompt hash, lexicon version, imported file.</summary>
    public required string ScorerVersion { get; set; }
    /// <summary>A probability 0-1; null when <see cref="Status"/> is Failed.</summary>
    public double? Value { get; set; }
    public AttributeScoreStatus Status { get; set; }
    public string? Error { get; set; }
    /// <summary>UTF-8 bytes cut from the end of the text before it was sent (Perspective's 3,000-byte limit); 0 when whole.</summary>
    public int TruncatedBytes { get; set; }
    public int Attempts { get; set; }
    /// <summary>The scoring job that produced it (null for imports).</summary>
    public long? JobRunId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

internal sealed class AttributeScoreConfiguration : IEntityTypeConfiguration<AttributeScore>
{
    public void Configure(EntityTypeBuilder<AttributeScore> builder)
    {
        builder.ToTable("AttributeScores");
        builder.Property(s => s.TextHash).HasMaxLength(64);
        builder.Property(s => s.Attribute).HasConversion<string>().HasMaxLength(32);
        builder.Property(s => s.ScorerId).HasMaxLength(32);
        builder.Property(s => s.ScorerVersion).HasMaxLength(128);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        // One score per text, attribute and scorer version: a resumed or repeated job never adds a second.
        builder.HasIndex(s => new { s.TextHash, s.Attribute, s.ScorerId, s.ScorerVersion }).IsUnique();
        builder.HasIndex(s => new { s.ScorerId, s.ScorerVersion });
    }
}
