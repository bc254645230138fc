using MudBlazor;

namespace Aloe.Web.Shared;

/// <summary>
/// How pages tell the user that something finished or failed: a snackbar, never a blank area
/// or an unhandled exception that kills the circuit.
/// </summary>
internal static class Notify
{
    public static void Done(this ISnackbar snackbar, string message) => snackbar.Add(message, Severity.Success);

    public static void Error(this ISnackbar snackbar, string message) =>
        snackbar.Add(message, Severity.Error, o => o.RequireInteraction = true);

    /// <summary>
    /// Runs an action started by the user; a failure becomes an error snackbar ("Could not
    /// cancel the run: ...") and false, so the page stays usable.
    /// </summary>
    public static async Task<bool> TryAsync(this ISnackbar snackbar, string whatFailed, Func<Task> action)
    {
        try
        {
            await action();
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            snackbar.Error($"{whatFailed}: {ex.Message}");
            return false;
        }
    }
}

/// <summary>Confirmation before anything that deletes or writes a lot: the dialog says what goes with it.</summary>
internal static class Confirm
{
    /// <summary>True when the user pressed <paramref name="yes"/>.</summary>
    public static async Task<bool> AskAsync(this IDialogService dialogs, string title, string message, string yes = "Delete")
    {
        var answer = await dialogs.ShowMessageBoxAsync(title, message, yesText: yes, cancelText: "Cancel");
        return answer == true;
    }
}
