namespace Aloe.Core.Analysis;

/// <summary>
/// A mixed-model formula in lme4 syntax: <c>y ~ a + b + a:b + c*d + factor(e) + (1|g) + (1|u/c)</c>.
/// <c>a*b</c> means <c>a + b + a:b</c>; <c>(1|u/c)</c> means <c>(1|u) + (1|u:c)</c> (conversations
/// nested in users); <c>0</c> or <c>-1</c> drops the intercept. Only random intercepts are supported.
/// </summary>
internal sealed record Formula(string Outcome, bool Intercept, IReadOnlyList<FixedTerm> Fixed, IReadOnlyList<GroupingTerm> Random)
{
    public static Formula Parse(string text)
    {
        var tilde = text.IndexOf('~');
        if (tilde < 0 || text.IndexOf('~', tilde + 1) >= 0)
            throw new ModelSpecificationException($"The formula '{text}' needs exactly one '~' between the outcome and the terms.");
        var outcome = text[..tilde].Trim();
        if (outcome.Length == 0 || !IsName(outcome))
            throw new ModelSpecificationException($"The formula's outcome '{outcome}' is not a column name.");

        var intercept = true;
        var fixedTerms = new List<FixedTerm>();
        var random = new List<GroupingTerm>();
        foreach (var (sign, raw) in SplitTopLevel(text[(tilde + 1)..]))
        {
            var term = raw.Trim();
            if (term.Length == 0)
                throw new ModelSpecificationException($"The formula '{text}' has an empty term.");
            if (sign == '-')
            {
                if (term != "1")
                    throw new ModelSpecificationException($"Only '-1' may be subtracted in a formula, not '-{term}'.");
                intercept = false;
            }
            else if (term == "1") intercept = true;
            else if (term == "0") intercept = false;
            else if (term.StartsWith('(') && term.EndsWith(')')) random.AddRange(ParseRandom(term));
            else
            {
                foreach (var fixedTerm in ParseFixed(term))
                    if (!fixedTerms.Contains(fixedTerm))
                        fixedTerms.Add(fixedTerm);
            }
        }
        var distinct = new List<GroupingTerm>();
        foreach (var g in random)
            if (!distinct.Contains(g))
                distinct.Add(g);
        return new Formula(outcome, intercept, fixedTerms, distinct);
    }

    static IEnumerable<(char Sign, string Term)> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        var sign = '+';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (depth == 0 && (c == '+' || c == '-'))
            {
                if (text[start..i].Trim().Length > 0)
                    yield return (sign, text[start..i]);
                sign = c;
                start = i + 1;
            }
        }
        if (depth != 0)
            throw new ModelSpecificationException($"Unbalanced parentheses in the formula terms '{text.Trim()}'.");
        yield return (sign, text[start..]);
    }

    static IEnumerable<GroupingTerm> ParseRandom(string term)
    {
        var inner = term[1..^1];
        var bar = inner.IndexOf('|');
        if (bar < 0)
            throw new ModelSpecificationException($"The random term '{term}' needs a '|', as in (1|group).");
        if (inner[..bar].Trim() != "1")
            throw new ModelSpecificationException($"Only random intercepts '(1|group)' are supported, not '{term}'.");
        var groups = inner[(bar + 1)..].Trim();
        if (groups.Contains('/'))
        {
            // (1|a/b/c) = (1|a) + (1|a:b) + (1|a:b:c)
            var levels = groups.Split('/').Select(s => s.Trim()).ToList();
            for (var k = 1; k <= levels.Count; k++)
                yield return GroupingTerm.Of(term, levels.Take(k).SelectMany(l => l.Split(':')));
        }
        else yield return GroupingTerm.Of(term, groups.Split(':'));
    }

    static IEnumerable<FixedTerm> ParseFixed(string term)
    {
        if (term.Contains('*'))
        {
            // a*b*c: every non-empty subset, lower orders first, as R expands it.
            var factors = term.Split('*').Select(f => f.Trim()).ToList();
            var subsets = Enumerable.Range(1, (1 << factors.Count) - 1)
                .Select(mask => factors.Where((_, i) => (mask & (1 << i)) != 0).ToList())
                .OrderBy(s => s.Count);
            foreach (var subset in subsets)
                yield return FixedTerm.Of(term, subset.SelectMany(s => s.Split(':')));
        }
        else yield return FixedTerm.Of(term, term.Split(':'));
    }

    internal static bool IsName(string name) => name.Length > 0 && name.All(c => char.IsLetterOrDigit(c) || c is '_' or '.');

    /// <summary>`factor(x)` names a column to treat as categorical; anything else a plain column.</summary>
    internal static (string Column, bool Categorical) Variable(string token) =>
        token.StartsWith("factor(", StringComparison.Ordinal) && token.EndsWith(')') ? (token[7..^1].Trim(), true) : (token, false);
}

/// <summary>A fixed effect: one column, or the product of several (an interaction a:b).</summary>
internal sealed record FixedTerm(IReadOnlyList<string> Factors)
{
    public string Name => string.Join(":", Factors);

    public static FixedTerm Of(string term, IEnumerable<string> factors)
    {
        var list = factors.Select(f => f.Trim()).ToList();
        foreach (var factor in list)
            if (!Formula.IsName(Formula.Variable(factor).Column))
                throw new ModelSpecificationException($"'{factor}' in the term '{term}' is not a column name.");
        return new FixedTerm(list);
    }

    public bool Equals(FixedTerm? other) => other is not null && Factors.SequenceEqual(other.Factors);
    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);
}

/// <summary>A random intercept for the groups formed by one column or a combination (a:b).</summary>
internal sealed record GroupingTerm(IReadOnlyList<string> Columns)
{
    public string Name => string.Join(":", Columns);

    public static GroupingTerm Of(string term, IEnumerable<string> columns)
    {
        var list = columns.Select(c => c.Trim()).ToList();
        foreach (var column in list)
            if (!Formula.IsName(column))
                throw new ModelSpecificationException($"'{column}' in the random term '{term}' is not a column name.");
        return new GroupingTerm(list);
    }

    public bool Equals(GroupingTerm? other) => other is not null && Columns.SequenceEqual(other.Columns);
    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);
}
