using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aloe.Core.Llm;

/// <summary>A stored model response, keyed by the hash of everything that determines it (endpoint, model, messages, settings, sample index).</summary>
public sealed class LlmCacheEntry
{
    /// <summary>Hex SHA-256 of the canonical request (<see cref="LlmRequestKey"/>).</summary>
    public required string Key { get; set; }
    public required string Endpoint { get; set; }
    public required string Model { get; set; }
    public required string Text { get; set; }
    public int InputTokens { get; set; }
    public int OutputTokens { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One call through the gateway, served from the cache or not, successful or not.</summary>
public sealed class LlmCall
{
    public long Id { get; set; }
    public LlmRole Role { get; set; }
    public long? RunId { get; set; }
    public required string Endpoint { get; set; }
    public required string Model { get; set; }
    public int InputTokens { get; set; }
    public int OutputTokens { get; set; }
    /// <summary>US dollars, from the endpoint's price table (0 for cache hits and unpriced models).</summary>
    public double Cost { get; set; }
    public double LatencyMs { get; set; }
    public bool CacheHit { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class LlmCacheEntryConfiguration : IEntityTypeConfiguration<LlmCacheEntry>
{
    public void Configure(EntityTypeBuilder<LlmCacheEntry> builder)
    {
        builder.ToTable("LlmCache");
        builder.HasKey(e => e.Key);
        builder.Property(e => e.Key).HasMaxLength(64);
        builder.Property(e => e.Endpoint).HasMaxLength(64);
        builder.Property(e => e.Model).HasMaxLength(128);
    }
}

internal sealed class LlmCallConfiguration : IEntityTypeConfiguration<LlmCall>
{
    public void Configure(EntityTypeBuilder<LlmCall> builder)
    {
        builder.ToTable("LlmCalls");
        builder.Property(c => c.Role).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.Endpoint).HasMaxLength(64);
        builder.Property(c => c.Model).HasMaxLength(128);
        builder.Property(c => c.Error).HasMaxLength(1000);
        builder.HasIndex(c => c.CreatedAt);
        builder.HasIndex(c => c.RunId);
    }
}
