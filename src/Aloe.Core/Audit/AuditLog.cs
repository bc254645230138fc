using System.Globalization;
using Aloe.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Core.Audit;

public sealed record AuditRow(long Id, DateTimeOffset At, string Actor, string Action, string TargetType, string? TargetId, string? Detail);

public sealed record AuditFilter(string? Actor = null, string? Action = null);

/// <summary>
/// Records who made each write. <see cref="Add"/> puts the entry in the caller's context, so it
/// commits with the write it describes; <see cref="RecordAsync"/> is for writes outside the
/// database (exports to a file) or through another store (Identity).
/// </summary>
public sealed class AuditLog(IDbContextFactory<AloeDbContext> dbFactory, ICurrentActor actor, TimeProvider time)
{
    public string Actor => actor.Name;

    public AuditEntry Add(AloeDbContext db, string action, string targetType, object? targetId = null, string? detail = null)
    {
        var entry = new AuditEntry
        {
            At = time.GetUtcNow(),
            Actor = Clip(actor.Name, 128)!,
            Action = action,
            TargetType = targetType,
            TargetId = Clip(Convert.ToString(targetId, CultureInfo.InvariantCulture), 64),
            Detail = Clip(detail, AuditEntryConfiguration.DetailLength),
        };
        db.Add(entry);
        return entry;
    }

    public async Task RecordAsync(string action, string targetType, object? targetId = null, string? detail = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        Add(db, action, targetType, targetId, detail);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The filtered entries, newest first (the grid pages the same query itself).</summary>
    public static IQueryable<AuditEntry> Query(AloeDbContext db, AuditFilter filter)
    {
        var query = db.Set<AuditEntry>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Actor)) query = query.Where(e => e.Actor == filter.Actor);
        if (!string.IsNullOrWhiteSpace(filter.Action)) query = query.Where(e => e.Action == filter.Action);
        return query;
    }

    public async Task<IReadOnlyList<AuditRow>> ListAsync(AuditFilter filter, int limit = 1000, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Query(db, filter).OrderByDescending(e => e.Id).Take(Math.Clamp(limit, 1, 100_000))
            .Select(e => new AuditRow(e.Id, e.At, e.Actor, e.Action, e.TargetType, e.TargetId, e.Detail)).ToListAsync(cancellationToken);
    }

    /// <summary>The people and processes that have written anything, for the Activity list's filter.</summary>
    public async Task<IReadOnlyList<string>> ActorsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<AuditEntry>().Select(e => e.Actor).Distinct().OrderBy(a => a).ToListAsync(cancellationToken);
    }

    public async Task WriteCsvAsync(AuditFilter filter, TextWriter output, CancellationToken cancellationToken = default)
    {
        await output.WriteLineAsync("id,at,actor,action,target_type,target_id,detail");
        foreach (var r in await ListAsync(filter, 100_000, cancellationToken))
            await output.WriteLineAsync(string.Join(',', r.Id.ToString(CultureInfo.InvariantCulture), r.At.ToString("O", CultureInfo.InvariantCulture),
                Csv.Field(r.Actor), Csv.Field(r.Action), Csv.Field(r.TargetType), Csv.Field(r.TargetId ?? ""), Csv.Field(r.Detail ?? "")));
    }

    static string? Clip(string? text, int length) => text is null || text.Length <= length ? text : text[..(length - 1)] + "…";
}
