using MathNet.Numerics;

namespace Aloe.Core.Analysis;

/// <summary>
/// Draws from the Polya-Gamma distribution PG(1, z) (Polson, Scott and Windle 2013, JASA 108:1339),
/// by their exact alternating-series sampler after Devroye, as the BayesLogit package implements it:
/// propose from a mixture of a truncated exponential (right of t = 0.64) and a truncated inverse
/// Gaussian (left of t), accept by the alternating series of J*(1, z/2) coefficients.
/// </summary>
internal static class PolyaGamma
{
    const double Trunc = 0.64;
    const double TruncRecip = 1 / Trunc;

    public static double Sample(ref Rng rng, double z)
    {
        z = Math.Abs(z) * 0.5; // PG(1, z) = J*(1, z/2) / 4
        var fz = 0.125 * Math.PI * Math.PI + 0.5 * z * z;
        var pExponential = MassExponential(z, fz);
        while (true)
        {
            var x = rng.Uniform() < pExponential
                ? Trunc + rng.Exponential() / fz
                : TruncatedInverseGaussian(ref rng, z);
            var s = Coefficient(0, x);
            var y = rng.Uniform() * s;
            for (var n = 1; ; n++)
            {
                if ((n & 1) == 1)
                {
                    s -= Coefficient(n, x);
                    if (y <= s)
                        return 0.25 * x;
                }
                else
                {
                    s += Coefficient(n, x);
                    if (y > s)
                        break;
                }
            }
        }
    }

    /// <summary>Probability of proposing from the exponential part, p / (p + q).</summary>
    static double MassExponential(double z, double fz)
    {
        var rootT = Math.Sqrt(1 / Trunc);
        var b = rootT * (Trunc * z - 1);
        var a = -rootT * (Trunc * z + 1);
        var x0 = Math.Log(fz) + fz * Trunc;
        var xb = x0 - z + LogNormalCdf(b);
        var xa = x0 + z + LogNormalCdf(a);
        var qOverP = 4 / Math.PI * (Math.Exp(xb) + Math.Exp(xa));
        return 1 / (1 + qOverP);
    }

    static double LogNormalCdf(double x) => Math.Log(0.5 * SpecialFunctions.Erfc(-x / Math.Sqrt(2)));

    static double TruncatedInverseGaussian(ref Rng rng, double z)
    {
        var x = Trunc + 1;
        if (TruncRecip > z)
        {
            // mean 1/z beyond the truncation: inverse chi-square proposals, accepted with exp(-z^2 x / 2).
            var alpha = 0.0;
            while (rng.Uniform() > alpha)
            {
                double e1, e2;
                do
                {
                    e1 = rng.Exponential();
                    e2 = rng.Exponential();
                } while (e1 * e1 > 2 * e2 / Trunc);
                x = 1 + e1 * Trunc;
                x = Trunc / (x * x);
                alpha = Math.Exp(-0.5 * z * z * x);
            }
        }
        else
        {
            var mu = 1 / z;
            while (x > Trunc)
            {
                var y = rng.Normal();
                y *= y;
                var halfMu = 0.5 * mu;
                var muY = mu * y;
                x = mu + halfMu * muY - halfMu * Math.Sqrt(4 * muY + muY * muY);
                if (rng.Uniform() > mu / (mu + x))
                    x = mu * mu / x;
            }
        }
        return x;
    }

    /// <summary>The n-th coefficient a_n(x) of the alternating series, piecewise at t.</summary>
    static double Coefficient(int n, double x)
    {
        var k = (n + 0.5) * Math.PI;
        if (x > Trunc)
            return k * Math.Exp(-0.5 * k * k * x);
        if (x <= 0)
            return 0;
        return Math.Exp(-1.5 * (Math.Log(0.5 * Math.PI) + Math.Log(x)) + Math.Log(k) - 2.0 * (n + 0.5) * (n + 0.5) / x);
    }
}
