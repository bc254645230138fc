using System.Security.Claims;
using Aloe.Core.Audit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Aloe.Web.Auth;

/// <summary>
/// Tells the audit log who is writing (<see cref="AuditActor.Current"/>): set per HTTP request by
/// the sign-in middleware and per inbound circuit activity (a click, a key, a navigation) here, so
/// the singleton Core services record the right person without a scoped user of their own.
/// </summary>
internal sealed class ActorCircuitHandler(AuthenticationStateProvider authentication) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            AuditActor.Current = ActorTracking.Describe((await authentication.GetAuthenticationStateAsync()).User);
            await next(context);
        };
}

internal static class ActorTracking
{
    public const string LoopbackScheme = "Loopback";

    public static string Describe(ClaimsPrincipal user) =>
        user.Identity is not { IsAuthenticated: true } identity ? "anonymous"
        : identity.AuthenticationType == LoopbackScheme ? AuditActor.LocalAdmin
        : identity.Name ?? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";
}
