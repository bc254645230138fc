using Aloe.Core.Analysis;

namespace Aloe.Core.Tests.Analysis;

public sealed class FormulaTests
{
    [Fact]
    public void ParsesThePapersFormula()
    {
        var f = Formula.Parse("chosen ~ reasoning_nuance + curiosity + toxicity + (1|user/conversation) + (1|model)");
        Assert.Equal("chosen", f.Outcome);
        Assert.True(f.Intercept);
        Assert.Equal(["reasoning_nuance", "curiosity", "toxicity"], f.Fixed.Select(t => t.Name));
        Assert.Equal(["user", "user:conversation", "model"], f.Random.Select(t => t.Name));
    }

    [Fact]
    public void ExpandsStarIntoMainEffectsAndInteraction()
    {
        var f = Formula.Parse("y ~ a*b + c:d - 1");
        Assert.False(f.Intercept);
        Assert.Equal(["a", "b", "a:b", "c:d"], f.Fixed.Select(t => t.Name));
    }

    static AnalysisTable Table() => AnalysisTable.FromNumbers(
        new Dictionary<string, double[]> { ["y"] = [0, 1, 1, 0], ["a"] = [1, 2, 3, 4], ["b"] = [2, 2, 1, 1], ["g1"] = [5, 5, 5, 5], ["score"] = [1, 2.5, 3, 4] },
        new Dictionary<string, string[]> { ["g"] = ["x", "x", "y", "y"] });

    [Fact]
    public void InteractionColumnIsTheProduct()
    {
        var data = ModelData.Build(Formula.Parse("y ~ a*b + (1|g)"), Table(), ModelFamily.Gaussian);
        Assert.Equal(["(Intercept)", "a", "b", "a:b"], data.FixedNames);
        Assert.Equal([1, 1, 2, 2], data.X.AsSpan(0, 4).ToArray()); // row 1: intercept, a = 1, b = 2, a:b = 2
        Assert.Equal(3 * 1, data.X[2 * 4 + 3]); // row 3: a:b = 3 x 1
        Assert.Equal(2, data.Random.Single().LevelCount);
    }

    [Theory]
    [InlineData("y ~ a + missing + (1|g)", false, "The formula names column 'missing', which the data does not have")]
    [InlineData("score ~ a + (1|g)", true, "The Bernoulli family needs an outcome of 0 or 1; 'score' is 2.5 in data row 2.")]
    [InlineData("y ~ a + (1|g1)", false, "The grouping 'g1' has one level ('5'); a random intercept needs at least two groups.")]
    [InlineData("y ~ a + g1 + (1|g)", false, "The predictor 'g1' is 5 in every row; it cannot be estimated alongside the intercept.")]
    [InlineData("y ~ a + (a|g)", false, "Only random intercepts '(1|group)' are supported")]
    [InlineData("y a + b", false, "needs exactly one '~'")]
    public void UserErrorsAreOneLine(string formula, bool bernoulli, string message)
    {
        var error = Assert.Throws<ModelSpecificationException>(() => ModelData.Build(Formula.Parse(formula), Table(), bernoulli ? ModelFamily.Bernoulli : ModelFamily.Gaussian));
        Assert.Contains(message, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
