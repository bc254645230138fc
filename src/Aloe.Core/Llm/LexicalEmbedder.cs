using System.Numerics.Tensors;
using System.Text;

namespace Aloe.Core.Llm;

/// <summary>
/// The built-in embedder: hashed word unigrams, word bigrams and character trigrams, each
/// family weighted, summed into a fixed-size vector and L2-normalised. Deterministic, no
/// model files. Its similarity scale differs from MiniLM's, so it has its own calibrated
/// threshold (docs/embedder-calibration.md).
/// </summary>
public sealed class LexicalEmbedder(int dimensions = 1024)
{
    public int Dimensions { get; } = dimensions;

    public string Id => $"lexical-v1-{Dimensions}";

    public float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        var words = Tokenize(text);
        for (var i = 0; i < words.Count; i++)
        {
            Add(vector, "w:" + words[i], 1.0f);
            if (i > 0)
                Add(vector, "b:" + words[i - 1] + " " + words[i], 0.7f);
            var padded = "#" + words[i] + "#";
            for (var c = 0; c + 3 <= padded.Length; c++)
                Add(vector, "c:" + padded.Substring(c, 3), 0.3f);
        }
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
            TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

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
