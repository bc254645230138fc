using System.Text.RegularExpressions;
using Aloe.Cli;
using Aloe.Core.Benchmark;
using Aloe.Core.Dialogues;
using Aloe.Core.Personas;
using Aloe.Testing;

namespace Aloe.Core.Tests.Cli;

/// <summary>The README's commands work as written for a newcomer (audit, issue 14, item 15).</summary>
public sealed partial class ReadmeTests
{
    static readonly string Readme = File.ReadAllText(Path.Combine(TestHost.RepositoryRoot(), "README.md"));

    static IEnumerable<string> CommandLines() =>
        CodeBlocks().Matches(Readme).SelectMany(m => m.Groups[1].Value.Replace("\\\n", " ").Split('\n'))
            .Select(l => l.Split(" #")[0].Trim())
            .Select(l => l.StartsWith("dotnet run --project src/Aloe.Cli -- ", StringComparison.Ordinal) ? "aloe " + l["dotnet run --project src/Aloe.Cli -- ".Length..] : l)
            .Where(l => l.StartsWith("aloe ", StringComparison.Ordinal));

    [Fact]
    public async Task EveryAloeCommandInTheReadmeParses()
    {
        await using var host = await TestHost.StartAsync(b => b.AddPersonas().AddDialogues().AddBenchmark());
        var lines = CommandLines().ToList();
        Assert.True(lines.Count >= 10, $"only {lines.Count} aloe commands found");
        foreach (var line in lines)
        {
            var (arguments, _) = CliApp.TakeDatabase(Words(line)[1..]);
            var parse = CliApp.Commands(host.Services).Parse(arguments);
            Assert.True(parse.Errors.Count == 0, $"README: `{line}`: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        }
    }

    [Fact]
    public void TheReadmeShowsHowToRunAloeBeforeUsingIt()
    {
        var runForm = Readme.IndexOf("dotnet run --project src/Aloe.Cli --", StringComparison.Ordinal);
        var firstBareAloe = Readme.IndexOf("\naloe ", StringComparison.Ordinal);
        Assert.InRange(runForm, 0, firstBareAloe);
        Assert.Contains("dotnet publish src/Aloe.Cli", Readme[..firstBareAloe]);
    }

    // As a shell splits it: a double-quoted argument (a formula) is one word.
    static string[] Words(string line) => [.. ShellWords().Matches(line).Select(m => m.Value.Trim('"'))];

    [GeneratedRegex("\"[^\"]*\"|\\S+")]
    private static partial Regex ShellWords();

    [GeneratedRegex(@"```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlocks();
}
