using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Aloe.Web.Hosting;

/// <summary>
/// How many Blazor circuits the server holds (open: created and not yet disposed, connected or
/// kept for a reconnect; connected: with a live connection), for the memory figure
/// (GET /api/diagnostics/memory) and the `circuits` benchmark that checks they are released.
/// </summary>
internal sealed class CircuitCounter : CircuitHandler
{
    int open;
    int connected;

    public int Open => Volatile.Read(ref open);
    public int Connected => Volatile.Read(ref connected);

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref open);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Decrement(ref open);
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref connected);
        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Decrement(ref connected);
        return Task.CompletedTask;
    }
}
