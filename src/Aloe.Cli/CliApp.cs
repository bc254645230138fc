using System.CommandLine;
using Microsoft.Extensions.Options;

namespace Aloe.Cli;

/// <summary>A mistake of the person at the keyboard: printed as one line, never with a stack trace.</summary>
internal sealed class CliUserException(string message) : Exception(message);

/// <summary>
/// `aloe`: finds its folder like the web app (or ALOE_ROOT), takes its database from --db,
/// ALOE_DB or appsettings.json, and turns every error into one line on stderr (a stack trace
/// only with ALOE_DEBUG=1).
/// </summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        // Every write the command makes is recorded as the OS user's (the audit list on the Jobs page).
        Aloe.Core.Audit.AuditActor.Current ??= Aloe.Core.Audit.AuditActor.Cli();
        try
        {
            var (rest, database) = TakeDatabase(args);
            database ??= Environment.GetEnvironmentVariable(CliHost.DatabaseVariable);
            using var host = CliHost.Build(database: database);
            var root = Commands(host.Services);
            return await root.Parse(rest).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("ALOE_DEBUG") != "1")
        {
            error.WriteLine($"aloe: {Describe(e)}");
            return IsUserError(e) ? 2 : 1;
        }
    }

    public static RootCommand Commands(IServiceProvider services) => new("ALOE Studio: persona pools, preference dialogues, benchmark and analysis for personalised alignment (Wu et al., COLING 2025).")
    {
        JobsCommands.Create(services),
        JobsCommands.Worker(),
        DbCommands.Create(services),
        LlmCommands.Create(services),
        PersonasCommands.Create(services),
        DialoguesCommands.Create(services),
        BenchCommands.Create(services),
        BenchCommands.CreateMetrics(),
        ScoresCommands.Create(services),
        AgreementCommands.Create(),
        AnnotationCommands.Create(services),
        UsersCommands.Create(services),
        AuditCommands.Create(services),
        DatabaseOption(),
    };

    /// <summary>Listed in --help; read before the host is built (the host needs the database first).</summary>
    static Option<string?> DatabaseOption() => new("--db") { Description = $"SQLite database file to use (default: appsettings.json's, or {CliHost.DatabaseVariable})", Recursive = true };

    internal static (string[] Arguments, string? Database) TakeDatabase(string[] args)
    {
        var rest = new List<string>();
        string? database = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--db")
            {
                if (i + 1 >= args.Length)
                    throw new CliUserException("--db needs a file path.");
                database = args[++i];
            }
            else if (args[i].StartsWith("--db=", StringComparison.Ordinal))
                database = args[i]["--db=".Length..];
            else
                rest.Add(args[i]);
        }
        return ([.. rest], database);
    }

    static bool IsUserError(Exception e) => e is CliUserException or ArgumentException or FormatException or FileNotFoundException
        or DirectoryNotFoundException or UnauthorizedAccessException or IOException or OptionsValidationException or InvalidOperationException;

    static string Describe(Exception e) => e switch
    {
        OptionsValidationException o => "the configuration is invalid: " + string.Join("; ", o.Failures),
        UnauthorizedAccessException when e.Message.Contains("Access to the path", StringComparison.Ordinal) => e.Message + " (is it a directory?)",
        _ => e.GetBaseException().Message,
    };
}
