using Bunit;
using MudBlazor;
using MudBlazor.Services;

namespace Aloe.Web.Tests.Support;

/// <summary>
/// Base for bUnit component tests: MudBlazor's services, loose JS interop (MudBlazor and
/// Plotly.Blazor call JavaScript that bUnit does not run) and the popover provider that menus,
/// selects and tooltips need. Register the page's own services on <c>Services</c> before Render.
/// </summary>
public abstract class MudComponentTest : BunitContext, IAsyncLifetime
{
    protected MudComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Render<MudPopoverProvider>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only asynchronously disposable.
    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();
}
