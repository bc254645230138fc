using Bunit;
using MudBlazor;
using MudBlazor.Services;

namespace Aloe.Web.Tests.Support;

/// <summary>
/// Base for bUnit component tests: MudBlazor's services, loose JS interop (MudBlazor and
/// Plotly.Blazor call JavaScript that bUnit does not run);
/// <see cref="RenderProviders"/> adds the popover and dialog providers. Register the page's own services on <c>Services</c> before Render.
/// </summary>
public abstract class MudComponentTest : BunitContext, IAsyncLifetime
{
    protected MudComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    /// <summary>
    /// Renders the popover and dialog providers that menus, selects, tooltips and dialogs need (after
    /// the test has registered its services: rendering locks them). Dialogs appear in the returned markup.
    /// </summary>
    protected IRenderedComponent<MudDialogProvider> RenderProviders()
    {
        Render<MudPopoverProvider>();
        return Render<MudDialogProvider>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only asynchronously disposable.
    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await OnDisposedAsync();
    }

    /// <summary>Disposes what the test class holds besides the context (e.g. a test app).</summary>
    protected virtual Task OnDisposedAsync() => Task.CompletedTask;
}
