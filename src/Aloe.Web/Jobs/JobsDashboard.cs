using System.Net;
using Hangfire;
using Hangfire.Dashboard;

namespace Aloe.Web.Jobs;

/// <summary>Hangfire's own dashboard at /hangfire: its queues, servers and executions (the JobRun records stay on the Jobs page).</summary>
public static class JobsDashboard
{
    public const string Path = "/hangfire";

    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder app)
    {
        app.MapHangfireDashboard(Path, new DashboardOptions
        {
            // Open to the local user only until sign-in exists; then to researchers.
            Authorization = [new LoopbackOnly()],
            DisplayStorageConnectionString = false,
        });
        return app;
    }

    sealed class LoopbackOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) =>
            context.GetHttpContext().Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);
    }
}
