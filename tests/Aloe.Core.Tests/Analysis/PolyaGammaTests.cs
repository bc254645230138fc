using Aloe.Core.Analysis;

namespace Aloe.Core.Tests.Analysis;

public sealed class PolyaGammaTests
{
    /// <summary>E[PG(1, z)] = tanh(z/2) / (2z), 1/4 at z = 0; Var = (sinh z - z) / (4 z^3 cosh^2(z/2)).</summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.7)]
    [InlineData(-4.0)]
    [InlineData(12.0)]
    public void DrawsHaveTheKnownMeanAndVariance(double z)
    {
        var rng = new Rng(42);
        const int n = 200_000;
        double sum = 0, sumSq = 0;
        for (var i = 0; i < n; i++)
        {
            var x = PolyaGamma.Sample(ref rng, z);
            Assert.True(x > 0);
            sum += x;
            sumSq += x * x;
        }
        var mean = sum / n;
        var variance = sumSq / n - mean * mean;
        var a = Math.Abs(z);
        var expectedMean = a < 1e-9 ? 0.25 : Math.Tanh(a / 2) / (2 * a);
        var expectedVariance = a < 1e-9 ? 1.0 / 24 : (Math.Sinh(a) - a) / (4 * a * a * a * Math.Pow(Math.Cosh(a / 2), 2));
        // Five standard errors of the mean; the variance within 3%.
        Assert.InRange(mean, expectedMean - 5 * Math.Sqrt(expectedVariance / n), expectedMean + 5 * Math.Sqrt(expectedVariance / n));
        Assert.InRange(variance, 0.97 * expectedVariance, 1.03 * expectedVariance);
    }
}
