using System.Text.Json;
using Aloe.Core.Conversations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aloe.Core.Benchmark;

/// <summary>One evaluation case: a stable key (to pair runs) and the persona the simulated user plays.</summary>
public sealed record BenchmarkCaseInput(string CaseKey, PersonaText Persona);

/// <summary>An evaluation set and a short description stored on each run.</summary>
public sealed record BenchmarkCaseSet(string Name, IReadOnlyList<BenchmarkCaseInput> Cases);

/// <summary>Where evaluation personas come from (the persona pools feature, or the ALOE files).</summary>
public interface IBenchmarkCaseSource
{
    /// <summary>The paper's construction: every evaluation profile x the first 5 evaluation personalities, profile-major.</summary>
    Task<BenchmarkCaseSet> GetEvaluationSetAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Reads the ALOE authors' evaluation pools (profile_eval.jsonl, personality_eval.jsonl: one
/// JSON string per line) from <see cref="BenchmarkOptions.EvaluationPoolFolder"/>.
/// </summary>
internal sealed class AloeEvaluationPoolCaseSource(IOptions<BenchmarkOptions> options, IHostEnvironment environment) : IBenchmarkCaseSource
{
    /// <summary>Section 3: "20 user profiles x the first 5 personalities".</summary>
    public const int PersonalitiesPerProfile = 5;

    public async Task<BenchmarkCaseSet> GetEvaluationSetAsync(CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.EvaluationPoolFolder));
        var profiles = await ReadPoolAsync(Path.Combine(folder, "profile_eval.jsonl"), cancellationToken);
        var personalities = (await ReadPoolAsync(Path.Combine(folder, "personality_eval.jsonl"), cancellationToken)).Take(PersonalitiesPerProfile).ToList();
        var cases = profiles.SelectMany((profile, p) => personalities.Select((personality, q) =>
            new BenchmarkCaseInput(Key(p, q), new PersonaText(profile, personality)))).ToList();
        return new BenchmarkCaseSet($"aloe-eval: {profiles.Count} profiles x {personalities.Count} personalities", cases);
    }

    /// <summary>A case's key is its place in the profile x personality grid, whichever source supplied the texts.</summary>
    public static string Key(int profileIndex, int personalityIndex) => $"aloe-eval/p{profileIndex + 1:00}-q{personalityIndex + 1}";

    static async Task<List<string>> ReadPoolAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            throw new InvalidOperationException(
                $"No evaluation personas: import the ALOE evaluation pools on the Personas page (aloe personas import --eval), or set Benchmark:EvaluationPoolFolder to a folder with {Path.GetFileName(path)} (not found).");
        var items = new List<string>();
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                items.Add(JsonSerializer.Deserialize<string>(line) ?? throw new JsonException("null"));
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException($"{Path.GetFileName(path)} line {number}: expected one JSON string ({e.Message}).", e);
            }
        }
        return items;
    }
}
