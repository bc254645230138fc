using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aloe.Core.Prompts;

/// <summary>A prompt template from prompts/NAME.md with its {Named} placeholders.</summary>
public sealed partial record Prompt(string Name, string Template)
{
    /// <summary>First 12 hex digits of the SHA-256 of the template: recorded on runs.</summary>
    public string Hash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Template)))[..12];

    public IReadOnlyList<string> Placeholders { get; } = PlaceholderPattern().Matches(Template).Select(m => m.Groups[1].Value).Distinct().ToList();

    /// <summary>Fills every placeholder; a missing or unknown value is an error, never a silent gap.</summary>
    public string Render(IReadOnlyDictionary<string, string> values)
    {
        var missing = Placeholders.Where(p => !values.ContainsKey(p)).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"Prompt '{Name}' needs {string.Join(", ", missing.Select(m => "{" + m + "}"))}.");
        var unknown = values.Keys.Where(k => !Placeholders.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"Prompt '{Name}' has no placeholder {string.Join(", ", unknown.Select(u => "{" + u + "}"))}.");
        // One pass, so a value that itself contains "{X}" is never substituted again.
        return PlaceholderPattern().Replace(Template, m => values[m.Groups[1].Value]);
    }

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9]*)\}")]
    private static partial Regex PlaceholderPattern();
}

/// <summary>Loads prompt templates from the prompts/ folder; a leading &lt;!-- --&gt; header (source, placeholders) is not part of the prompt.</summary>
public sealed partial class PromptLibrary(string directory)
{
    readonly Dictionary<string, Prompt> cache = new(StringComparer.Ordinal);
    readonly Lock gate = new();

    public string Directory { get; } = directory;

    public Prompt Get(string name)
    {
        lock (gate)
        {
            if (cache.TryGetValue(name, out var cached))
                return cached;
            var path = Path.Combine(Directory, name + ".md");
            if (!File.Exists(path))
                throw new FileNotFoundException($"Prompt '{name}' not found at {path}.", path);
            var prompt = new Prompt(name, Parse(File.ReadAllText(path)));
            cache[name] = prompt;
            return prompt;
        }
    }

    public IReadOnlyList<string> Names() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, "*.md").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order().ToList()
            : [];

    internal static string Parse(string text)
    {
        text = text.Replace("\r\n", "\n");
        var header = HeaderPattern().Match(text);
        if (header.Success)
            text = text[header.Length..];
        return text.Trim();
    }

    [GeneratedRegex(@"^\s*<!--.*?-->\s*", RegexOptions.Singleline)]
    private static partial Regex HeaderPattern();
}

public static class PromptsExtensions
{
    /// <summary>Prompt templates from the prompts/ folder under the content root (the Aloe root).</summary>
    public static IHostApplicationBuilder AddPrompts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(new PromptLibrary(Path.Combine(builder.Environment.ContentRootPath, "prompts")));
        return builder;
    }
}
