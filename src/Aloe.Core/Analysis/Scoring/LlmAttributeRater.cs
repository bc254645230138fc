using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Aloe.Core.Llm;
using Aloe.Core.Prompts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Aloe.Core.Analysis.Scoring;

/// <summary>
/// The Attributes LLM role as a scorer: one call per text and attribute at temperature 0, the
/// attribute's definition and calibration examples (prompts/attribute-definitions.md) in
/// prompts/attributes.md, answered with a probability. A garbled answer fails that attribute;
/// the scoring job asks again as a new sample (so the gateway's cache cannot repeat it), then
/// stores the failure with the reason.
/// </summary>
internal sealed partial class LlmAttributeRater(ILlmGateway llm, PromptLibrary prompts, IOptions<ScoringOptions> options) : IAttributeScorer
{
    public const string ScorerId = "llm";

    public string Id => ScorerId;

    /// <summary>Endpoint, model and both prompt hashes: a new model or an edited prompt scores afresh.</summary>
    public string Version
    {
        get
        {
            var binding = Binding();
            return $"{binding.Endpoint}/{binding.Model} {prompts.Get(PromptNames.Attributes).Hash}+{prompts.Get(PromptNames.AttributeDefinitions).Hash}";
        }
    }

    /// <summary>Never a lexical stand-in itself; the scoring service refuses to run it on the Simulated provider.</summary>
    public bool Simulated => false;

    public int Concurrency => options.Value.LlmConcurrency;

    public bool ServedBySimulatedProvider => llm.IsSimulated(LlmRole.Attributes, Binding());

    RoleBinding Binding() => llm.ResolveRoles()[LlmRole.Attributes] with { Temperature = 0 };

    public async Task<IReadOnlyList<AttributeValue>> ScoreAsync(string text, IReadOnlyList<ConstructiveAttribute> attributes, ScorerCall call, CancellationToken cancellationToken)
    {
        var definitions = AttributeDefinitions.Parse(prompts.Get(PromptNames.AttributeDefinitions).Template);
        var template = prompts.Get(PromptNames.Attributes);
        var binding = Binding();
        var values = new List<AttributeValue>(attributes.Count);
        foreach (var attribute in attributes)
        {
            var name = attribute.PerspectiveName().Replace("_EXPERIMENTAL", "");
            var definition = definitions.GetValueOrDefault(name)
                ?? throw new AttributeScorerException($"prompts/{PromptNames.AttributeDefinitions}.md has no section ## {name}.", retryable: false);
            var prompt = template.Render(new Dictionary<string, string>
            {
                ["Attribute"] = name,
                ["Definition"] = definition.Definition,
                ["Examples"] = definition.Examples,
                ["Text"] = text,
            });
            var reply = await llm.CompleteAsync(new LlmRequest(LlmRole.Attributes, [new ChatMessage(ChatRole.User, prompt)])
            {
                RunId = call.RunId,
                SampleIndex = call.Attempt,
                Binding = binding,
            }, cancellationToken);
            values.Add(TryParseProbability(reply.Text, out var p)
                ? new AttributeValue(attribute, p)
                : AttributeValue.Failed(attribute, $"The rater's answer is not a probability from 0 to 1: \"{Shorten(reply.Text)}\""));
        }
        return values;
    }

    /// <summary>"0.7", "0.70.", "Probability: .7" or "1"; anything else is garbled.</summary>
    internal static bool TryParseProbability(string answer, out double probability)
    {
        var match = Probability().Match(answer);
        probability = match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
        return match.Success && probability is >= 0 and <= 1;
    }

    static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";

    [GeneratedRegex(@"^\s*(?:probability\s*[:=]\s*)?(\d*\.?\d+)\s*\.?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Probability();
}

/// <summary>The "## NAME" sections of prompts/attribute-definitions.md: a definition line and "- p | text" calibration examples.</summary>
internal static class AttributeDefinitions
{
    public sealed record Entry(string Definition, string Examples);

    public static IReadOnlyDictionary<string, Entry> Parse(string template)
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var section in template.Split("\n## ").Select(s => s.TrimStart('#', ' ')))
        {
            var lines = section.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length < 2)
                continue;
            var definition = lines.FirstOrDefault(l => l.StartsWith("Definition:", StringComparison.Ordinal))?["Definition:".Length..].Trim();
            var examples = new StringBuilder();
            foreach (var line in lines.Where(l => l.StartsWith("- ", StringComparison.Ordinal)))
            {
                var parts = line[2..].Split('|', 2, StringSplitOptions.TrimEntries);
                if (parts.Length == 2)
                    examples.Append(CultureInfo.InvariantCulture, $"- \"{parts[1]}\" -> {parts[0]}\n");
            }
            if (definition is not null)
                entries[lines[0]] = new Entry(definition, examples.ToString().TrimEnd());
        }
        return entries;
    }
}
