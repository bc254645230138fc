using Aloe.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aloe.Core.Personas;

/// <summary>The two pools of section 2.1: objective user profiles and personality descriptions.</summary>
public enum PoolKind { Profile, Personality }

public static class PoolKinds
{
    /// <summary>"profiles" or "personalities": in texts, the seed files' and the Personas page's tab names.</summary>
    public static string Plural(this PoolKind kind) => kind == PoolKind.Profile ? "profiles" : "personalities";
}

public enum ItemSource { Seed, Generated, Imported }

/// <summary>Training pools feed dialogues; evaluation pools feed the benchmark and must not leak into training.</summary>
public enum PoolSplit { Train, Eval }

public enum CandidateVerdict { Accepted, Rejected }

/// <summary>
/// How a persona's profile and personality were put together. <see cref="Grid"/>: distinct pairs
/// drawn at random from the whole profile x personality grid (the paper's "randomly mix and pair",
/// 330 x 71 -> 3,310). <see cref="PerProfile"/>: every profile used a fixed number of times (10),
/// each time with a random personality, as the authors' released code does
/// (github.com/ShujinWu-0814/ALOE, data_generation/data_generation.py: <c>for i in range(10): for
/// profile in profiles: personality = random.choice(personalities)</c>). <see cref="BenchmarkSet"/>:
/// the benchmark's fixed 20 x 5 evaluation grid.
/// </summary>
public enum PairingScheme { Grid, PerProfile, BenchmarkSet }

/// <summary>How the CLI, the forms and the run records spell a pairing scheme (null: any scheme).</summary>
public static class PairingSchemes
{
    public static string Name(PairingScheme? scheme) => scheme switch
    {
        PairingScheme.Grid => "grid",
        PairingScheme.PerProfile => "per-profile",
        PairingScheme.BenchmarkSet => "benchmark-set",
        _ => "any",
    };

    public static PairingScheme? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" or "any" => null,
        "grid" => PairingScheme.Grid,
        "per-profile" => PairingScheme.PerProfile,
        "benchmark-set" => PairingScheme.BenchmarkSet,
        _ => throw new ArgumentException($"Unknown pairing '{name}' (use grid, per-profile or any)."),
    };

    /// <summary>The scheme in words, for run records and pages.</summary>
    public static string Describe(PairingScheme? scheme) => scheme switch
    {
        PairingScheme.Grid => "grid (distinct random profile x personality pairs)",
        PairingScheme.PerProfile => $"per-profile (each profile {PersonaService.AuthorsUsesPerProfile} times with random personalities, as the authors' code)",
        PairingScheme.BenchmarkSet => "benchmark set (20 evaluation profiles x 5 personalities)",
        _ => "any scheme",
    };
}

/// <summary>One profile or personality description of a pool.</summary>
public sealed class PoolItem
{
    public long Id { get; set; }
    public PoolKind Kind { get; set; }
    public required string Text { get; set; }
    public ItemSource Source { get; set; }
    public PoolSplit Split { get; set; }
    /// <summary>The generation run that produced it (Source = Generated).</summary>
    public long? GenerationRunId { get; set; }
    /// <summary>L2-normalised float32 vector, little-endian; computed once per embedder.</summary>
    public byte[]? Embedding { get; set; }
    public string? EmbedderId { get; set; }
    /// <summary>The most similar other item of the same kind (any split), for the pool pages and the histogram.</summary>
    public long? NearestId { get; set; }
    public float? NearestSimilarity { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A profile paired with a personality (paper: 3,310 training personas).</summary>
public sealed class Persona
{
    public long Id { get; set; }
    public long ProfileId { get; set; }
    public long PersonalityId { get; set; }
    public PoolSplit Split { get; set; }
    public int? PairingSeed { get; set; }
    public PairingScheme Pairing { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>What a self-generation run was asked to do and what produced it (its key is its job run's id).</summary>
public sealed class GenerationRun
{
    public long Id { get; set; }
    /// <summary>The job that grows the pool (the same number as <see cref="Id"/>).</summary>
    public long? JobRunId { get; set; }
    public PoolKind Kind { get; set; }
    public PoolSplit Split { get; set; }
    public double Threshold { get; set; }
    public int MaxRounds { get; set; }
    public int Patience { get; set; }
    public int MinAddedPerRound { get; set; }
    public int? TargetSize { get; set; }
    public int CallsPerRound { get; set; }
    /// <summary>The Generator role, the generator prompt's hash, the seed, the embedder that filtered and the app version.</summary>
    public RunProvenance Provenance { get; set; } = new();
    /// <summary>The run's seed, as its provenance record holds it (read here by the run's job, pages and JSON; not a column of its own).</summary>
    public int Seed => Provenance.Seed;
    public bool Simulated { get; set; }
    public int InitialPoolSize { get; set; }
    public string? StopReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One round of a generation run; written in the same transaction as its candidates and new items.</summary>
public sealed class GenerationRound
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public int Round { get; set; }
    public int Generated { get; set; }
    public int Accepted { get; set; }
    public int PoolSize { get; set; }
    public int FailedCalls { get; set; }
    public string? Error { get; set; }
}

/// <summary>Every cleaned generator line with its verdict and why (nearest neighbour and similarity).</summary>
public sealed class GenerationCandidate
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public int Round { get; set; }
    public int Call { get; set; }
    public required string Text { get; set; }
    public CandidateVerdict Verdict { get; set; }
    public float Similarity { get; set; }
    public long? NearestItemId { get; set; }
    /// <summary>The pool item an accepted candidate became.</summary>
    public long? PoolItemId { get; set; }
}

internal sealed class PoolItemConfiguration : IEntityTypeConfiguration<PoolItem>
{
    public void Configure(EntityTypeBuilder<PoolItem> builder)
    {
        builder.ToTable("PoolItems");
        builder.Property(i => i.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.Source).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.Split).HasConversion<string>().HasMaxLength(8);
        builder.Property(i => i.EmbedderId).HasMaxLength(128);
        builder.HasIndex(i => new { i.Kind, i.Split });
    }
}

internal sealed class PersonaConfiguration : IEntityTypeConfiguration<Persona>
{
    public void Configure(EntityTypeBuilder<Persona> builder)
    {
        builder.ToTable("Personas");
        builder.Property(p => p.Split).HasConversion<string>().HasMaxLength(8);
        builder.Property(p => p.Pairing).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(p => new { p.ProfileId, p.PersonalityId }).IsUnique();
        builder.HasOne<PoolItem>().WithMany().HasForeignKey(p => p.ProfileId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<PoolItem>().WithMany().HasForeignKey(p => p.PersonalityId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class GenerationRunConfiguration : IEntityTypeConfiguration<GenerationRun>
{
    public void Configure(EntityTypeBuilder<GenerationRun> builder)
    {
        builder.ToTable("GenerationRuns");
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Split).HasConversion<string>().HasMaxLength(8);
        builder.HasIndex(r => r.JobRunId);
        builder.OwnsProvenance(r => r.Provenance, embedderRequired: true);
        builder.Ignore(r => r.Seed);
    }
}

internal sealed class GenerationRoundConfiguration : IEntityTypeConfiguration<GenerationRound>
{
    public void Configure(EntityTypeBuilder<GenerationRound> builder)
    {
        builder.ToTable("GenerationRounds");
        builder.HasIndex(r => new { r.RunId, r.Round }).IsUnique();
        builder.HasOne<GenerationRun>().WithMany().HasForeignKey(r => r.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class GenerationCandidateConfiguration : IEntityTypeConfiguration<GenerationCandidate>
{
    public void Configure(EntityTypeBuilder<GenerationCandidate> builder)
    {
        builder.ToTable("GenerationCandidates");
        builder.Property(c => c.Verdict).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(c => new { c.RunId, c.Round });
        builder.HasOne<GenerationRun>().WithMany().HasForeignKey(c => c.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
