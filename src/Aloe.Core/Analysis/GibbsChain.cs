namespace Aloe.Core.Analysis;

/// <summary>
/// What every chain of one fit shares, computed once: which random terms join the fixed effects in
/// the dense block, which sparse terms are nested pairs, the cross-product X'X (Gaussian) and the priors.
/// </summary>
internal sealed class SamplerLayout
{
    /// <summary>Random terms with at most this many levels are sampled jointly with the fixed effects (e.g. the 21 models of PRISM).</summary>
    public const int DenseLevelLimit = 64;

    /// <summary>Degrees of freedom of the half-Student-t priors on the group SDs and the residual SD (as brms's defaults).</summary>
    public const double PriorDf = 3;

    /// <summary>Prior variance of every fixed coefficient (the paper: Normal(0, 10^6)).</summary>
    public const double CoefficientPriorVariance = 1e6;

    public SamplerLayout(ModelData data, ModelFamily family)
    {
        Data = data;
        Family = family;
        P = data.FixedCount;
        var dense = new List<int>();
        var sparse = new List<int>();
        for (var k = 0; k < data.Random.Length; k++)
            (data.Random[k].LevelCount <= DenseLevelLimit ? dense : sparse).Add(k);
        DenseTerms = dense.ToArray();
        DenseOffset = new int[data.Random.Length];
        Q = P;
        foreach (var k in DenseTerms)
        {
            DenseOffset[k] = Q;
            Q += data.Random[k].LevelCount;
        }
        Units = SparseUnits(data, sparse);
        // brms's default scale for SD priors: max(2.5, MAD of the outcome) for Gaussian, 2.5 on the logit scale.
        PriorScale = family == ModelFamily.Gaussian ? Math.Max(2.5, Mad(data.Y)) : 2.5;
        if (family == ModelFamily.Gaussian)
            CrossProduct = DenseCrossProduct();
    }

    public ModelData Data { get; }
    public ModelFamily Family { get; }
    public int P { get; }
    /// <summary>Dense block size: fixed effects plus the levels of the dense random terms.</summary>
    public int Q { get; }
    public int[] DenseTerms { get; }
    public int[] DenseOffset { get; }
    public SparseUnit[] Units { get; }
    public double PriorScale { get; }
    /// <summary>D'D of the dense block (Gaussian only: its weights are one 1/sigma^2 for every row).</summary>
    public double[]? CrossProduct { get; }

    /// <summary>
    /// A sparse term alone, or a parent with the term nested in it ((1|user/conversation)): the pair is
    /// updated jointly, the parent from its marginal with the children integrated out, then the children,
    /// which removes the strong posterior coupling between a user's and its conversations' intercepts.
    /// </summary>
    internal sealed record SparseUnit(int Term, int Child, int[]? ParentOfChild);

    static SparseUnit[] SparseUnits(ModelData data, List<int> sparse)
    {
        var units = new List<SparseUnit>();
        var used = new HashSet<int>();
        foreach (var parent in sparse)
        {
            if (used.Contains(parent))
                continue;
            foreach (var child in sparse)
            {
                if (child == parent || used.Contains(child) || data.Random[child].LevelCount <= data.Random[parent].LevelCount)
                    continue;
                if (NestedIn(data.Random[child], data.Random[parent]) is { } parentOf)
                {
                    units.Add(new SparseUnit(parent, child, parentOf));
                    used.Add(parent);
                    used.Add(child);
                    break;
                }
            }
        }
        foreach (var k in sparse)
            if (!used.Contains(k))
                units.Add(new SparseUnit(k, -1, null));
        return units.ToArray();
    }

    static int[]? NestedIn(RandomTermData child, RandomTermData parent)
    {
        var parentOf = new int[child.LevelCount];
        Array.Fill(parentOf, -1);
        for (var i = 0; i < child.Level.Length; i++)
        {
            ref var p = ref parentOf[child.Level[i]];
            if (p < 0) p = parent.Level[i];
            else if (p != parent.Level[i]) return null;
        }
        return parentOf;
    }

    double[] DenseCrossProduct()
    {
        var q = Q;
        var result = new double[q * q];
        var x = Data.X;
        for (var i = 0; i < Data.Rows; i++)
        {
            var row = i * P;
            for (var a = 0; a < P; a++)
            {
                var xa = x[row + a];
                for (var b = a; b < P; b++)
                    result[a * q + b] += xa * x[row + b];
            }
            foreach (var k in DenseTerms)
            {
                var c = DenseOffset[k] + Data.Random[k].Level[i];
                for (var a = 0; a < P; a++)
                    result[a * q + c] += x[row + a];
                foreach (var k2 in DenseTerms)
                {
                    var c2 = DenseOffset[k2] + Data.Random[k2].Level[i];
                    if (c2 >= c)
                        result[c * q + c2] += 1;
                }
            }
        }
        return result;
    }

    static double Mad(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        var median = Quantiles.Median(sorted);
        var deviations = sorted.Select(v => Math.Abs(v - median)).ToArray();
        Array.Sort(deviations);
        return 1.4826 * Quantiles.Median(deviations);
    }
}

/// <summary>
/// One Markov chain of the blocked Gibbs sampler. Gaussian: every row has weight 1/sigma^2 and
/// pseudo-response y. Bernoulli: Polya-Gamma augmentation gives row i the weight omega_i ~ PG(1, eta_i)
/// and pseudo-response kappa_i / omega_i with kappa_i = y_i - 1/2 (Polson, Scott and Windle 2013), so
/// both families share the conditionally Gaussian updates:
/// (1) the dense block (fixed effects with the small random terms) jointly by Cholesky;
/// (2) each large random term by group (levels are independent given the rest), its variance drawn
///     first with the levels integrated out; nested pairs jointly;
/// (3) the other group variances and the residual variance under half-t(3, scale) priors, conjugate
///     through Huang and Wand's (2013) inverse-gamma mixture.
/// All buffers are allocated once; an iteration allocates nothing.
/// </summary>
internal sealed class GibbsChain
{
    readonly SamplerLayout layout;
    readonly ModelData data;
    readonly int n, p, q;
    Rng rng;

    // State
    readonly double[] theta;        // dense block: fixed effects, then dense random-term levels
    readonly double[][] u;          // per random term (dense terms mirror their theta slice)
    readonly double[] tau2, tauAux; // group variances and their mixing variables
    double sigma2, sigmaAux;
    readonly double[] eta, denseFit, w, wz;

    // Scratch
    readonly double[] precision, rhs, normal, mean;
    readonly double[][] sumW, sumWr, scratchParent, scratchParentMean;
    readonly double[] kappa;
    readonly double[] oldParent;

    public GibbsChain(SamplerLayout layout, ulong seed)
    {
        this.layout = layout;
        data = layout.Data;
        n = data.Rows;
        p = layout.P;
        q = layout.Q;
        rng = new Rng(seed);
        theta = new double[q];
        var terms = data.Random.Length;
        u = new double[terms][];
        sumW = new double[terms][];
        sumWr = new double[terms][];
        scratchParent = new double[terms][];
        scratchParentMean = new double[terms][];
        for (var k = 0; k < terms; k++)
        {
            var levels = data.Random[k].LevelCount;
            u[k] = new double[levels];
            sumW[k] = new double[levels];
            sumWr[k] = new double[levels];
            scratchParent[k] = new double[levels];
            scratchParentMean[k] = new double[levels];
        }
        tau2 = new double[terms];
        tauAux = new double[terms];
        eta = new double[n];
        denseFit = new double[n];
        w = new double[n];
        wz = new double[n];
        precision = new double[q * q];
        rhs = new double[q];
        normal = new double[q];
        mean = new double[q];
        kappa = new double[n];
        oldParent = new double[data.Random.Select(r => r.LevelCount).DefaultIfEmpty(0).Max()];

        // Dispersed starting points, so that R-hat can see chains that have not met.
        var scale = layout.PriorScale;
        for (var k = 0; k < terms; k++)
        {
            tau2[k] = Math.Pow(scale * (0.2 + rng.Uniform()), 2);
            tauAux[k] = scale * scale;
        }
        if (layout.Family == ModelFamily.Gaussian)
        {
            var variance = Variance(data.Y);
            sigma2 = Math.Max(variance, 1e-8) * (0.5 + rng.Uniform());
            sigmaAux = scale * scale;
            SetGaussianWeights();
        }
        else
        {
            for (var i = 0; i < n; i++)
            {
                kappa[i] = data.Y[i] - 0.5;
                wz[i] = kappa[i];
            }
        }
        for (var j = 0; j < p; j++)
            theta[j] = 2 * rng.Uniform() - 1;
        RecomputeFit();
    }

    /// <summary>Names of the recorded quantities, in <see cref="Record"/> order.</summary>
    public static string[] ParameterNames(ModelData data, ModelFamily family)
    {
        var names = data.FixedNames.Concat(data.Random.Select(r => $"sd({r.Name})")).ToList();
        if (family == ModelFamily.Gaussian)
            names.Add("sigma");
        return names.ToArray();
    }

    public void Iterate()
    {
        if (layout.Family == ModelFamily.Bernoulli)
            DrawPolyaGamma();
        DrawDenseBlock();
        RescaleDenseTerms();
        foreach (var unit in layout.Units)
        {
            if (unit.Child < 0) DrawSparseTerm(unit.Term);
            else DrawNestedPair(unit.Term, unit.Child, unit.ParentOfChild!);
        }
        DrawVariances();
        if (layout.Family == ModelFamily.Gaussian)
            DrawResidualVariance();
    }

    public void Record(Span<double> target)
    {
        theta.AsSpan(0, p).CopyTo(target);
        for (var k = 0; k < tau2.Length; k++)
            target[p + k] = Math.Sqrt(tau2[k]);
        if (layout.Family == ModelFamily.Gaussian)
            target[p + tau2.Length] = Math.Sqrt(sigma2);
    }

    void DrawPolyaGamma()
    {
        for (var i = 0; i < n; i++)
            w[i] = PolyaGamma.Sample(ref rng, eta[i]);
    }

    void SetGaussianWeights()
    {
        var inv = 1 / sigma2;
        for (var i = 0; i < n; i++)
        {
            w[i] = inv;
            wz[i] = data.Y[i] * inv;
        }
    }

    void DrawDenseBlock()
    {
        var x = data.X;
        var dense = layout.DenseTerms;
        var offsets = layout.DenseOffset;
        Array.Clear(rhs);
        var constant = layout.CrossProduct;
        if (constant is not null)
        {
            var inv = 1 / sigma2;
            for (var c = 0; c < precision.Length; c++)
                precision[c] = constant[c] * inv;
        }
        else Array.Clear(precision);

        for (var i = 0; i < n; i++)
        {
            var wi = w[i];
            // Weighted residual with the dense block's own contribution put back.
            var r = wz[i] - wi * (eta[i] - denseFit[i]);
            var row = i * p;
            for (var a = 0; a < p; a++)
                rhs[a] += x[row + a] * r;
            foreach (var k in dense)
                rhs[offsets[k] + data.Random[k].Level[i]] += r;
            if (constant is not null)
                continue;
            for (var a = 0; a < p; a++)
            {
                var wxa = wi * x[row + a];
                var line = a * q;
                for (var b = a; b < p; b++)
                    precision[line + b] += wxa * x[row + b];
            }
            foreach (var k in dense)
            {
                var c = offsets[k] + data.Random[k].Level[i];
                for (var a = 0; a < p; a++)
                    precision[a * q + c] += wi * x[row + a];
                foreach (var k2 in dense)
                {
                    var c2 = offsets[k2] + data.Random[k2].Level[i];
                    if (c2 >= c)
                        precision[c * q + c2] += wi;
                }
            }
        }
        for (var a = 0; a < p; a++)
            precision[a * q + a] += 1 / SamplerLayout.CoefficientPriorVariance;
        foreach (var k in dense)
            for (var l = 0; l < data.Random[k].LevelCount; l++)
            {
                var c = offsets[k] + l;
                precision[c * q + c] += 1 / tau2[k];
            }

        // Upper triangle -> Cholesky factor U (precision = U'U), in place; then mean = P^-1 rhs, draw = mean + U^-1 z.
        CholeskyUpper(precision, q);
        for (var c = 0; c < q; c++)
            normal[c] = rng.Normal();
        SolveUpperTransposed(precision, q, rhs, mean);
        SolveUpper(precision, q, mean);
        SolveUpper(precision, q, normal);
        for (var c = 0; c < q; c++)
            theta[c] = mean[c] + normal[c];
        foreach (var k in dense)
            Array.Copy(theta, offsets[k], u[k], 0, data.Random[k].LevelCount);

        for (var i = 0; i < n; i++)
        {
            var row = i * p;
            var fit = 0.0;
            for (var a = 0; a < p; a++)
                fit += x[row + a] * theta[a];
            foreach (var k in dense)
                fit += theta[offsets[k] + data.Random[k].Level[i]];
            eta[i] += fit - denseFit[i];
            denseFit[i] = fit;
        }
    }

    void DrawSparseTerm(int k)
    {
        var level = data.Random[k].Level;
        var uk = u[k];
        var s = sumW[k];
        var t = sumWr[k];
        Array.Clear(s);
        Array.Clear(t);
        for (var i = 0; i < n; i++)
        {
            var g = level[i];
            s[g] += w[i];
            t[g] += wz[i] - w[i] * (eta[i] - uk[g]);
        }
        DrawCollapsedVariance(k, s, t);
        var lambda = 1 / tau2[k];
        var delta = scratchParent[k];
        for (var g = 0; g < uk.Length; g++)
        {
            var prec = s[g] + lambda;
            var value = t[g] / prec + rng.Normal() / Math.Sqrt(prec);
            delta[g] = value - uk[g];
            uk[g] = value;
        }
        for (var i = 0; i < n; i++)
            eta[i] += delta[level[i]];
    }

    /// <summary>
    /// A parent term with a term nested in it, e.g. users and their conversations (partially collapsed
    /// Gibbs, van Dyk and Park 2008): the parents given the children integrated out; the children's SD
    /// with the children integrated out, then the children; the parents' SD with the parents integrated
    /// out, then the parents again given the new children. One pass over the rows for the sums, one to
    /// update the linear predictor.
    /// </summary>
    void DrawNestedPair(int parent, int child, int[] parentOf)
    {
        var parentLevel = data.Random[parent].Level;
        var childLevel = data.Random[child].Level;
        var ua = u[parent];
        var ub = u[child];
        var s = sumW[child];
        var t = sumWr[child];
        Array.Clear(s);
        Array.Clear(t);
        for (var i = 0; i < n; i++)
        {
            var c = childLevel[i];
            s[c] += w[i];
            t[c] += wz[i] - w[i] * (eta[i] - ua[parentLevel[i]] - ub[c]);
        }
        var oldA = oldParent;
        Array.Copy(ua, oldA, ua.Length);

        // Parents with the children integrated out: a child's rows inform its parent with variance 1/S + tau_b^2.
        var lambdaA = 1 / tau2[parent];
        var lambdaB = 1 / tau2[child];
        var precA = scratchParent[parent];
        var numA = scratchParentMean[parent];
        Array.Fill(precA, lambdaA);
        Array.Clear(numA);
        for (var c = 0; c < ub.Length; c++)
        {
            var denominator = s[c] + lambdaB;
            precA[parentOf[c]] += s[c] * lambdaB / denominator;
            numA[parentOf[c]] += lambdaB * t[c] / denominator;
        }
        for (var a = 0; a < ua.Length; a++)
            ua[a] = numA[a] / precA[a] + rng.Normal() / Math.Sqrt(precA[a]);

        // Children given the parents: their SD first, with the children integrated out.
        var tb = scratchParentMean[child];
        for (var c = 0; c < ub.Length; c++)
            tb[c] = t[c] - s[c] * ua[parentOf[c]];
        DrawCollapsedVariance(child, s, tb);
        lambdaB = 1 / tau2[child];
        var deltaB = scratchParent[child];
        for (var c = 0; c < ub.Length; c++)
        {
            var prec = s[c] + lambdaB;
            var value = tb[c] / prec + rng.Normal() / Math.Sqrt(prec);
            deltaB[c] = value - ub[c];
            ub[c] = value;
        }

        // Parents given the new children: their SD with the parents integrated out, then the parents.
        var sa = sumW[parent];
        var ta = sumWr[parent];
        Array.Clear(sa);
        Array.Clear(ta);
        for (var c = 0; c < ub.Length; c++)
        {
            sa[parentOf[c]] += s[c];
            ta[parentOf[c]] += t[c] - s[c] * ub[c];
        }
        DrawCollapsedVariance(parent, sa, ta);
        lambdaA = 1 / tau2[parent];
        var deltaA = scratchParent[parent];
        for (var a = 0; a < ua.Length; a++)
        {
            var prec = sa[a] + lambdaA;
            ua[a] = ta[a] / prec + rng.Normal() / Math.Sqrt(prec);
            deltaA[a] = ua[a] - oldA[a];
        }
        for (var i = 0; i < n; i++)
            eta[i] += deltaA[parentLevel[i]] + deltaB[childLevel[i]];
    }

    /// <summary>
    /// Draws a large term's variance with its intercepts integrated out. Gibbs alternating u and tau mixes
    /// badly where each group carries little information (a few Bernoulli rows per conversation): they pin
    /// each other down. Given the sums S_j = sum w_i and T_j = sum w_i r_i of each level's rows, level j adds
    /// -log(1 + S_j tau^2) / 2 + T_j^2 tau^2 / (2 (1 + S_j tau^2)) to the log posterior of tau, so one
    /// slice-sampling update (Neal 2003: stepping out, then shrinking) on log tau costs O(levels).
    /// The prior is the half-t's inverse-gamma layer, tau^2 ~ IG(nu/2, nu/a).
    /// </summary>
    void DrawCollapsedVariance(int k, double[] s, double[] t)
    {
        var target = new CollapsedVariance(s, t, SamplerLayout.PriorDf, SamplerLayout.PriorDf / tauAux[k]);
        var x = Slice(ref rng, target, 0.5 * Math.Log(tau2[k]));
        tau2[k] = Math.Exp(2 * x);
    }

    interface ILogDensity
    {
        double At(double x);
    }

    readonly struct CollapsedVariance(double[] s, double[] t, double nu, double rate) : ILogDensity
    {
        public double At(double l)
        {
            var v = Math.Exp(2 * l);
            var sum = -nu * l - rate / v;
            for (var j = 0; j < s.Length; j++)
            {
                var d = 1 + s[j] * v;
                sum += 0.5 * (t[j] * t[j] * v / d - Math.Log(d));
            }
            return sum;
        }
    }

    /// <summary>
    /// The group move (u, tau) -> (c u, c tau) in l = log c (Liu and Sabatti 2000): the likelihood
    /// B c - A c^2 / 2 times the inverse-gamma layer of the prior at c tau, c^-nu exp(-rate / (c tau)^2).
    /// </summary>
    readonly struct ScaleMove(double a, double b, double nu, double rateOverTau2) : ILogDensity
    {
        public double At(double l) => b * Math.Exp(l) - 0.5 * a * Math.Exp(2 * l) - nu * l - rateOverTau2 * Math.Exp(-2 * l);
    }

    /// <summary>One slice-sampling update from x0 (Neal 2003: stepping out by 1, then shrinking); generic over a struct so it allocates nothing.</summary>
    static double Slice<T>(ref Rng rng, T target, double x0) where T : struct, ILogDensity
    {
        const double width = 1.0;
        var height = target.At(x0) + Math.Log(rng.Uniform());
        var left = x0 - width * rng.Uniform();
        var right = left + width;
        for (var steps = 0; steps < 16 && target.At(left) > height; steps++)
            left -= width;
        for (var steps = 0; steps < 16 && target.At(right) > height; steps++)
            right += width;
        while (true)
        {
            var x = left + (right - left) * rng.Uniform();
            if (target.At(x) > height)
                return x;
            if (x < x0) left = x;
            else right = x;
        }
    }

    /// <summary>
    /// Dense terms (few levels, e.g. 4 models) are drawn with the fixed effects, their variance by the
    /// conjugate update given the levels, which crawls when the SD is near zero (the funnel). A group move
    /// rescales levels and SD together; it needs each level's weight and weighted residual, one pass over the rows.
    /// </summary>
    void RescaleDenseTerms()
    {
        foreach (var k in layout.DenseTerms)
        {
            var level = data.Random[k].Level;
            var uk = u[k];
            var s = sumW[k];
            var t = sumWr[k];
            Array.Clear(s);
            Array.Clear(t);
            for (var i = 0; i < n; i++)
            {
                var g = level[i];
                s[g] += w[i];
                t[g] += wz[i] - w[i] * (eta[i] - uk[g]);
            }
            double a = 0, b = 0;
            for (var g = 0; g < uk.Length; g++)
            {
                a += s[g] * uk[g] * uk[g];
                b += uk[g] * t[g];
            }
            var nu = SamplerLayout.PriorDf;
            var c = Math.Exp(Slice(ref rng, new ScaleMove(a, b, nu, nu / tauAux[k] / tau2[k]), 0));
            tau2[k] *= c * c;
            var delta = scratchParent[k];
            var offset = layout.DenseOffset[k];
            for (var g = 0; g < uk.Length; g++)
            {
                delta[g] = (c - 1) * uk[g];
                uk[g] *= c;
                theta[offset + g] = uk[g];
            }
            for (var i = 0; i < n; i++)
            {
                var d = delta[level[i]];
                eta[i] += d;
                denseFit[i] += d;
            }
        }
    }

    void DrawVariances()
    {
        var nu = SamplerLayout.PriorDf;
        var a2 = layout.PriorScale * layout.PriorScale;
        for (var k = 0; k < tau2.Length; k++)
        {
            // Large terms drew their variance collapsed (DrawCollapsedVariance); dense ones draw it here.
            if (data.Random[k].LevelCount <= SamplerLayout.DenseLevelLimit)
            {
                var ss = 0.0;
                foreach (var v in u[k])
                    ss += v * v;
                tau2[k] = rng.InverseGamma((nu + u[k].Length) / 2, nu / tauAux[k] + ss / 2);
            }
            tauAux[k] = rng.InverseGamma((nu + 1) / 2, nu / tau2[k] + 1 / a2);
        }
    }

    void DrawResidualVariance()
    {
        var nu = SamplerLayout.PriorDf;
        var ssr = 0.0;
        for (var i = 0; i < n; i++)
        {
            var e = data.Y[i] - eta[i];
            ssr += e * e;
        }
        sigma2 = rng.InverseGamma((nu + n) / 2, nu / sigmaAux + ssr / 2);
        sigmaAux = rng.InverseGamma((nu + 1) / 2, nu / sigma2 + 1 / (layout.PriorScale * layout.PriorScale));
        SetGaussianWeights();
    }

    void RecomputeFit()
    {
        for (var i = 0; i < n; i++)
        {
            var fit = 0.0;
            for (var a = 0; a < p; a++)
                fit += data.X[i * p + a] * theta[a];
            denseFit[i] = fit;
            eta[i] = fit;
        }
    }

    static double Variance(double[] values)
    {
        var m = values.Average();
        return values.Sum(v => (v - m) * (v - m)) / Math.Max(1, values.Length - 1);
    }

    /// <summary>In-place Cholesky of the upper triangle (row-major): A = U'U.</summary>
    static void CholeskyUpper(double[] a, int q)
    {
        for (var j = 0; j < q; j++)
        {
            var d = a[j * q + j];
            for (var k = 0; k < j; k++)
                d -= a[k * q + j] * a[k * q + j];
            if (d <= 0)
                throw new InvalidOperationException("The fixed-effect block is not positive definite (collinear predictors?).");
            d = Math.Sqrt(d);
            a[j * q + j] = d;
            for (var i = j + 1; i < q; i++)
            {
                var s = a[j * q + i];
                for (var k = 0; k < j; k++)
                    s -= a[k * q + j] * a[k * q + i];
                a[j * q + i] = s / d;
            }
        }
    }

    /// <summary>Solves U'y = b (forward substitution).</summary>
    static void SolveUpperTransposed(double[] u, int q, double[] b, double[] y)
    {
        for (var i = 0; i < q; i++)
        {
            var s = b[i];
            for (var k = 0; k < i; k++)
                s -= u[k * q + i] * y[k];
            y[i] = s / u[i * q + i];
        }
    }

    /// <summary>Solves U x = y in place (back substitution).</summary>
    static void SolveUpper(double[] u, int q, double[] y)
    {
        for (var i = q - 1; i >= 0; i--)
        {
            var s = y[i];
            for (var k = i + 1; k < q; k++)
                s -= u[i * q + k] * y[k];
            y[i] = s / u[i * q + i];
        }
    }
}
