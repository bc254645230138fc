using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Aloe.Core.Audit;

public static class AuditExtensions
{
    /// <summary>The audit log (with the data layer: every host that writes has it). Who writes comes from <see cref="AuditActor.Current"/>.</summary>
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<ICurrentActor, AmbientActor>();
        builder.Services.TryAddSingleton<AuditLog>();
        return builder;
    }
}
