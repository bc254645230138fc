using System.CommandLine;

namespace Aloe.Core.Tests;

/// <summary>Tests that redirect the process-wide Console run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}

/// <summary>Runs a command line with the process-wide Console captured (for tests in <see cref="ConsoleCollection"/>).</summary>
internal static class ConsoleCapture
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(RootCommand root, params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var code = await root.Parse(args).InvokeAsync();
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    /// <summary>
    /// The printed JSON document: other tests' hosts running in parallel may log to the console
    /// while it is redirected, so lines outside the document are ignored.
    /// </summary>
    public static string Json(string output)
    {
        var lines = output.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith('{'));
        var end = Array.FindLastIndex(lines, l => l.StartsWith('}'));
        return start < 0 || end < start ? output : string.Join('\n', lines[start..(end + 1)]);
    }
}
