using System.Diagnostics;

namespace Aloe.Core.Analysis;

/// <summary>Sampler settings: the paper's 4 chains with 1,000 warm-up and 1,000 kept draws each, seeded.</summary>
public sealed record SamplerOptions(int Chains = 4, int Warmup = 1000, int Draws = 1000, ulong Seed = 20250320)
{
    public int Iterations => Warmup + Draws;

    public void Validate()
    {
        if (Chains < 1) throw new ModelSpecificationException("--chains must be at least 1.");
        if (Warmup < 0) throw new ModelSpecificationException("--warmup must not be negative.");
        if (Draws < 4) throw new ModelSpecificationException("--draws must be at least 4.");
    }
}

/// <summary>Kept draws of every recorded quantity: Draws[parameter][chain][iteration].</summary>
public sealed record Posterior(string[] Parameters, double[][][] Draws)
{
    public double[][] Of(string parameter) => Draws[Array.IndexOf(Parameters, parameter)];

    public double[] Pooled(int parameter) => Draws[parameter].SelectMany(c => c).ToArray();

    /// <summary>No draws kept (a stored fit without its trace).</summary>
    public static Posterior None { get; } = new([], []);

    /// <summary>Every k-th draw so at most <paramref name="perChain"/> remain per chain: enough for a trace plot, small enough to store.</summary>
    public Posterior Thinned(int perChain)
    {
        var length = Draws.Length == 0 || Draws[0].Length == 0 ? 0 : Draws[0][0].Length;
        var step = Math.Max(1, (length + perChain - 1) / perChain);
        return step == 1 ? this : new Posterior(Parameters, Draws.Select(p => p.Select(c => c.Where((_, i) => i % step == 0).ToArray()).ToArray()).ToArray());
    }
}

/// <summary>Fits Bayesian random-intercept models (<see cref="GibbsChain"/>), chains in parallel, and summarises them.</summary>
internal static class MixedModel
{
    public static MixedModelFit Fit(string formula, AnalysisTable table, ModelFamily family, SamplerOptions options,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var data = ModelData.Build(Formula.Parse(formula), table, family);
        return Fit(formula, data, family, options, progress, cancellationToken);
    }

    public static MixedModelFit Fit(string formula, ModelData data, ModelFamily family, SamplerOptions options,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var layout = new SamplerLayout(data, family);
        var names = GibbsChain.ParameterNames(data, family);
        var draws = names.Select(_ => new double[options.Chains][]).ToArray();
        for (var j = 0; j < names.Length; j++)
            for (var c = 0; c < options.Chains; c++)
                draws[j][c] = new double[options.Draws];
        long done = 0;
        long total = (long)options.Chains * options.Iterations;
        var step = Math.Max(1, options.Iterations / 100);

        Parallel.For(0, options.Chains, new ParallelOptions { CancellationToken = cancellationToken }, c =>
        {
            // Chain c's stream: the seed and the chain number through splitmix, so chains are independent and reproducible.
            var chain = new GibbsChain(layout, options.Seed * 0x9E3779B97F4A7C15UL + (ulong)c + 1);
            Span<double> record = stackalloc double[names.Length];
            for (var it = 0; it < options.Iterations; it++)
            {
                chain.Iterate();
                if (it >= options.Warmup)
                {
                    chain.Record(record);
                    for (var j = 0; j < names.Length; j++)
                        draws[j][c][it - options.Warmup] = record[j];
                }
                if ((it + 1) % step == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report((double)Interlocked.Add(ref done, step) / total);
                }
            }
        });
        var posterior = new Posterior(names, draws);
        return MixedModelFit.Summarise(formula, family, data, options, posterior, clock.Elapsed);
    }
}
