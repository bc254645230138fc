using System.Globalization;
using System.Text.Json.Serialization;
using Aloe.Core.Audit;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace Aloe.Core.Personas;

/// <summary>The filter threshold chosen for one embedder (its exact id): thresholds do not transfer between embedders.</summary>
public sealed class EmbedderThreshold
{
    public required string EmbedderId { get; set; }
    public double Threshold { get; set; }
    /// <summary>How it was chosen: "calibrated 0.46 ...", "set by hand".</summary>
    public string? Note { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>The audit actor who saved it.</summary>
    public required string UpdatedBy { get; set; }
}

internal sealed class EmbedderThresholdConfiguration : IEntityTypeConfiguration<EmbedderThreshold>
{
    public const int IdLength = 128;
    public const int NoteLength = 256;

    public void Configure(EntityTypeBuilder<EmbedderThreshold> builder)
    {
        builder.ToTable("EmbedderThresholds");
        builder.HasKey(t => t.EmbedderId);
        builder.Property(t => t.EmbedderId).HasMaxLength(IdLength);
        builder.Property(t => t.Note).HasMaxLength(NoteLength);
        builder.Property(t => t.UpdatedBy).HasMaxLength(128);
    }
}

/// <summary>Where an embedder's threshold came from, in the order they are looked up.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ThresholdSource>))]
public enum ThresholdSource { Stored, Configuration, Shipped, PaperFallback }

/// <summary>The filter threshold in force for an embedder and where it came from (pages, JSON, CLI).</summary>
public sealed record ThresholdChoice(string EmbedderId, double Threshold, ThresholdSource Source, string Description,
    DateTimeOffset? UpdatedAt = null, string? UpdatedBy = null, string? Note = null)
{
    /// <summary>Chosen for this embedder (stored, configured or shipped), not the paper's embedder's value.</summary>
    public bool IsCalibrated => Source != ThresholdSource.PaperFallback;

    /// <summary>A word or two for where it came from, for headers and captions (<see cref="Description"/> says it in full).</summary>
    [JsonIgnore]
    public string Origin => Source switch
    {
        ThresholdSource.Stored => "stored for this embedder",
        ThresholdSource.Configuration => "configuration",
        ThresholdSource.Shipped => "shipped calibration",
        _ => "paper's fallback",
    };
}

/// <summary>
/// The one place the filter threshold is read (generation, leakage, statistics, calibration, pages):
/// a value stored for the exact embedder id, else configuration (<c>Personas:Thresholds</c>, longest
/// id prefix), else the shipped calibration of the lexical embedder, else the paper's 0.6. Saving and
/// resetting go into the audit log.
/// </summary>
internal sealed class EmbedderThresholds(IDbContextFactory<AloeDbContext> dbFactory, IOptions<PersonasOptions> options, AuditLog audit, TimeProvider time)
{
    /// <summary>Calibrated for lexical-v2 (docs/embedder-calibration.md): keeps the authors' pools, rejects every paraphrase.</summary>
    public static readonly IReadOnlyDictionary<string, double> Shipped = new Dictionary<string, double>(StringComparer.Ordinal) { ["lexical-v2"] = 0.60 };

    // Pages and statistics read the threshold at every load: kept until this process saves or resets
    // one, and for at most CachePeriod, so a value saved by another process (the CLI, another web
    // server) is seen within that time.
    static readonly TimeSpan CachePeriod = TimeSpan.FromSeconds(30);
    readonly StampedCache<string, (long Version, long Period), ThresholdChoice> cache = new(16);
    long version;

    public Task<ThresholdChoice> ResolveAsync(string embedderId, CancellationToken cancellationToken = default) =>
        cache.GetAsync(embedderId, (Interlocked.Read(ref version), time.GetUtcNow().Ticks / CachePeriod.Ticks), async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            return Resolve(embedderId, await db.Set<EmbedderThreshold>().AsNoTracking().SingleOrDefaultAsync(t => t.EmbedderId == embedderId, CancellationToken.None), options.Value);
        });

    /// <summary>What applies to the embedder when nothing is stored for it (what a reset returns to).</summary>
    public ThresholdChoice Default(string embedderId) => Resolve(embedderId, null, options.Value);

    internal static ThresholdChoice Resolve(string embedderId, EmbedderThreshold? stored, PersonasOptions options)
    {
        if (stored is not null)
            return new ThresholdChoice(embedderId, stored.Threshold, ThresholdSource.Stored,
                $"stored for this embedder on {stored.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} by {stored.UpdatedBy}", stored.UpdatedAt, stored.UpdatedBy, stored.Note);
        if (LongestPrefix(options.Thresholds, embedderId) is { } configured)
            return new ThresholdChoice(embedderId, configured.Value, ThresholdSource.Configuration, $"configuration (Personas:Thresholds:{configured.Key})");
        if (LongestPrefix(Shipped, embedderId) is { } shipped)
            return new ThresholdChoice(embedderId, shipped.Value, ThresholdSource.Shipped, $"shipped calibration for {shipped.Key}");
        return new ThresholdChoice(embedderId, options.FallbackThreshold, ThresholdSource.PaperFallback, "paper's fallback (its embedder's value, not calibrated for this one)");
    }

    static KeyValuePair<string, double>? LongestPrefix(IEnumerable<KeyValuePair<string, double>> thresholds, string embedderId) =>
        thresholds.Where(t => embedderId.StartsWith(t.Key, StringComparison.Ordinal)).OrderByDescending(t => t.Key.Length)
            .Select(t => (KeyValuePair<string, double>?)t).FirstOrDefault();

    /// <summary>Stores <paramref name="threshold"/> for the embedder (replacing any stored one) and returns what is now in force.</summary>
    public async Task<ThresholdChoice> SaveAsync(string embedderId, double threshold, string? note, CancellationToken cancellationToken = default)
    {
        if (double.IsNaN(threshold) || threshold is < 0 or > 1)
            throw new ArgumentException($"The threshold must be between 0 and 1, not {threshold.ToString(CultureInfo.InvariantCulture)}.");
        if (string.IsNullOrWhiteSpace(embedderId) || embedderId.Length > EmbedderThresholdConfiguration.IdLength)
            throw new ArgumentException($"An embedder id has 1 to {EmbedderThresholdConfiguration.IdLength} characters.");
        threshold = Math.Round(threshold, 2);
        note = note?.Trim() is { Length: > 0 } n ? n[..Math.Min(n.Length, EmbedderThresholdConfiguration.NoteLength)] : null;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<EmbedderThreshold>().SingleOrDefaultAsync(t => t.EmbedderId == embedderId, cancellationToken);
        var before = row?.Threshold;
        if (row is null)
            db.Add(row = new EmbedderThreshold { EmbedderId = embedderId, UpdatedBy = audit.Actor });
        (row.Threshold, row.Note, row.UpdatedAt, row.UpdatedBy) = (threshold, note, time.GetUtcNow(), audit.Actor);
        audit.Add(db, AuditActions.Settings, AuditTargets.EmbedderThreshold, embedderId,
            $"filter threshold {threshold:0.00}{(before is { } b ? $" (was {b:0.00})" : "")}{(note is null ? "" : $": {note}")}");
        await db.SaveChangesAsync(cancellationToken);
        Interlocked.Increment(ref version);
        return await ResolveAsync(embedderId, cancellationToken);
    }

    /// <summary>Removes the stored threshold (configuration, the shipped value or the paper's then apply) and returns what is now in force.</summary>
    public async Task<ThresholdChoice> ResetAsync(string embedderId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Set<EmbedderThreshold>().SingleOrDefaultAsync(t => t.EmbedderId == embedderId, cancellationToken) is { } row)
        {
            db.Remove(row);
            audit.Add(db, AuditActions.Delete, AuditTargets.EmbedderThreshold, embedderId, $"stored filter threshold {row.Threshold:0.00} removed");
            await db.SaveChangesAsync(cancellationToken);
            Interlocked.Increment(ref version);
        }
        return await ResolveAsync(embedderId, cancellationToken);
    }
}
