using System.Numerics.Tensors;
using System.Text;

namespace Aloe.Core.Llm;

/// <summary>
/// The built-in embedder: hashed content-word unigrams, bigrams and character trigrams, each
/// family weighted, with sublinear (square-root) term frequency, summed into a fixed-size
/// vector and L2-normalised. Deterministic, no model files. Function words are dropped
/// because persona texts share a template ("She is ... She also loves ...") that otherwise
/// dominates the cosine. Its similarity scale differs from MiniLM's, so it has its own
/// calibrated threshold (docs/embedder-calibration.md).
/// </summary>
public sealed class LexicalEmbedder(int dimensions = 1024)
{
    const float WordWeight = 1.0f, BigramWeight = 0.5f, TrigramWeight = 0.3f;

    // Pronouns, articles, auxiliaries and the template verbs of persona texts.
    static readonly HashSet<string> StopWords = new(
        ("a an the and or but of to in on at for with by from as is are was were be been being he she him her his hers they them " +
         "their it its this that these those who which what also very really quite always often loves love enjoys enjoy likes like " +
         "has have had does do did not no can could would will just so than then there here about into over out up more most some " +
         "any all each every one").Split(' '), StringComparer.Ordinal);

    public int Dimensions { get; } = dimensions;

    public string Id => $"lexical-v2-{Dimensions}";

    public float[] Embed(string text)
    {
        var all = Tokenize(text);
        var words = all.Where(w => !StopWords.Contains(w)).ToList();
        if (words.Count == 0)
            words = all; // a text of function words only still gets a vector
        var features = new Dictionary<string, float>(StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            Count(features, "w:" + words[i], WordWeight);
            if (i > 0)
                Count(features, "b:" + words[i - 1] + " " + words[i], BigramWeight);
            var padded = "#" + words[i] + "#";
            for (var c = 0; c + 3 <= padded.Length; c++)
                Count(features, "c:" + padded.Substring(c, 3), TrigramWeight);
        }
        var vector = new float[Dimensions];
        foreach (var (feature, weight) in features)
            Add(vector, feature, MathF.Sqrt(weight));
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
            TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    static void Count(Dictionary<string, float> features, string feature, float weight) =>
        features[feature] = features.GetValueOrDefault(feature) + weight;

    static List<string> Tokenize(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch))
                current.Append(char.ToLowerInvariant(ch));
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0)
            words.Add(current.ToString());
        return words;
    }

    void Add(float[] vector, string feature, float weight)
    {
        // FNV-1a: stable across processes and .NET versions (string.GetHashCode is randomised).
        var hash = 2166136261u;
        foreach (var ch in feature)
        {
            hash ^= ch;
            hash *= 16777619u;
        }
        // The top bit picks a sign, so collisions cancel out on average instead of piling up.
        var sign = (hash & 0x80000000u) == 0 ? 1f : -1f;
        vector[(int)((hash & 0x7FFFFFFFu) % (uint)Dimensions)] += sign * weight;
    }
}
