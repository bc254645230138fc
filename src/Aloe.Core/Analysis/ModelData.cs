using System.Globalization;

namespace Aloe.Core.Analysis;

public enum ModelFamily { Gaussian, Bernoulli }

/// <summary>One random-intercept term: each row's level and the level names.</summary>
internal sealed record RandomTermData(string Name, int[] Level, string[] LevelNames)
{
    public int LevelCount => LevelNames.Length;
}

/// <summary>
/// The numeric model: outcome, fixed-effect design (row-major, one row per observation) and the
/// random-intercept groupings. Built from a formula and a table; every user error is a one-line
/// <see cref="ModelSpecificationException"/>.
/// </summary>
internal sealed record ModelData(string Outcome, double[] Y, string[] FixedNames, double[] X, RandomTermData[] Random)
{
    public int Rows => Y.Length;
    public int FixedCount => FixedNames.Length;

    public static ModelData Build(Formula formula, AnalysisTable table, ModelFamily family)
    {
        if (table.RowCount == 0)
            throw new ModelSpecificationException("The data has no rows.");
        var y = table.Numbers(formula.Outcome)
            ?? throw new ModelSpecificationException($"The outcome '{formula.Outcome}' must be numeric; some values are not numbers.");
        if (family == ModelFamily.Bernoulli)
        {
            var bad = Array.FindIndex(y, v => v is not (0 or 1));
            if (bad >= 0)
                throw new ModelSpecificationException($"The Bernoulli family needs an outcome of 0 or 1; '{formula.Outcome}' is {y[bad].ToString(CultureInfo.InvariantCulture)} in data row {bad + 1}.");
            if (!y.Contains(0) || !y.Contains(1))
                throw new ModelSpecificationException($"The outcome '{formula.Outcome}' is always {y[0].ToString(CultureInfo.InvariantCulture)}; the Bernoulli family needs both 0 and 1.");
        }

        var names = new List<string>();
        var columns = new List<double[]>();
        if (formula.Intercept)
        {
            names.Add("(Intercept)");
            columns.Add(Enumerable.Repeat(1.0, table.RowCount).ToArray());
        }
        foreach (var term in formula.Fixed)
        {
            // An interaction is the product of each factor's columns (a categorical factor has one per non-reference level).
            IEnumerable<(string Name, double[] Values)> product = [("", Enumerable.Repeat(1.0, table.RowCount).ToArray())];
            foreach (var factor in term.Factors)
            {
                var expanded = Expand(factor, table);
                product = product.SelectMany(left => expanded.Select(right =>
                    (left.Name.Length == 0 ? right.Name : left.Name + ":" + right.Name, Multiply(left.Values, right.Values)))).ToList();
            }
            foreach (var (name, values) in product)
            {
                if (names.Contains(name))
                    continue;
                if (formula.Intercept && Array.TrueForAll(values, v => v == values[0]))
                    throw new ModelSpecificationException(string.Create(CultureInfo.InvariantCulture,
                        $"The predictor '{name}' is {values[0]} in every row; it cannot be estimated alongside the intercept."));
                names.Add(name);
                columns.Add(values);
            }
        }
        if (names.Count == 0)
            throw new ModelSpecificationException("The formula has no fixed effects and no intercept.");

        var x = new double[table.RowCount * names.Count];
        for (var i = 0; i < table.RowCount; i++)
            for (var j = 0; j < names.Count; j++)
                x[i * names.Count + j] = columns[j][i];

        var random = formula.Random.Select(g => Grouping(g, table)).ToArray();
        return new ModelData(formula.Outcome, y, names.ToArray(), x, random);
    }

    static double[] Multiply(double[] a, double[] b)
    {
        var result = new double[a.Length];
        for (var i = 0; i < a.Length; i++)
            result[i] = a[i] * b[i];
        return result;
    }

    /// <summary>A numeric column is itself; factor(x) or a text column is one 0/1 column per level but the first (treatment contrasts, as R names them: x2, x3).</summary>
    static List<(string Name, double[] Values)> Expand(string token, AnalysisTable table)
    {
        var (column, categorical) = Formula.Variable(token);
        var numbers = table.Numbers(column);
        if (!categorical && numbers is not null)
            return [(column, numbers)];
        var text = table.Text(column);
        var levels = text.Distinct(StringComparer.Ordinal).ToList();
        levels = numbers is not null
            ? levels.OrderBy(l => double.Parse(l, CultureInfo.InvariantCulture)).ToList()
            : levels.OrderBy(l => l, StringComparer.Ordinal).ToList();
        if (levels.Count < 2)
            throw new ModelSpecificationException($"The categorical predictor '{column}' has one level ('{levels[0]}'); it needs at least two.");
        return levels.Skip(1).Select(level => (column + level, text.Select(v => v == level ? 1.0 : 0.0).ToArray())).ToList();
    }

    static RandomTermData Grouping(GroupingTerm term, AnalysisTable table)
    {
        var parts = term.Columns.Select(table.Text).ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var level = new int[table.RowCount];
        for (var i = 0; i < table.RowCount; i++)
        {
            var key = parts.Count == 1 ? parts[0][i] : string.Join(":", parts.Select(p => p[i]));
            if (!index.TryGetValue(key, out var l))
            {
                l = names.Count;
                index[key] = l;
                names.Add(key);
            }
            level[i] = l;
        }
        if (names.Count < 2)
            throw new ModelSpecificationException($"The grouping '{term.Name}' has one level ('{names[0]}'); a random intercept needs at least two groups.");
        return new RandomTermData(term.Name, level, names.ToArray());
    }
}
