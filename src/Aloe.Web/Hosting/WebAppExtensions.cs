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
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
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
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.MapStaticAssets();
        app.UseStaticFiles();
        app.UseAntiforgery();
        app.MapOpenApi();
        return app;
    }
}
