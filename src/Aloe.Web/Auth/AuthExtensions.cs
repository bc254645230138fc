using System.Net;
using System.Security.Claims;
using Aloe.Core.Auth;
using Aloe.Core.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Aloe.Web.Auth;

/// <summary>Sign-in settings. Loopback requests act as the local admin (the README's first command just works); the Docker image sets this false.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";
    public bool LoopbackIsAdmin { get; set; } = true;
}

public static class AuthExtensions
{
    public const string ResearcherPolicy = "Researcher";

    /// <summary>ASP.NET Core Identity over AloeDbContext, a sign-in cookie, roles, and data-protection keys beside the database (sign-ins survive restarts).</summary>
    public static IHostApplicationBuilder AddAloeAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        // Identity's stores take the context from the request scope; everything else uses the factory.
        builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AloeDbContext>>().CreateDbContext());
        builder.Services.AddIdentity<IdentityUser, IdentityRole>(o =>
            {
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireDigit = false;
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@";
            })
            .AddEntityFrameworkStores<AloeDbContext>()
            .AddDefaultTokenProviders();
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "aloe.auth";
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/account/login";
            o.SlidingExpiration = true;
        });
        builder.Services.AddAuthorizationBuilder().AddPolicy(ResearcherPolicy, p => p.RequireRole(Roles.Admin, Roles.Researcher));
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, ActorCircuitHandler>();

        // Data-protection keys (the sign-in cookie) persist beside the database: Hosting/DataProtectionExtensions.
        return builder;
    }

    /// <summary>
    /// Authentication, then the house rule: a loopback request without a sign-in acts as the local
    /// admin (when enabled); any other request must sign in, except the sign-in and invite pages and
    /// static files; an account that is only an Annotator reaches only its own annotation pages.
    /// The same rule guards in-circuit navigation (<see cref="PageAccess"/>), which sends no HTTP request.
    /// </summary>
    public static WebApplication UseAloeAuth(this WebApplication app)
    {
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            var options = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>().Value;
            var path = context.Request.Path;
            if (context.User.Identity?.IsAuthenticated != true && options.LoopbackIsAdmin && IsLoopback(context.Connection.RemoteIpAddress))
                context.User = LocalAdmin;
            if (context.User.Identity?.IsAuthenticated != true)
            {
                if (!PageAccess.IsPublic(path))
                {
                    if (path.StartsWithSegments("/api"))
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    else
                        context.Response.Redirect("/account/login?returnUrl=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
                    return;
                }
            }
            else if (!PageAccess.IsResearcher(context.User) && !PageAccess.IsPublic(path) && !PageAccess.IsAnnotatorPath(path))
            {
                if (path.StartsWithSegments("/api"))
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                else
                    context.Response.Redirect("/annotate");
                return;
            }
            Aloe.Core.Audit.AuditActor.Current = ActorTracking.Describe(context.User);
            await next();
        });
        app.UseAuthorization();
        return app;
    }

    /// <summary>TestServer (in-process tests) has no remote address; Kestrel always sets one.</summary>
    static bool IsLoopback(IPAddress? address) => address is null || IPAddress.IsLoopback(address);

    static readonly ClaimsPrincipal LocalAdmin = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "local admin"), new Claim(ClaimTypes.NameIdentifier, "local-admin"), new Claim(ClaimTypes.Role, Roles.Admin)], ActorTracking.LoopbackScheme));

    /// <summary>Creates the three roles once.</summary>
    public static async Task EnsureRolesAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));
    }
}

/// <summary>Which paths anyone may open, and which an annotator may (one list for HTTP and in-circuit navigation).</summary>
public static class PageAccess
{
    static readonly string[] Public = ["/account", "/invite", "/_framework", "/_content", "/health", "/error", "/not-found", "/favicon.ico"];
    static readonly string[] Annotator = ["/annotate", "/_blazor"];

    static readonly string[] StaticFiles = [".css", ".js", ".mjs", ".map", ".png", ".jpg", ".svg", ".ico", ".woff", ".woff2"];

    public static bool IsPublic(PathString path) =>
        Public.Any(p => path.StartsWithSegments(p)) || StaticFiles.Contains(Path.GetExtension(path.Value ?? ""), StringComparer.OrdinalIgnoreCase);

    public static bool IsAnnotatorPath(PathString path) => Annotator.Any(p => path.StartsWithSegments(p));

    public static bool IsResearcher(ClaimsPrincipal user) => user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Researcher);
}
