using Aloe.Core.Annotation;

namespace Aloe.Core.Tests.Annotation;

/// <summary>Every coefficient against a value published by a reference implementation or textbook example.</summary>
public sealed class AgreementTests
{
    static readonly double[] Binary = [0, 1];
    static readonly double[] ThreeCategories = [0, 1, 2];

    static List<(double, double)> Pairs(double[,] table, IReadOnlyList<double> categories)
    {
        var pairs = new List<(double, double)>();
        for (var i = 0; i < table.GetLength(0); i++)
            for (var j = 0; j < table.GetLength(1); j++)
                pairs.AddRange(Enumerable.Repeat((categories[i], categories[j]), (int)table[i, j]));
        return pairs;
    }

    static double? Kappa(IReadOnlyList<CohenKappa> kappas, KappaWeighting weighting) => kappas.Single(k => k.Weighting == weighting).Value;

    [Fact]
    public void CohenMatchesScikitLearnOnItsTwoByTwoTable()
    {
        // sklearn.metrics.tests.test_classification::test_cohen_kappa: [[20, 20], [10, 50]] -> 0.347826.
        var kappas = Agreement.Cohen(Pairs(new double[,] { { 20, 20 }, { 10, 50 } }, Binary));

        Assert.Equal(0.347826, Kappa(kappas, KappaWeighting.Unweighted)!.Value, 6);
        Assert.Equal(100, kappas[0].Items);
    }

    [Fact]
    public void CohenMatchesScikitLearnWeightedOnThreeCategories()
    {
        // y1 = [0]*46 + [1]*44 + [2]*10, y2 = [0]*50 + [1]*40 + [2]*10.
        var y1 = Enumerable.Repeat(0.0, 46).Concat(Enumerable.Repeat(1.0, 44)).Concat(Enumerable.Repeat(2.0, 10)).ToList();
        var y2 = Enumerable.Repeat(0.0, 50).Concat(Enumerable.Repeat(1.0, 40)).Concat(Enumerable.Repeat(2.0, 10)).ToList();

        var kappas = Agreement.Cohen(y1.Zip(y2).ToList());

        Assert.Equal(0.9315, Kappa(kappas, KappaWeighting.Unweighted)!.Value, 4);
        Assert.Equal(0.9412, Kappa(kappas, KappaWeighting.Linear)!.Value, 4);
        Assert.Equal(0.9541, Kappa(kappas, KappaWeighting.Quadratic)!.Value, 4);
    }

    [Fact]
    public void CohenStandardErrorsMatchStatsmodels()
    {
        // statsmodels.stats.tests.test_inter_rater: table [[0,4,1],[0,8,0],[0,1,5]].
        var table = new double[,] { { 0, 4, 1 }, { 0, 8, 0 }, { 0, 1, 5 } };

        var simple = Agreement.CohenFromTable(table, ThreeCategories, KappaWeighting.Unweighted)!;
        var linear = Agreement.CohenFromTable(table, ThreeCategories, KappaWeighting.Linear)!;

        Assert.Equal(0.4842, simple.Value, 4);
        Assert.Equal(0.1380, simple.StandardError, 4);
        Assert.Equal(0.4701, linear.Value, 4);
        Assert.Equal(0.1457, linear.StandardError, 4);
    }

    [Fact]
    public void CohenPairsAgreeWithTheTableAndCarryASeededBootstrapInterval()
    {
        var table = new double[,] { { 0, 4, 1 }, { 0, 8, 0 }, { 0, 1, 5 } };

        var first = Agreement.Cohen(Pairs(table, ThreeCategories), ThreeCategories, seed: 7);
        var again = Agreement.Cohen(Pairs(table, ThreeCategories), ThreeCategories, seed: 7);
        var other = Agreement.Cohen(Pairs(table, ThreeCategories), ThreeCategories, seed: 8);

        var simple = first.Single(k => k.Weighting == KappaWeighting.Unweighted);
        Assert.Equal(0.1380, simple.StandardError!.Value, 4);
        Assert.InRange(simple.Value!.Value, simple.Interval!.Low, simple.Interval.High);
        Assert.True(simple.Interval.High - simple.Interval.Low > 0.2, "19 items leave kappa uncertain");
        Assert.Equal(simple.Interval, again.Single(k => k.Weighting == KappaWeighting.Unweighted).Interval);
        Assert.NotEqual(simple.Interval, other.Single(k => k.Weighting == KappaWeighting.Unweighted).Interval);
    }

    [Fact]
    public void CohenIsUndefinedWhenBothRatersUseOneCategory()
    {
        var kappas = Agreement.Cohen([(3, 3), (3, 3)]);

        Assert.All(kappas, k => Assert.Null(k.Value));
        Assert.All(kappas, k => Assert.Null(k.Interval));
    }

    [Fact]
    public void FleissMatchesWikipediasExample()
    {
        // en.wikipedia.org/wiki/Fleiss'_kappa, worked example: 10 subjects, 14 raters, 5 categories -> 0.210.
        int[][] counts =
        [
            [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
        ];
        var ratings = RatingMatrix.FromCategoryCounts(counts, [1, 2, 3, 4, 5]);

        var fleiss = Agreement.Fleiss(ratings);

        Assert.Equal(0.209931, fleiss.Value!.Value, 6);
        Assert.Equal(10, fleiss.Items);
    }

    /// <summary>irrCAC's raw_4raters: 12 subjects, 4 raters, missing ratings (Gwet 2014).</summary>
    static RatingMatrix FourRaters() => RatingMatrix.FromRaterRows(new double?[][]
    {
        [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, null],
        [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
    });

    [Fact]
    public void GwetAc1FollowsIrrCacWithMissingRatings()
    {
        var ac1 = Agreement.GwetAc1(FourRaters());

        Assert.Equal(0.77544, ac1.Value!.Value, 5);
        Assert.Equal(0.14295, ac1.StandardError!.Value, 5);
        Assert.Equal(11, ac1.Items);
    }

    [Fact]
    public void FleissAndPercentAgreementFollowIrrCacWithMissingRatings()
    {
        var fleiss = Agreement.Fleiss(FourRaters());

        Assert.Equal(0.76117, fleiss.Value!.Value, 5);
        Assert.Equal(0.15302, fleiss.StandardError!.Value, 5);
        Assert.Equal(0.81818, Agreement.PercentAgreement(FourRaters()).Value!.Value, 5);
    }

    /// <summary>Krippendorff's 3 coders x 15 units example (fast-krippendorff's tests).</summary>
    static RatingMatrix ThreeCoders() => RatingMatrix.FromRaterRows(new double?[][]
    {
        [null, null, null, null, null, 3, 4, 1, 2, 1, 1, 3, 3, null, 3],
        [1, null, 2, 1, 3, 3, 4, 3, null, null, null, null, null, null, null],
        [null, null, 2, 1, 3, 4, 4, null, 2, 1, 1, 3, 3, null, 4],
    });

    [Fact]
    public void KrippendorffMatchesThePublishedThreeCoderExample()
    {
        Assert.Equal(0.691358, Agreement.Krippendorff(ThreeCoders(), KrippendorffLevel.Nominal).Value!.Value, 6);
        Assert.Equal(0.810845, Agreement.Krippendorff(ThreeCoders(), KrippendorffLevel.Interval).Value!.Value, 6);
    }

    [Fact]
    public void KrippendorffOrdinalAndRatioMatchFastKrippendorff()
    {
        // fast-krippendorff's 4 coders x 12 units data: ordinal 0.815, ratio 0.797 (three decimals). It is irrCAC's
        // data but for unit 12's single rating, which sits with another coder there and is not pairable either way.
        Assert.Equal(0.815, Agreement.Krippendorff(FourRaters(), KrippendorffLevel.Ordinal).Value!.Value, 3);
        Assert.Equal(0.797, Agreement.Krippendorff(FourRaters(), KrippendorffLevel.Ratio).Value!.Value, 3);
    }

    [Fact]
    public void PerfectAgreementIsOneOnEveryScale()
    {
        var ratings = RatingMatrix.FromRaterRows(new double?[][] { [1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4] });

        Assert.All(Enum.GetValues<KrippendorffLevel>(), level => Assert.Equal(1.0, Agreement.Krippendorff(ratings, level).Value));
        Assert.Equal(1.0, Agreement.Fleiss(ratings).Value!.Value, 12);
        Assert.Equal(1.0, Agreement.GwetAc1(ratings).Value!.Value, 12);
    }

    [Fact]
    public void ARaterRatingAnItemTwiceIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => RatingMatrix.FromRows([new("a", "r1", 1), new("a", "r1", 2)]));

        Assert.Contains("rated item 'a' twice", error.Message);
    }
}
