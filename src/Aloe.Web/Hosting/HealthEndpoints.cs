using Aloe.Core.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Web.Hosting;

public sealed record Health(string Status, string Version, string Database, string? Error);

/// <summary>The server's memory and Blazor circuits (after a full collection when asked), for measuring memory per circuit.</summary>
public sealed record MemoryReport(int OpenCircuits, int ConnectedCircuits, double GcHeapMb, double ManagedMb, double WorkingSetMb, int Gen2Collections);

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Check);
        // Behind the sign-in rule like the rest of /api (loopback acts as the local admin).
        app.MapGet("/api/diagnostics/memory", Memory);
        return app;
    }

    static Ok<MemoryReport> Memory(CircuitCounter circuits, bool? collect)
    {
        if (collect == true)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return TypedResults.Ok(new MemoryReport(circuits.Open, circuits.Connected, GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0,
            GC.GetTotalMemory(false) / 1048576.0, process.WorkingSet64 / 1048576.0, GC.CollectionCount(2)));
    }

    static async Task<Results<Ok<Health>, JsonHttpResult<Health>>> Check(IDbContextFactory<AloeDbContext> dbFactory, CancellationToken cancellationToken)
    {
        var version = typeof(HealthEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
            return TypedResults.Ok(new Health("ok", version, "ok", null));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return TypedResults.Json(new Health("unhealthy", version, "unreachable", ex.Message), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
