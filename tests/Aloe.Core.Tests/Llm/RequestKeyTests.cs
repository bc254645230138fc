using System.Security.Cryptography;
using System.Text;
using Aloe.Core.Llm;
using Microsoft.Extensions.AI;

namespace Aloe.Core.Tests.Llm;

public sealed class RequestKeyTests
{
    static readonly RoleBinding Binding = new("fake", "gpt-test", 0.7f, 300);

    [Fact]
    public void TheKeyIsTheSha256OfTheLengthPrefixedFieldsSoStoredCacheEntriesStillMatch()
    {
        var messages = new List<ChatMessage> { new(ChatRole.User, "Grüße aus Köln 👋"), new(ChatRole.Assistant, "Hallo!\nWie geht's?") };

        // Lengths count UTF-16 code units (the emoji is two), as the keys stored so far were made.
        var canonical = "10:fake|x|y|z|8:gpt-test|3:0.7|3:300|1:2|4:user|17:Grüße aus Köln 👋|9:assistant|18:Hallo!\nWie geht's?|";
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

        Assert.Equal(expected, LlmRequestKey.Compute("fake|x|y|z", Binding, messages, 2));
    }

    [Fact]
    public void AnyFieldChangesTheKey()
    {
        List<ChatMessage> Messages(string text) => [new(ChatRole.User, text)];
        var key = LlmRequestKey.Compute("e", Binding, Messages("hello"), 0);

        Assert.NotEqual(key, LlmRequestKey.Compute("e", Binding, Messages("hello"), 1));
        Assert.NotEqual(key, LlmRequestKey.Compute("e", Binding with { Model = "other" }, Messages("hello"), 0));
        Assert.NotEqual(key, LlmRequestKey.Compute("e", Binding, Messages("hello!"), 0));
        Assert.NotEqual(key, LlmRequestKey.Compute("e", Binding, [new(ChatRole.Assistant, "hello")], 0));
        // Length prefixes: moving text between fields never yields the same canonical form.
        Assert.NotEqual(LlmRequestKey.Compute("e", Binding, [new(ChatRole.User, "a|b"), new(ChatRole.User, "c")], 0),
            LlmRequestKey.Compute("e", Binding, [new(ChatRole.User, "a"), new(ChatRole.User, "b|c")], 0));
    }
}
