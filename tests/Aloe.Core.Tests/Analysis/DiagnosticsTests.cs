using Aloe.Core.Analysis;

namespace Aloe.Core.Tests.Analysis;

public sealed class DiagnosticsTests
{
    static double[][] Chains(int chains, int length, Func<int, Rng, Func<double>> generator, ulong seed = 1)
    {
        var result = new double[chains][];
        for (var c = 0; c < chains; c++)
        {
            var next = generator(c, new Rng(seed + (ulong)c));
            result[c] = Enumerable.Range(0, length).Select(_ => next()).ToArray();
        }
        return result;
    }

    [Fact]
    public void IndependentDrawsHaveRhatNearOneAndEssNearTheirCount()
    {
        var draws = Chains(4, 1000, (_, rng) => () => rng.Normal());
        Assert.InRange(Diagnostics.Rhat(draws), 0.995, 1.01);
        Assert.InRange(Diagnostics.EssBulk(draws), 3400, 4600);
        Assert.InRange(Diagnostics.EssTail(draws), 3000, 5000);
    }

    [Fact]
    public void Ar1ChainsHaveTheTheoreticalEss()
    {
        // AR(1) with phi: ESS = N (1 - phi) / (1 + phi); for phi = 0.9, 40,000 draws give about 2,105.
        const double phi = 0.9;
        var draws = Chains(4, 10000, (_, rng) =>
        {
            var x = rng.Normal() / Math.Sqrt(1 - phi * phi);
            return () => x = phi * x + rng.Normal();
        });
        var ess = Diagnostics.EssBulk(draws);
        Assert.InRange(ess, 2105 * 0.8, 2105 * 1.2);
    }

    [Fact]
    public void ChainsAroundDifferentMeansHaveHighRhat()
    {
        var draws = Chains(4, 1000, (c, rng) => () => rng.Normal() + (c == 3 ? 1.0 : 0.0));
        Assert.True(Diagnostics.Rhat(draws) > 1.05, $"R-hat {Diagnostics.Rhat(draws)}");
    }

    [Fact]
    public void ChainsWithDifferentSpreadAreCaughtByTheFoldedRhat()
    {
        // Same location, one chain three times as wide: the bulk R-hat misses it, the folded one does not.
        var draws = Chains(4, 1000, (c, rng) => () => rng.Normal() * (c == 0 ? 3.0 : 1.0));
        Assert.True(Diagnostics.Rhat(draws) > 1.01);
    }
}
