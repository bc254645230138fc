using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;

namespace Aloe.Core.Llm;

/// <summary>The cache key: SHA-256 over everything that determines a response. Length-prefixed fields, so no two requests share a canonical form.</summary>
internal static class LlmRequestKey
{
    public static string Compute(string endpointIdentity, RoleBinding binding, IReadOnlyList<ChatMessage> messages, int sampleIndex)
    {
        var text = new StringBuilder(256 + messages.Sum(m => m.Text.Length + 16));
        Field(text, endpointIdentity);
        Field(text, binding.Model);
        Field(text, binding.Temperature.ToString("R", CultureInfo.InvariantCulture));
        Field(text, binding.MaxTokens.ToString(CultureInfo.InvariantCulture));
        Field(text, sampleIndex.ToString(CultureInfo.InvariantCulture));
        foreach (var message in messages)
        {
            Field(text, message.Role.Value);
            Field(text, message.Text);
        }
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    static void Field(StringBuilder text, string value) => text.Append(value.Length).Append(':').Append(value).Append('|');
}
