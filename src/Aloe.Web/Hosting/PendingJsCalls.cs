using System.Collections;
using System.Reflection;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.JSInterop;

namespace Aloe.Web.Hosting;

/// <summary>
/// Ends a closing circuit's JS calls that are still waiting for the browser. A tab that leaves a page
/// while a chart is being drawn never answers that call, and Plotly.Blazor passes its own token, so
/// Blazor's call timeout does not apply: the chart's dispose then waits for the call, the circuit's
/// dispose for the chart, and the tab's disconnect request, the circuit's memory and a shutdown of
/// the app wait with them, without end (measured: a test app's stop held for over 3 minutes). A
/// closed circuit is gone for good, so nothing can answer; its handlers run before its components
/// are disposed, and this one cancels what is pending so that they dispose at once.
/// </summary>
/// <remarks>
/// Blazor keeps the pending calls in a private field of <see cref="JSRuntime"/>; if a later version
/// renames it, this does nothing (the browser tests' circuit check would then fail: CircuitDisconnects).
/// </remarks>
internal sealed class PendingJsCalls(IJSRuntime js) : CircuitHandler
{
    static readonly FieldInfo? Pending = typeof(JSRuntime).GetField("_pendingTasks", BindingFlags.Instance | BindingFlags.NonPublic);

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (js is JSRuntime runtime && Pending?.GetValue(runtime) is IDictionary pending)
            foreach (var completion in pending.Values.Cast<object>().ToList())
                completion.GetType().GetMethod("TrySetCanceled", Type.EmptyTypes)?.Invoke(completion, null);
        return Task.CompletedTask;
    }
}
