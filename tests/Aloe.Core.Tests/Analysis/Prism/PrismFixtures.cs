namespace Aloe.Core.Tests.Analysis.Prism;

/// <summary>
/// Synthetic PRISM files with exactly the data set's schema (no real PRISM rows are available
/// here): two participants, two conversations, seven utterances, turn-0 within_turn_ids that are
/// interface ids, and "EMPTY STRING" texts.
/// </summary>
internal static class PrismFixtures
{
    public static string Valid => Path.Combine(AppContext.BaseDirectory, "Analysis", "Prism", "Fixtures", "valid");

    /// <summary>A copy of the valid fixtures in a fresh folder, with <paramref name="change"/> applied to one file's lines.</summary>
    public static string CopyWith(string file, Func<List<string>, List<string>> change)
    {
        var directory = Path.Combine(Path.GetTempPath(), "aloe-tests", "prism-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        foreach (var source in Directory.GetFiles(Valid))
            File.Copy(source, Path.Combine(directory, Path.GetFileName(source)));
        var path = Path.Combine(directory, file);
        File.WriteAllLines(path, change(File.ReadAllLines(path).ToList()));
        return directory;
    }
}
