using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Aloe.Core.Personas;

/// <summary>Stores a vector as a blob once (little-endian float32, as the machine's memory layout on every supported platform).</summary>
internal static class EmbeddingBlob
{
    public static byte[] ToBytes(ReadOnlySpan<float> vector) => MemoryMarshal.AsBytes(vector).ToArray();

    public static float[] ToVector(byte[] blob) => MemoryMarshal.Cast<byte, float>(blob).ToArray();
}

/// <summary>The most similar stored vector: its position in the index (-1 when empty) and the cosine.</summary>
internal readonly record struct Neighbour(int Index, float Similarity)
{
    public static readonly Neighbour None = new(-1, float.NegativeInfinity);
}

/// <summary>
/// Normalised vectors in contiguous float matrices (cosine = dot for unit vectors), never
/// re-embedded (the authors' script re-embedded the whole pool per candidate). Rows serve
/// pairwise work; a column-major copy serves the candidate check: each non-zero component of
/// the candidate adds one contiguous column to all scores at once, so sparse lexical vectors
/// touch a fraction of the memory a row-by-row scan would.
/// </summary>
internal sealed class SimilarityIndex(int dimensions, int capacity = 64)
{
    float[] matrix = new float[dimensions * Math.Max(1, capacity)];
    int columnCapacity = Math.Max(1, capacity);
    float[] columns = new float[dimensions * Math.Max(1, capacity)];
    readonly List<long> ids = new(capacity);

    public int Dimensions { get; } = dimensions;
    public int Count => ids.Count;
    public IReadOnlyList<long> Ids => ids;

    public ReadOnlySpan<float> Row(int index) => matrix.AsSpan(index * Dimensions, Dimensions);

    public void Add(long id, ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimensions)
            throw new ArgumentException($"Vector has {vector.Length} dimensions; the index has {Dimensions}. Were they made by different embedders?");
        if ((ids.Count + 1) * Dimensions > matrix.Length)
            Array.Resize(ref matrix, matrix.Length * 2);
        vector.CopyTo(matrix.AsSpan(ids.Count * Dimensions, Dimensions));
        if (ids.Count + 1 > columnCapacity)
        {
            var grown = new float[Dimensions * columnCapacity * 2];
            for (var j = 0; j < Dimensions; j++)
                columns.AsSpan(j * columnCapacity, ids.Count).CopyTo(grown.AsSpan(j * columnCapacity * 2));
            columns = grown;
            columnCapacity *= 2;
        }
        for (var j = 0; j < Dimensions; j++)
            columns[j * columnCapacity + ids.Count] = vector[j];
        ids.Add(id);
    }

    /// <summary>The most similar row among the first <paramref name="count"/> rows (all when null), skipping <paramref name="exclude"/>.</summary>
    public Neighbour Nearest(ReadOnlySpan<float> vector, int? count = null, int exclude = -1)
    {
        var n = count ?? ids.Count;
        if (n == 0 || (n == 1 && exclude == 0))
            return Neighbour.None;
        var scores = System.Buffers.ArrayPool<float>.Shared.Rent(n);
        try
        {
            var span = scores.AsSpan(0, n);
            Scores(vector, span);
            if (exclude >= 0 && exclude < n)
                span[exclude] = float.NegativeInfinity;
            var best = TensorPrimitives.IndexOfMax<float>(span);
            return new Neighbour(best, span[best]);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(scores);
        }
    }

    /// <summary>The similarity of the vector to each of the first <c>scores.Length</c> rows.</summary>
    public void Scores(ReadOnlySpan<float> vector, Span<float> scores)
    {
        var n = scores.Length;
        scores.Clear();
        for (var j = 0; j < Dimensions; j++)
            if (vector[j] != 0)
                TensorPrimitives.MultiplyAdd(columns.AsSpan(j * columnCapacity, n), vector[j], scores, scores);
    }

    /// <summary>Every row's nearest other row (the pool's nearest-neighbour similarities).</summary>
    public Neighbour[] NearestNeighbours()
    {
        var result = new Neighbour[Count];
        // One sparse column pass per row beats the symmetric row-by-row loop for lexical vectors.
        for (var i = 0; i < Count; i++)
            result[i] = Nearest(Row(i), exclude: i);
        return result;
    }

    /// <summary>
    /// The incremental filter replayed in row order: for each threshold, how many rows are kept
    /// when a row is kept only if its highest similarity to the rows kept before it is at or below the threshold.
    /// </summary>
    public int[] KeptAtThresholds(IReadOnlyList<double> thresholds)
    {
        var kept = thresholds.Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < Count; i++)
        {
            // Similarities to earlier rows once, shared by every threshold.
            var row = Row(i);
            var previous = new float[i];
            Scores(row, previous);
            for (var t = 0; t < thresholds.Count; t++)
            {
                var max = float.NegativeInfinity;
                foreach (var j in kept[t])
                    max = Math.Max(max, previous[j]);
                if (max <= (float)thresholds[t])
                    kept[t].Add(i);
            }
        }
        return kept.Select(k => k.Count).ToArray();
    }
}
