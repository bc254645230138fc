using Aloe.Cli;

namespace Aloe.Core.Tests.Cli;

/// <summary>The `aloe` entry point as a newcomer meets it (audit, issue 14, item 9).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CliAppTests : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), "aloe-tests", "cli-" + Guid.NewGuid().ToString("N"));

    public CliAppTests() => Directory.CreateDirectory(folder);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var code = await CliApp.RunAsync(args, stderr);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    string Db => Path.Combine(folder, "aloe.db");

    [Fact]
    public async Task DbOptionChoosesTheDatabaseAndDbPathPrintsIt()
    {
        var (code, output, _) = await Run("db", "path", "--db", Db);
        Assert.Equal(0, code);
        Assert.Equal(Db, output.Trim());
        Assert.True(File.Exists(Db));
    }

    [Fact]
    public async Task ADirectoryGivenAsTheDatabaseIsOneLineOfErrorNotAStackTrace()
    {
        var (code, _, error) = await Run("db", "path", "--db", folder);
        Assert.Equal(2, code);
        Assert.StartsWith("aloe: --db ", error);
        Assert.Contains("is a directory", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task ADirectoryGivenAsAnInputFileIsOneLineOfErrorNotAStackTrace()
    {
        var (code, _, error) = await Run("--db", Db, "dialogues", "import", folder);
        Assert.NotEqual(0, code);
        Assert.StartsWith("aloe: ", error);
        Assert.DoesNotContain("   at ", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task AnUnknownEndpointIsOneLineOfErrorNotAStackTrace()
    {
        var (code, _, error) = await Run("--db", Db, "bench", "run", "--evaluated", "m", "--endpoint", "nowhere", "--cases", "1", "--turns", "2");
        Assert.NotEqual(0, code);
        Assert.Contains("nowhere", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task AModelNameOverTheLimitIsRefusedWithTheLimit()
    {
        var (code, _, error) = await Run("--db", Db, "bench", "run", "--evaluated", new string('m', 201), "--turns", "2");
        Assert.NotEqual(0, code);
        Assert.Contains("the limit is 200", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task APersonaTextOverTheLimitIsRefusedNamingItsLine()
    {
        var file = Path.Combine(folder, "long.jsonl");
        await File.WriteAllTextAsync(file, "\"a short profile\"\n\"" + new string('x', 10_001) + "\"\n");
        var (code, _, error) = await Run("--db", Db, "personas", "import", "--kind", "profile", file);
        Assert.NotEqual(0, code);
        Assert.Contains("Line 2: the text is 10,001 characters long; the limit is 10,000.", error);
    }

    [Fact]
    public async Task GenerationBySimulatedProviderSaysSoAtTheTopOfItsJson()
    {
        var (code, output, _) = await Run("--db", Db, "personas", "generate", "--kind", "Profile", "--max-rounds", "1", "--calls", "2", "--seed", "3", "--json");
        Assert.Equal(0, code);
        var result = System.Text.Json.JsonDocument.Parse(output[output.IndexOf('{')..]).RootElement;
        Assert.True(result.GetProperty("simulated").GetBoolean());
    }

    [Fact]
    public async Task GenerationDryRunForecastsEveryRoundsCallsAndStartsNothing()
    {
        var (code, output, _) = await Run("--db", Db, "personas", "generate", "--kind", "Profile", "--max-rounds", "4", "--calls", "3", "--dry-run", "--json");
        Assert.Equal(0, code);
        var forecast = System.Text.Json.JsonDocument.Parse(output[output.IndexOf('{')..]).RootElement;
        Assert.Equal(12, forecast.GetProperty("calls").GetInt32());
        var (_, jobs, _) = await Run("--db", Db, "jobs", "list", "--json");
        Assert.DoesNotContain("generate", jobs, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PairingSaysWhichSchemeItUsed()
    {
        var (code, output, _) = await Run("--db", Db, "personas", "pair", "--scheme", "per-profile", "--uses", "2", "--seed", "1", "--json");
        Assert.Equal(0, code);
        var result = System.Text.Json.JsonDocument.Parse(output[output.IndexOf('{')..]).RootElement;
        Assert.Equal("per-profile", result.GetProperty("scheme").GetString());
        Assert.True(result.GetProperty("created").GetInt32() > 0);

        var (missing, _, error) = await Run("--db", Db, "personas", "pair", "--seed", "1");
        Assert.Equal(1, missing);
        Assert.Contains("--count", error);
    }

    [Fact]
    public async Task CalibrateSaveStoresTheSuggestedOrAChosenThresholdForTheEmbedder()
    {
        var (code, output, _) = await Run("--db", Db, "personas", "calibrate", "--save", "--json");
        Assert.Equal(0, code);
        var saved = System.Text.Json.JsonDocument.Parse(output[output.IndexOf('{')..]).RootElement;
        var current = saved.GetProperty("current");
        Assert.Equal("Stored", current.GetProperty("source").GetString());
        Assert.Equal(saved.GetProperty("suggestedThreshold").GetDouble(), current.GetProperty("threshold").GetDouble());
        Assert.StartsWith("calibrated ", current.GetProperty("note").GetString());

        var (chosen, text, _) = await Run("--db", Db, "personas", "calibrate", "--threshold", "0.55", "--save");
        Assert.Equal(0, chosen);
        Assert.Contains($"Stored {0.55:0.00} for lexical-v2-", text);

        // Another process reads it back, with where it came from.
        var (_, again, _) = await Run("--db", Db, "personas", "calibrate", "--json");
        var read = System.Text.Json.JsonDocument.Parse(again[again.IndexOf('{')..]).RootElement.GetProperty("current");
        Assert.Equal((0.55, "Stored"), (read.GetProperty("threshold").GetDouble(), read.GetProperty("source").GetString()));
        Assert.StartsWith("set by hand", read.GetProperty("note").GetString());
        Assert.StartsWith("stored for this embedder on ", read.GetProperty("description").GetString());

        var (reset, resetText, _) = await Run("--db", Db, "personas", "calibrate", "--reset");
        Assert.Equal(0, reset);
        Assert.Contains("shipped calibration for lexical-v2", resetText);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("abc")]
    public async Task AThresholdOutsideZeroToOneIsOneLineOfErrorAndStoresNothing(string threshold)
    {
        var (code, _, error) = await Run("--db", Db, "personas", "calibrate", "--threshold", threshold, "--save");
        Assert.Equal(2, code);
        Assert.Equal($"aloe: --threshold must be a number from 0 to 1, not '{threshold}'.", error.Trim());

        var (_, output, _) = await Run("--db", Db, "personas", "calibrate", "--json");
        var current = System.Text.Json.JsonDocument.Parse(output[output.IndexOf('{')..]).RootElement.GetProperty("current");
        Assert.Equal("Shipped", current.GetProperty("source").GetString());
    }

    [Fact]
    public void TheDatabaseOptionIsTakenOutBeforeTheCommandIsParsed()
    {
        var (arguments, database) = CliApp.TakeDatabase(["db", "--db", "x.db", "path"]);
        Assert.Equal(["db", "path"], arguments);
        Assert.Equal("x.db", database);
        Assert.Equal("y.db", CliApp.TakeDatabase(["--db=y.db"]).Database);
        Assert.Throws<CliUserException>(() => CliApp.TakeDatabase(["db", "--db"]));
    }
}
