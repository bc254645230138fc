using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;

namespace Aloe.Core.Llm;

/// <summary>
/// The cache key: SHA-256 over everything that determines a response, as "length:value|" fields
/// in UTF-8, so no two requests share a canonical form. The fields are hashed as they are encoded:
/// a ten-turn conversation is never copied into one string first (it was a third of the strings
/// a dialogue build allocated).
/// </summary>
internal static class LlmRequestKey
{
    /// <param name="seed">The run's sample seed; unseeded requests hash as they always did, so stored entries still match.</param>
    public static string Compute(string endpointIdentity, RoleBinding binding, IReadOnlyList<ChatMessage> messages, int sampleIndex, int? seed = null)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Field(hash, endpointIdentity);
        Field(hash, binding.Model);
        Field(hash, binding.Temperature.ToString("R", CultureInfo.InvariantCulture));
        Field(hash, binding.MaxTokens.ToString(CultureInfo.InvariantCulture));
        Field(hash, sampleIndex.ToString(CultureInfo.InvariantCulture));
        if (seed is { } s)
            Field(hash, "seed=" + s.ToString(CultureInfo.InvariantCulture));
        foreach (var message in messages)
        {
            Field(hash, message.Role.Value);
            Field(hash, message.Text);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    static void Field(IncrementalHash hash, string value)
    {
        Append(hash, $"{value.Length.ToString(CultureInfo.InvariantCulture)}:");
        Append(hash, value);
        Append(hash, "|");
    }

    static void Append(IncrementalHash hash, string text)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            hash.AppendData(buffer, 0, Encoding.UTF8.GetBytes(text, buffer));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
