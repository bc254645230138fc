using System.Numerics;
using System.Runtime.CompilerServices;

namespace Aloe.Core.Analysis;

/// <summary>
/// xoshiro256** (Blackman and Vigna) with the draws the samplers need. A struct held by each chain,
/// so draws allocate nothing and chains seeded alike reproduce exactly.
/// </summary>
internal struct Rng
{
    ulong s0, s1, s2, s3;
    double spare;
    bool hasSpare;

    public Rng(ulong seed)
    {
        // splitmix64 spreads the seed over the state, as the authors recommend.
        s0 = SplitMix(ref seed); s1 = SplitMix(ref seed); s2 = SplitMix(ref seed); s3 = SplitMix(ref seed);
        spare = 0;
        hasSpare = false;
    }

    static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextULong()
    {
        var result = BitOperations.RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
        s2 ^= t;
        s3 = BitOperations.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform on (0, 1), never exactly 0 (logs are safe).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Uniform() => ((NextULong() >> 11) + 0.5) * (1.0 / (1UL << 53));

    public double Exponential() => -Math.Log(Uniform());

    /// <summary>Standard normal by Marsaglia's polar method (the pair's second value is kept).</summary>
    public double Normal()
    {
        if (hasSpare)
        {
            hasSpare = false;
            return spare;
        }
        double u, v, s;
        do
        {
            u = 2 * Uniform() - 1;
            v = 2 * Uniform() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        var m = Math.Sqrt(-2 * Math.Log(s) / s);
        spare = v * m;
        hasSpare = true;
        return u * m;
    }

    /// <summary>Gamma(shape, rate 1) by Marsaglia and Tsang (2000), boosted for shape below 1.</summary>
    public double Gamma(double shape)
    {
        if (shape < 1)
            return Gamma(shape + 1) * Math.Pow(Uniform(), 1 / shape);
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            var u = Uniform();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v)))
                return d * v;
        }
    }

    /// <summary>Inverse-gamma(shape, scale): 1 / Gamma(shape, rate = scale).</summary>
    public double InverseGamma(double shape, double scale) => scale / Gamma(shape);
}
