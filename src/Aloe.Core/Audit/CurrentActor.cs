namespace Aloe.Core.Audit;

/// <summary>Who is making the current write, for the audit list.</summary>
public interface ICurrentActor
{
    string Name { get; }
}

/// <summary>
/// The actor of the current logical call: the web app sets it per HTTP request and per circuit
/// activity (so singleton Core services need no scoped user), the CLI once for the process;
/// anything else (the worker, start-up work) is "system".
/// </summary>
public static class AuditActor
{
    public const string System = "system";
    public const string LocalAdmin = "local admin (loopback)";

    static readonly AsyncLocal<string?> current = new();

    public static string? Current
    {
        get => current.Value;
        set => current.Value = value;
    }

    public static string Cli() => $"cli:{Environment.UserName}";
}

internal sealed class AmbientActor : ICurrentActor
{
    public string Name => AuditActor.Current ?? AuditActor.System;
}
