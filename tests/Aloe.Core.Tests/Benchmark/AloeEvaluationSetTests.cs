using Aloe.Core.Benchmark;
using Aloe.Core.Personas;
using Aloe.Testing;
using Xunit.Abstractions;

namespace Aloe.Core.Tests.Benchmark;

public sealed class AloeEvaluationSetTests(ITestOutputHelper output)
{
    [Fact]
    public async Task WithoutImportedEvaluationPoolsTheFilesGiveTwentyProfilesTimesTheFirstFivePersonalities_Shared()
    {
        var shared = TestHost.SharedFolder();
        var folder = shared is null ? null : Path.Combine(shared, "data", "aloe");
        if (folder is null || !File.Exists(Path.Combine(folder, "profile_eval.jsonl")))
        {
            output.WriteLine("Skipped: ../shared/data/aloe is absent (set ALOE_SHARED to the shared folder).");
            return;
        }
        await using var host = await TestHost.StartAsync(b =>
        {
            b.Configuration["Benchmark:EvaluationPoolFolder"] = folder;
            b.AddPersonas();
            b.AddBenchmark();
        });

        var set = await host.Get<IBenchmarkCaseSource>().GetEvaluationSetAsync(CancellationToken.None);

        Assert.Equal(100, set.Cases.Count);
        Assert.Equal(100, set.Cases.Select(c => c.CaseKey).Distinct().Count());
        Assert.Equal("aloe-eval/p01-q1", set.Cases[0].CaseKey);
        Assert.Equal("aloe-eval/p20-q5", set.Cases[^1].CaseKey);
        Assert.StartsWith("He is a 33-year-old mechanical engineer", set.Cases[0].Persona.Profile);
        Assert.StartsWith("She is spontaneous", set.Cases[0].Persona.Personality);
        Assert.Equal(5, set.Cases.Select(c => c.Persona.Personality).Distinct().Count());
        Assert.Equal("aloe-eval: 20 profiles x 5 personalities", set.Name);
    }

    [Fact]
    public async Task AMissingPoolFolderIsAClearError()
    {
        await using var host = await TestHost.StartAsync(b =>
        {
            b.Configuration["Benchmark:EvaluationPoolFolder"] = Path.Combine(Path.GetTempPath(), "no-such-aloe-pools");
            b.AddBenchmark();
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Get<IBenchmarkCaseSource>().GetEvaluationSetAsync(CancellationToken.None));

        Assert.Contains("import the ALOE evaluation pools", error.Message);
        Assert.Contains("profile_eval.jsonl (not found)", error.Message);
    }
}
