using Aloe.Core.Analysis;

namespace Aloe.Core.Tests.Analysis;

/// <summary>Data simulated with known coefficients: the 90% intervals cover the truth at about the nominal rate over seeds.</summary>
public sealed class RecoveryTests
{
    static readonly double[] Truth = [-0.3, 0.8, -1.2, 0.5]; // intercept, x1, x2, x1:x2

    /// <summary>Rows in users (1|user/conversation) and a small crossed grouping (1|model), with attribute-like predictors in 0-1.</summary>
    internal static AnalysisTable Simulate(ModelFamily family, ulong seed, int rows, int users, int conversationsPerUser, int models)
    {
        var rng = new Rng(seed);
        var userEffect = Enumerable.Range(0, users).Select(_ => 0.5 * rng.Normal()).ToArray();
        var conversationEffect = Enumerable.Range(0, users * conversationsPerUser).Select(_ => 0.3 * rng.Normal()).ToArray();
        var modelEffect = Enumerable.Range(0, models).Select(_ => 0.4 * rng.Normal()).ToArray();
        var (y, x1, x2) = (new double[rows], new double[rows], new double[rows]);
        var (user, conversation, model) = (new string[rows], new string[rows], new string[rows]);
        for (var i = 0; i < rows; i++)
        {
            var u = i % users;
            var c = u * conversationsPerUser + (i / users) % conversationsPerUser;
            var m = (int)(rng.Uniform() * models);
            x1[i] = rng.Uniform();
            x2[i] = rng.Uniform();
            var eta = Truth[0] + Truth[1] * x1[i] + Truth[2] * x2[i] + Truth[3] * x1[i] * x2[i] + userEffect[u] + conversationEffect[c] + modelEffect[m];
            y[i] = family == ModelFamily.Gaussian
                ? eta + 0.7 * rng.Normal()
                : rng.Uniform() < 1 / (1 + Math.Exp(-eta)) ? 1 : 0;
            user[i] = "u" + u;
            conversation[i] = "c" + (c % conversationsPerUser); // conversation ids repeat across users: only user:conversation is unique
            model[i] = "m" + m;
        }
        return AnalysisTable.FromNumbers(
            new Dictionary<string, double[]> { ["y"] = y, ["x1"] = x1, ["x2"] = x2 },
            new Dictionary<string, string[]> { ["user"] = user, ["conversation"] = conversation, ["model"] = model });
    }

    [Theory]
    [InlineData(false, 300)]
    [InlineData(true, 800)]
    public void NinetyPercentIntervalsCoverTheTruthAtAboutTheNominalRate(bool bernoulli, int rows)
    {
        var family = bernoulli ? ModelFamily.Bernoulli : ModelFamily.Gaussian;
        const int seeds = 20;
        var covered = 0;
        var total = 0;
        for (var s = 0; s < seeds; s++)
        {
            var table = Simulate(family, 1000 + (ulong)s, rows, users: 30, conversationsPerUser: 3, models: 5);
            var fit = MixedModel.Fit("y ~ x1*x2 + (1|user/conversation) + (1|model)", table, family, new SamplerOptions(Chains: 2, Warmup: 300, Draws: 600, Seed: (ulong)s));
            for (var j = 0; j < Truth.Length; j++)
            {
                total++;
                if (fit.Fixed[j].Q05 <= Truth[j] && Truth[j] <= fit.Fixed[j].Q95)
                    covered++;
            }
        }
        // 80 intervals at 90%: 72 expected, binomial SD 2.7; 63-79 allows for MCMC noise without hiding a real miss.
        Assert.InRange(covered, 63, 79);
        Assert.Equal(seeds * Truth.Length, total);
    }
}
