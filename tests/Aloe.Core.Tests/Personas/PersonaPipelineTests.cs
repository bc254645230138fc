using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.Testing;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Aloe.Core.Tests.Personas;

public sealed class PersonaPipelineTests(ITestOutputHelper output)
{
    static Task<TestHost> Start() => TestHost.StartAsync(b => b.AddPersonas());

    static string Jsonl(params string[] texts) => AloeJsonl.Write(texts);

    // Distinct vocabularies, so the scripted bag-of-words embedder sees them as unrelated.
    static readonly string[] Words = ["apple", "river", "violin", "granite", "tulip", "falcon", "copper", "meadow", "lantern", "harbor",
        "cedar", "comet", "velvet", "canyon", "pepper", "glacier", "saddle", "orchid", "thunder", "marble", "walnut", "prairie", "ember", "coral"];

    // Mostly words unique to i: the scripted embedder hashes words into 256 buckets with a per-process seed, so shared words would make similarities vary between runs.
    static string Distinct(int i) => $"{Words[i % Words.Length]} number{i} item{i} place{i} thing{i} colour{i} town{i} pet{i}";

    [Fact]
    public async Task ImportIsAllOrNothingAndNamesTheBadLine()
    {
        await using var host = await Start();
        var pools = host.Get<PoolService>();
        var error = await Assert.ThrowsAsync<PoolImportException>(() => pools.ImportAsync(PoolKind.Profile, PoolSplit.Train, "\"ok one\"\n\"ok two\"\nbroken line\n"));
        Assert.Contains("Line 3", error.Message);
        await using var db = host.Db();
        Assert.Equal(0, await db.Set<PoolItem>().CountAsync());
    }

    [SkippableFact]
    public async Task ImportsTheAuthorsFilesIncludingTheRunTogetherLine_Shared()
    {
        var shared = TestHost.RequireSharedFolder();
        await using var host = await Start();
        var pools = host.Get<PoolService>();
        var folder = Path.Combine(shared, "data", "aloe");
        var profiles = await pools.ImportAsync(PoolKind.Profile, PoolSplit.Train, File.ReadAllText(Path.Combine(folder, "profile.jsonl")));
        var evalProfiles = await pools.ImportAsync(PoolKind.Profile, PoolSplit.Eval, File.ReadAllText(Path.Combine(folder, "profile_eval.jsonl")));
        var personalities = await pools.ImportAsync(PoolKind.Personality, PoolSplit.Train, File.ReadAllText(Path.Combine(folder, "personality.jsonl")));
        var evalPersonalities = await pools.ImportAsync(PoolKind.Personality, PoolSplit.Eval, File.ReadAllText(Path.Combine(folder, "personality_eval.jsonl")));

        Assert.Equal(331, profiles.Imported + profiles.Duplicates);
        Assert.Contains(profiles.Warnings, w => w.StartsWith("Line 6:"));
        Assert.Equal(20, evalProfiles.Imported); // no final newline: the last record still counts
        Assert.Equal(71, personalities.Imported + personalities.Duplicates);
        Assert.True(evalPersonalities.Imported >= 5);
        var grid = await host.Get<PersonaService>().BuildAloeBenchmarkSetAsync();
        var benchmark = grid.Personas;
        Assert.Equal(100, benchmark.Count);
        Assert.Equal(0, grid.SeedItems);
        Assert.Equal(100, benchmark.Select(p => (p.ProfileId, p.PersonalityId)).Distinct().Count());
        Assert.All(benchmark, p => Assert.Equal(PoolSplit.Eval, p.Split));
        Assert.Equal(100, (await host.Get<PersonaService>().BuildAloeBenchmarkSetAsync()).Personas.Count);
        output.WriteLine($"profiles {profiles.Imported} (+{profiles.Duplicates} duplicates), eval {evalProfiles.Imported}, personalities {personalities.Imported}, eval {evalPersonalities.Imported}");
    }

    [Fact]
    public async Task PairingWithTheSameSeedGivesTheSamePersonasAndNeverRepeatsAPair()
    {
        var pairs = new List<List<(long, long)>>();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await using var host = await Start();
            var pools = host.Get<PoolService>();
            await pools.ImportAsync(PoolKind.Profile, PoolSplit.Train, Jsonl(Enumerable.Range(0, 6).Select(Distinct).ToArray()));
            await pools.ImportAsync(PoolKind.Personality, PoolSplit.Train, Jsonl(Enumerable.Range(10, 4).Select(Distinct).ToArray()));
            var personas = host.Get<PersonaService>();
            await personas.PairAsync(10, seed: 7);
            await personas.PairAsync(14, seed: 8);
            var all = await personas.GetPersonasAsync(PoolSplit.Train);
            Assert.Equal(24, all.Select(p => (p.ProfileId, p.PersonalityId)).Distinct().Count());
            var error = await Assert.ThrowsAsync<ArgumentException>(() => personas.PairAsync(1, seed: 9));
            Assert.Contains("Only 0 new pairs", error.Message);
            pairs.Add(all.Take(10).Select(p => (p.ProfileId, p.PersonalityId)).ToList());
        }
        Assert.Equal(pairs[0], pairs[1]);
    }

    [Fact]
    public async Task PerProfilePairingUsesEveryProfileTheAskedNumberOfTimesWithRandomPersonalities()
    {
        var drawn = new List<List<(long, long)>>();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await using var host = await Start();
            var pools = host.Get<PoolService>();
            await pools.ImportAsync(PoolKind.Profile, PoolSplit.Train, Jsonl(Enumerable.Range(0, 5).Select(Distinct).ToArray()));
            await pools.ImportAsync(PoolKind.Personality, PoolSplit.Train, Jsonl(Enumerable.Range(10, 12).Select(Distinct).ToArray()));
            var personas = host.Get<PersonaService>();
            await personas.PairAsync(3, seed: 1); // a grid pair may already hold a profile's personality

            var result = await personas.PairPerProfileAsync(PersonaService.AuthorsUsesPerProfile, seed: 4);

            Assert.Equal(50, result.Created);
            Assert.Equal(PairingScheme.PerProfile, result.Scheme);
            var perProfile = await personas.GetPersonasAsync(PoolSplit.Train, PairingScheme.PerProfile);
            Assert.Equal(50, perProfile.Count);
            Assert.All(perProfile.GroupBy(p => p.ProfileId), g => Assert.Equal(10, g.Select(p => p.PersonalityId).Distinct().Count()));
            Assert.All(perProfile, p => Assert.Equal(PairingScheme.PerProfile, p.Pairing));
            var all = await personas.GetPersonasAsync(PoolSplit.Train);
            Assert.Equal(all.Count, all.Select(p => (p.ProfileId, p.PersonalityId)).Distinct().Count());
            // Not the same ten personalities for every profile: they are drawn per profile.
            Assert.True(perProfile.GroupBy(p => p.ProfileId).Select(g => string.Join(",", g.Select(p => p.PersonalityId).Order())).Distinct().Count() > 1);
            // A top-up: asked again, nothing is added.
            Assert.Equal(0, (await personas.PairPerProfileAsync(PersonaService.AuthorsUsesPerProfile, seed: 5)).Created);
            drawn.Add(perProfile.Select(p => (p.ProfileId, p.PersonalityId)).ToList());
        }
        Assert.Equal(drawn[0], drawn[1]); // seeded
    }

    [Fact]
    public async Task ADialogueSelectionByPairingSchemeTakesOnlyThoseAndSaysSo()
    {
        await using var host = await Start();
        var pools = host.Get<PoolService>();
        await pools.ImportAsync(PoolKind.Profile, PoolSplit.Train, Jsonl(Enumerable.Range(0, 4).Select(Distinct).ToArray()));
        await pools.ImportAsync(PoolKind.Personality, PoolSplit.Train, Jsonl(Enumerable.Range(10, 12).Select(Distinct).ToArray()));
        await host.Get<PersonaService>().PairAsync(5, seed: 1);
        var source = new Aloe.Core.Dialogues.PoolPersonaSource(host.Get<PersonaService>());
        var selection = new Aloe.Core.Dialogues.PersonaSelection("train", 8, Seed: 2, Pairing: PairingScheme.PerProfile);

        var chosen = await source.SelectAsync(selection, CancellationToken.None);

        // Too few per-profile personas: the authors' scheme pairs every profile 10 times first.
        Assert.Equal(40, (await host.Get<PersonaService>().GetPersonasAsync(PoolSplit.Train, PairingScheme.PerProfile)).Count);
        var perProfileKeys = (await host.Get<PersonaService>().GetPersonasAsync(PoolSplit.Train, PairingScheme.PerProfile)).Select(p => $"persona:{p.Id}").ToHashSet();
        Assert.Equal(8, chosen.Count);
        Assert.All(chosen, p => Assert.Contains(p.Key, perProfileKeys));
        Assert.Contains("per-profile", source.Describe(selection));
        Assert.Contains("authors' code", source.Describe(selection));
    }

    [Fact]
    public async Task LeakageCheckListsEvaluationItemsTooCloseToTraining()
    {
        await using var host = await Start();
        var pools = host.Get<PoolService>();
        await pools.ImportAsync(PoolKind.Profile, PoolSplit.Train, Jsonl(Distinct(1), Distinct(2)));
        await pools.ImportAsync(PoolKind.Profile, PoolSplit.Eval, Jsonl(Distinct(1) + " too", Distinct(3)));
        var leaks = await pools.LeakageAsync(0.6);
        var leak = Assert.Single(leaks);
        Assert.Equal(Distinct(1) + " too", leak.EvalText);
        Assert.Equal(Distinct(1), leak.TrainText);
        Assert.True(leak.Similarity > 0.6f);
    }

    [Fact]
    public async Task StatsAndLeakageFollowThePoolsAfterTheyWereRead()
    {
        await using var host = await Start();
        var pools = host.Get<PoolService>();
        await pools.ImportAsync(PoolKind.Profile, PoolSplit.Train, Jsonl(Distinct(1), Distinct(2)));
        await pools.ImportAsync(PoolKind.Personality, PoolSplit.Train, Jsonl(Distinct(10)));
        var before = await pools.StatsAsync();
        Assert.Empty(await pools.LeakageAsync(0.6)); // read (and kept) once

        await pools.ImportAsync(PoolKind.Profile, PoolSplit.Eval, Jsonl(Distinct(1) + " too"));
        await host.Get<PersonaService>().PairAsync(1, seed: 1);

        var after = await pools.StatsAsync();
        Assert.Equal(before.Sizes.Single(s => s.Kind == PoolKind.Profile).Eval + 1, after.Sizes.Single(s => s.Kind == PoolKind.Profile).Eval);
        Assert.Equal(before.TrainPersonas + 1, after.TrainPersonas);
        Assert.Single(await pools.LeakageAsync(0.6));
    }

    [Fact]
    public async Task AGenerationRunIsRecordedWithItsJobAndProvenanceBeforeItRuns()
    {
        await using var host = await Start();

        var job = await host.Get<GenerationService>().StartAsync(new GenerationParameters { Kind = PoolKind.Personality, Seed = 17 });

        // Stored in the transaction that queued the job: nothing has run yet.
        Assert.Equal(JobStatus.Queued, job.Status);
        var run = (await host.Get<GenerationService>().GetAsync(job.Id))!.Run;
        Assert.Equal(job.Id, run.JobRunId);
        Assert.Equal(17, run.Provenance.Seed);
        Assert.Equal("scripted-bow-256", run.Provenance.EmbedderId);
        Assert.Equal(RunProvenance.CurrentAppVersion, run.Provenance.AppVersion);
        Assert.Equal([Aloe.Core.Prompts.PromptNames.GeneratorPersonality], run.Provenance.PromptHashes.Keys);
        Assert.Equal(host.Get<ILlmGateway>().ResolveRoles()[LlmRole.Generator].Model, Assert.Single(run.Provenance.Roles, r => r.Key == "Generator").Value.Model);
        Assert.Equal(PersonasOptions.PaperThreshold, run.Threshold); // no threshold for the scripted embedder: the paper's
    }

    [Fact]
    public async Task AGenerationRunWithoutAThresholdRecordsTheOneStoredForItsEmbedder()
    {
        await using var host = await Start();
        await host.Get<EmbedderThresholds>().SaveAsync("scripted-bow-256", 0.52, "set by hand");

        var job = await host.Get<GenerationService>().StartAsync(new GenerationParameters { Kind = PoolKind.Profile, Seed = 3 });

        Assert.Equal(0.52, (await host.Get<GenerationService>().GetAsync(job.Id))!.Run.Threshold);
    }

    [Fact]
    public async Task GenerationKeepsOnlyNovelCandidatesAndStopsAtTheBottleneck()
    {
        await using var host = await Start();
        var pools = host.Get<PoolService>();
        await pools.ImportAsync(PoolKind.Profile, PoolSplit.Train, Jsonl(Enumerable.Range(0, 5).Select(Distinct).ToArray()), ItemSource.Seed);
        var next = 100;
        // Round 1: three novel lines, a copy of a seed, a near-copy of the first novel line; later rounds: only copies.
        host.Llm.On(LlmRole.Generator, _ => Interlocked.Increment(ref next) <= 101
            ? $"Here are new profiles:\n1. {Distinct(40)}\n2. \"{Distinct(41)}\"\n3. {Distinct(0)}\n- {Distinct(40)} indeed\n* {Distinct(42)}"
            : $"1. {Distinct(1)}\n2. {Distinct(2)}");
        var run = await host.Get<GenerationService>().StartAsync(new GenerationParameters
        {
            Kind = PoolKind.Profile, Threshold = 0.6, Patience = 2, MinAddedPerRound = 1, MaxRounds = 10, CallsPerRound = 1,
        });
        await host.Get<JobRunner>().ExecuteAsync(run.Id, CancellationToken.None);

        var summary = (await host.Get<GenerationService>().GetAsync(run.Id))!;
        Assert.Equal(JobStatus.Succeeded, summary.Job!.Status);
        Assert.StartsWith("Bottleneck", summary.Run.StopReason);
        Assert.Equal([3, 0, 0], summary.Rounds.Select(r => r.Accepted));
        Assert.Equal(8, summary.PoolSize);
        var rejected = await host.Get<GenerationService>().CandidatesAsync(run.Id, CandidateVerdict.Rejected);
        var sameRound = Assert.Single(rejected.Items, c => c.Round == 1 && c.Text.EndsWith("indeed"));
        Assert.Equal(Distinct(40), sameRound.NearestText); // its nearest neighbour is the candidate kept earlier that round
        Assert.Contains(rejected.Items, c => c.Round == 1 && c.Text == Distinct(0) && c.Similarity > 0.99f);
        await AssertNeighboursMatchAFullRecomputationAsync(host);
        var prompt = host.Llm.Requests[0].Messages[0].Text;
        Assert.Equal(5, Enumerable.Range(0, 5).Count(i => prompt.Contains(Distinct(i))));
    }

    [Fact]
    public async Task ConcurrentCallsInOneRoundAreFilteredAgainstEachOther()
    {
        await using var host = await Start();
        await host.Get<PoolService>().ImportAsync(PoolKind.Personality, PoolSplit.Train, Jsonl(Distinct(0), Distinct(1)));
        host.Llm.On(LlmRole.Generator, _ => Distinct(50));
        var run = await host.Get<GenerationService>().StartAsync(new GenerationParameters
        {
            Kind = PoolKind.Personality, Threshold = 0.6, MaxRounds = 1, CallsPerRound = 4, ExamplesPerCall = 2,
        });
        await host.Get<JobRunner>().ExecuteAsync(run.Id, CancellationToken.None);
        var round = Assert.Single((await host.Get<GenerationService>().GetAsync(run.Id))!.Rounds);
        Assert.Equal(4, round.Generated);
        Assert.Equal(1, round.Accepted);
    }

    [Fact]
    public async Task GarbledGeneratorOutputIsRetriedThenTheCallIsMarkedFailedWithoutFailingTheRun()
    {
        await using var host = await Start();
        await host.Get<PoolService>().ImportAsync(PoolKind.Profile, PoolSplit.Train, Jsonl(Distinct(0)));
        host.Llm.On(LlmRole.Generator, _ => "Sure!\n\n");
        var run = await host.Get<GenerationService>().StartAsync(new GenerationParameters { Kind = PoolKind.Profile, Patience = 1, CallsPerRound = 1 });
        await host.Get<JobRunner>().ExecuteAsync(run.Id, CancellationToken.None);
        var summary = (await host.Get<GenerationService>().GetAsync(run.Id))!;
        Assert.Equal(JobStatus.Succeeded, summary.Job!.Status);
        var round = Assert.Single(summary.Rounds);
        Assert.Equal(1, round.FailedCalls);
        Assert.Contains("no usable lines", round.Error);
        Assert.Equal(PoolGenerationJob.Attempts, host.Llm.Requests.Count);
    }

    [Fact]
    public async Task AResumedRunContinuesAfterItsLastStoredRoundWithoutDuplicates()
    {
        await using var host = await Start();
        await host.Get<PoolService>().ImportAsync(PoolKind.Profile, PoolSplit.Train, Jsonl(Distinct(0), Distinct(1)));
        var calls = 0;
        host.Llm.On(LlmRole.Generator, _ => Distinct(60 + Interlocked.Increment(ref calls)));
        var generation = host.Get<GenerationService>();
        var run = await generation.StartAsync(new GenerationParameters { Kind = PoolKind.Profile, MaxRounds = 2, CallsPerRound = 1 });
        await host.Get<JobRunner>().ExecuteAsync(run.Id, CancellationToken.None);
        // Pretend the process died after the run finished round 2: requeue it with one more round allowed.
        await using (var db = host.Db())
        {
            var job = await db.Set<JobRun>().SingleAsync(r => r.Id == run.Id);
            job.ParametersJson = job.ParametersJson.Replace("\"maxRounds\":2", "\"maxRounds\":3");
            job.Status = JobStatus.Running;
            job.Requeue();
            await db.SaveChangesAsync();
        }
        await host.Get<JobRunner>().ExecuteAsync(run.Id, CancellationToken.None);
        var summary = (await generation.GetAsync(run.Id))!;
        Assert.Equal([1, 2, 3], summary.Rounds.Select(r => r.Round));
        await using var check = host.Db();
        var texts = await check.Set<PoolItem>().Select(i => i.Text).ToListAsync();
        Assert.Equal(texts.Count, texts.Distinct().Count());
        Assert.Equal(5, texts.Count);
    }

    /// <summary>The job updates nearest neighbours incrementally; they must equal recomputing them all.</summary>
    static async Task AssertNeighboursMatchAFullRecomputationAsync(TestHost host)
    {
        List<(long Id, float? Similarity)> Snapshot(Aloe.Core.Data.AloeDbContext db) =>
            db.Set<PoolItem>().OrderBy(i => i.Id).Select(i => new { i.Id, i.NearestSimilarity }).AsEnumerable().Select(i => (i.Id, i.NearestSimilarity)).ToList();
        await using var before = host.Db();
        var incremental = Snapshot(before);
        await host.Get<PoolService>().RefreshNeighboursAsync(PoolKind.Profile, CancellationToken.None);
        await using var after = host.Db();
        var full = Snapshot(after);
        Assert.Equal(full.Count, incremental.Count);
        for (var i = 0; i < full.Count; i++)
        {
            Assert.NotNull(incremental[i].Similarity);
            Assert.Equal(full[i].Similarity!.Value, incremental[i].Similarity!.Value, 4);
        }
    }
}
