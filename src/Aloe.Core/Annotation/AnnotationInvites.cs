using Aloe.Core.Audit;
using System.Security.Cryptography;
using System.Text;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Annotation;

public sealed record CreatedInvite(long Id, string Name, string Token, DateTimeOffset ExpiresAt);

/// <summary>Invite links for annotators: single use, expiring, only a hash of the token kept.</summary>
internal sealed class AnnotationInvites(IDbContextFactory<AloeDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(7);

    public async Task<CreatedInvite> CreateAsync(long campaignId, string name, string? createdBy, TimeSpan? lifetime = null, CancellationToken cancellationToken = default)
    {
        name = name.Trim();
        if (name.Length is 0 or > 64 || name.Any(c => !(char.IsLetterOrDigit(c) || c is '-' or '_' or '.')) || name.Equals(AnnotationService.JudgeRater, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("An annotator's name is 1-64 letters, digits, '-', '_' or '.', and not 'judge'.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Set<AnnotationCampaign>().AnyAsync(c => c.Id == campaignId, cancellationToken))
            throw new KeyNotFoundException($"No annotation campaign {campaignId}.");
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        var invite = new AnnotationInvite
        {
            CampaignId = campaignId, Name = name, TokenHash = Hash(token), CreatedBy = createdBy,
            CreatedAt = time.GetUtcNow(), ExpiresAt = time.GetUtcNow() + (lifetime ?? DefaultLifetime),
        };
        db.Add(invite);
        audit.Add(db, AuditActions.Invite, AuditTargets.Campaign, campaignId, $"invite for {name}, expires {invite.ExpiresAt:yyyy-MM-dd HH:mm} UTC");
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedInvite(invite.Id, name, token, invite.ExpiresAt);
    }

    /// <summary>The invite a token names, if it is unused and unexpired.</summary>
    public async Task<AnnotationInvite?> FindValidAsync(string token, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var hash = Hash(token);
        var invite = await db.Set<AnnotationInvite>().AsNoTracking().FirstOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        return invite is { UsedAt: null } && invite.ExpiresAt > time.GetUtcNow() ? invite : null;
    }

    /// <summary>Marks the invite used; false when another request used it first (single use under races).</summary>
    public async Task<bool> UseAsync(long inviteId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        return await db.Set<AnnotationInvite>().Where(i => i.Id == inviteId && i.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, now), cancellationToken) == 1;
    }

    static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
