using Aloe.Core.Data;
using Aloe.Testing;
using Aloe.Web.Jobs;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;

namespace Aloe.Web.Tests.Support;

/// <summary>
/// bUnit over a real feature: like <see cref="MudComponentTest"/>, with a <see cref="TestHost"/>
/// (database, jobs, the feature's Core services, a scripted model) behind the component's services
/// and a <see cref="JobWatcher"/>. The host starts before anything renders, since bUnit takes no
/// service registrations after the first render.
/// </summary>
public abstract class HostedComponentTest : BunitContext, IAsyncLifetime
{
    /// <param name="forwarded">Services a component resolves through an injected <see cref="IServiceProvider"/>
    /// (optional ones, or ones with heavy dependencies): that provider does not see the fallback.</param>
    protected HostedComponentTest(Action<IHostApplicationBuilder> configure, params Type[] forwarded)
    {
        Host = TestHost.StartAsync(configure).GetAwaiter().GetResult();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(new JobWatcher(Host.Get<IDbContextFactory<AloeDbContext>>(), TimeProvider.System, NullLogger<JobWatcher>.Instance));
        foreach (var type in forwarded)
            Services.AddSingleton(type, _ => Host.Services.GetRequiredService(type));
        Services.AddFallbackServiceProvider(Host.Services);
        Render<MudPopoverProvider>();
    }

    protected TestHost Host { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        // MudBlazor's services are only asynchronously disposable.
        await base.DisposeAsync();
        await Host.DisposeAsync();
    }
}
