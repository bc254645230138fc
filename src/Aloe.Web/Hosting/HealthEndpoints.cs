using Aloe.Core.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Web.Hosting;

public sealed record Health(string Status, string Version, string Database, string? Error);

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Check);
        return app;
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
