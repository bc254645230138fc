using Aloe.Core.Personas;

namespace Aloe.Core.Tests.Personas;

public sealed class FilterTests
{
    // Unit vectors at chosen angles in 2-D: cos(a - b) is their similarity.
    static float[] At(double degrees) => [(float)Math.Cos(degrees * Math.PI / 180), (float)Math.Sin(degrees * Math.PI / 180)];

    static SimilarityIndex Pool(params float[][] vectors)
    {
        var index = new SimilarityIndex(2);
        for (var i = 0; i < vectors.Length; i++)
            index.Add(100 + i, vectors[i]);
        return index;
    }

    [Fact]
    public void KeepsCandidateExactlyAtTheThresholdAndRejectsJustAbove()
    {
        var pool = Pool(At(0));
        var atThreshold = At(60); // cos 60 = 0.5
        var similarity = (double)System.Numerics.Tensors.TensorPrimitives.Dot<float>(atThreshold, At(0));
        var result = CandidateFilter.Apply(pool, [(0, "at", atThreshold), (0, "above", At(59))], similarity);
        Assert.True(result[0].Accepted);
        Assert.False(result[1].Accepted);
        Assert.Equal(1, result[1].NearestRow); // closer to the candidate just kept than to the pool
    }

    [Fact]
    public void RejectsNearDuplicateOfACandidateKeptEarlierInTheSameRound()
    {
        var pool = Pool(At(0));
        // Both are far from the pool (cos 90 = 0) but close to each other (cos 5 > 0.99).
        var result = CandidateFilter.Apply(pool, [(0, "first", At(90)), (1, "twin from another call", At(95))], 0.6);
        Assert.True(result[0].Accepted);
        Assert.False(result[1].Accepted);
        Assert.Equal(1, result[1].NearestRow); // row 1 = the first kept candidate, appended after the pool
        Assert.True(result[1].Similarity > 0.99f);
    }

    [Fact]
    public void RejectedCandidatesAreNotComparedWithLaterOnes()
    {
        var pool = Pool(At(0));
        // "b" is rejected (close to the pool); "c" is close to "b" only, so it must be kept.
        var result = CandidateFilter.Apply(pool, [(0, "b", At(30)), (0, "c", At(75))], 0.6);
        Assert.False(result[0].Accepted);
        Assert.True(result[1].Accepted);
    }

    [Fact]
    public void FirstCandidateIntoAnEmptyPoolIsKept()
    {
        var result = CandidateFilter.Apply(new SimilarityIndex(2), [(0, "x", At(10))], 0.1);
        Assert.True(Assert.Single(result).Accepted);
    }

    [Fact]
    public void SweepReplaysTheIncrementalFilterAtEachThreshold()
    {
        var index = Pool(At(0), At(30), At(90)); // cos 30 = 0.866, cos 90 = 0, cos 60 = 0.5
        Assert.Equal([2, 2, 3], index.KeptAtThresholds([0.3, 0.86, 0.87]));
    }

    static GenerationRound Round(int accepted) => new() { Accepted = accepted };

    [Fact]
    public void StopsAfterPatienceRoundsInARowBelowTheMinimum()
    {
        var p = new GenerationParameters { Patience = 3, MinAddedPerRound = 2, MaxRounds = 50 };
        Assert.Null(StopRule.Check(p, [Round(5), Round(1), Round(0)], 40));
        Assert.Null(StopRule.Check(p, [Round(1), Round(1), Round(3), Round(1), Round(0)], 40));
        Assert.StartsWith("Bottleneck", StopRule.Check(p, [Round(5), Round(1), Round(0), Round(1)], 40));
    }

    [Fact]
    public void StopsAtMaximumRoundsOrTargetSizeWhicheverComesFirst()
    {
        var p = new GenerationParameters { MaxRounds = 2, TargetSize = 100 };
        Assert.Null(StopRule.Check(p, [Round(10)], 99));
        Assert.StartsWith("Target", StopRule.Check(p, [Round(10)], 100));
        Assert.StartsWith("Maximum", StopRule.Check(p, [Round(10), Round(10)], 50));
    }
}

public sealed class SimilarityIndexTests
{
    [Fact]
    public void NearestMatchesABruteForceScanAsTheIndexGrows()
    {
        var random = new Random(3);
        var index = new SimilarityIndex(16, capacity: 2);
        var vectors = new List<float[]>();
        for (var i = 0; i < 40; i++)
        {
            var v = Enumerable.Range(0, 16).Select(_ => random.Next(3) == 0 ? 0f : (float)random.NextDouble() - 0.5f).ToArray();
            var norm = MathF.Sqrt(v.Sum(x => x * x));
            v = v.Select(x => x / norm).ToArray();
            if (vectors.Count > 0)
            {
                var expected = vectors.Select((w, k) => (k, s: System.Numerics.Tensors.TensorPrimitives.Dot<float>(v, w))).MaxBy(x => x.s);
                var actual = index.Nearest(v);
                Assert.Equal(expected.k, actual.Index);
                Assert.Equal(expected.s, actual.Similarity, 5);
            }
            index.Add(i, v);
            vectors.Add(v);
        }
    }
}
