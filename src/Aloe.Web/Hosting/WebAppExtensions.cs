global using Aloe.Core.Jobs;
global using Aloe.Web.Shared;
global using MudBlazor;
using Aloe.Web.Jobs;
using MudBlazor.Services;

namespace Aloe.Web.Hosting;

public static class WebAppExtensions
{
    /// <summary>Interactive Server components with MudBlazor, live job progress and the OpenAPI document.</summary>
    public static IHostApplicationBuilder AddWebApp(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents(o =>
        {
            // A closed tab ends its circuit at once; a dropped connection keeps it for a reconnect. Those kept
            // circuits are what can pile up (each holds its pages' state: docs/performance.md measures about
            // what one costs), so fewer are kept for a shorter time than the defaults (100, 3 minutes).
            o.DisconnectedCircuitMaxRetained = 50;
            o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(1);
        });
        builder.Services.AddSingleton<CircuitCounter>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<CircuitCounter>());
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, PendingJsCalls>();
        builder.Services.AddMudServices();
        builder.Services.AddSingleton<JobWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JobWatcher>());
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>Error and 404 pages, static files, antiforgery (Blazor forms), the OpenAPI document at /openapi/v1.json.</summary>
    public static WebApplication UseWebApp(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        // Status-code pages for pages; RFC 7807 problems under /api.
        app.UseApiProblems();
        app.MapStaticAssets();
        app.UseStaticFiles();
        app.UseAntiforgery();
        app.MapOpenApi();
        return app;
    }
}
