using Aloe.Core.Benchmark;
using Aloe.Core.Data;
using Aloe.Core.Dialogues;

namespace Aloe.Testing.Annotation;

/// <summary>Stored runs to annotate, written straight into the database (no model calls).</summary>
public static class AnnotationTestData
{
    /// <summary>
    /// A finished benchmark run of <paramref name="cases"/> x <paramref name="turns"/> whose judge
    /// scores climb with the turn (score = 1 + (turn + case) mod 5 bounded by turn), so AL rises.
    /// Returns the run id; the judge's score of case c, turn k is <see cref="JudgeScore"/>.
    /// </summary>
    public static async Task<long> SeedBenchmarkRunAsync(AloeDbContext db, int cases = 20, int turns = 10, bool simulated = true)
    {
        var run = new BenchmarkRun
        {
            Name = "Seeded run", EvaluatedModel = "sim-adaptive", EvaluatedEndpoint = "simulated", JudgeMode = JudgeMode.Paper, Turns = turns,
            Provenance = new() { Seed = 1 }, CaseSet = $"seeded: {cases} cases", CaseCount = cases, Concurrency = 1, Simulated = simulated, CreatedAt = DateTimeOffset.UnixEpoch,
        };
        db.Add(run);
        await db.SaveChangesAsync();
        var scoring = new BenchmarkScoring { RunId = run.Id, JudgeMode = JudgeMode.Paper, JudgeModel = "sim-judge", PromptHash = "abc", CreatedAt = DateTimeOffset.UnixEpoch };
        db.Add(scoring);
        for (var c = 0; c < cases; c++)
        {
            var benchmarkCase = new BenchmarkCase
            {
                RunId = run.Id, Index = c, CaseKey = $"case{c:D3}", Profile = $"Profile {c}: a {20 + c}-year-old beekeeper.", Personality = $"Personality {c}: dry humour.",
                Status = BenchmarkCaseStatus.Completed,
            };
            db.Add(benchmarkCase);
            await db.SaveChangesAsync();
            for (var k = 1; k <= turns; k++)
            {
                var turn = new BenchmarkTurn { CaseId = benchmarkCase.Id, Turn = k, UserMessage = $"Case {c} asks question {k}.", Response = $"Answer {k} for case {c}.", CreatedAt = DateTimeOffset.UnixEpoch };
                db.Add(new BenchmarkScore { ScoringId = scoring.Id, Turn = turn, Score = JudgeScore(c, k), Status = BenchmarkScoreStatus.Scored, RawOutput = JudgeScore(c, k).ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }
        }
        await db.SaveChangesAsync();
        return run.Id;
    }

    public static int JudgeScore(int caseIndex, int turn) => Math.Min(5, 1 + (turn + caseIndex) % 5 / 2 + turn / 3);

    /// <summary>A dialogue run of <paramref name="dialogues"/> dialogues x <paramref name="turns"/> turns on the main path.</summary>
    public static async Task<long> SeedDialogueRunAsync(AloeDbContext db, int dialogues = 5, int turns = 4)
    {
        var run = new DialogueRun { Title = "Seeded dialogues", PersonaPool = "seeded", Provenance = new() { Seed = 1 }, MaxTurns = turns, Simulated = true, CreatedAt = DateTimeOffset.UnixEpoch };
        db.Add(run);
        await db.SaveChangesAsync();
        for (var d = 0; d < dialogues; d++)
        {
            var dialogue = new Dialogue { RunId = run.Id, PersonaKey = $"persona{d}", Profile = $"Profile {d}", Personality = $"Personality {d}", Status = DialogueStatus.Completed, Turns = turns, CreatedAt = DateTimeOffset.UnixEpoch };
            db.Add(dialogue);
            await db.SaveChangesAsync();
            long? parent = null;
            for (var i = 1; i <= turns; i++)
            {
                var turn = new DialogueTurn
                {
                    DialogueId = dialogue.Id, ParentId = parent, ParentBranch = parent is null ? null : Branch.Preferred, Index = i,
                    UserMessage = $"Message {i} of persona {d}", Preferred = $"PREFERRED {i}/{d}", Rejected = $"REJECTED {i}/{d}", Chosen = Branch.Preferred, CreatedAt = DateTimeOffset.UnixEpoch,
                };
                db.Add(turn);
                await db.SaveChangesAsync();
                parent = turn.Id;
            }
        }
        return run.Id;
    }
}
