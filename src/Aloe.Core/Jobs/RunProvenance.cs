using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using Aloe.Core.Llm;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Aloe.Core.Jobs;

/// <summary>One role's model as a run used it: the binding (endpoint, model, sampling) and whether the Simulated provider served it.</summary>
public sealed record RoleProvenance(string Endpoint, string Model, float Temperature, int MaxTokens, bool Simulated = false)
{
    public static RoleProvenance Of(RoleBinding binding, bool simulated) =>
        new(binding.Endpoint, binding.Model, binding.Temperature, binding.MaxTokens, simulated);

    public RoleBinding ToBinding() => new(Endpoint, Model, Temperature, MaxTokens);
}

/// <summary>
/// What produced a run (inspect_ai's EvalSpec; DESIGN.md, "Runs, resumption and provenance"), one
/// shape for persona generation, dialogue and benchmark runs: the role -> model map with its
/// settings, prompt name -> template hash, the run's seed, the embedder (where one is used) and the
/// version of the app that started it. Written once, with the run, in the transaction that creates
/// its job; stored in the run's own table (columns of the same names in each).
/// </summary>
public sealed class RunProvenance
{
    /// <summary>Role name (<see cref="LlmRole"/>) -> the model it used.</summary>
    public Dictionary<string, RoleProvenance> Roles { get; set; } = [];
    /// <summary>Prompt name -> first 12 hex digits of its template's SHA-256.</summary>
    public Dictionary<string, string> PromptHashes { get; set; } = [];
    public int Seed { get; set; }
    public string? EmbedderId { get; set; }
    /// <summary>The app's informational version (with its commit); null on runs made before it was recorded.</summary>
    public string? AppVersion { get; set; }

    /// <summary>The version of this build, as recorded on the runs it starts (e.g. "0.1.0+c2ecea35...").</summary>
    public static string CurrentAppVersion { get; } =
        typeof(RunProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(RunProvenance).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The record of a run starting now with this build: the given roles as the gateway serves them.</summary>
    public static RunProvenance Create(ILlmGateway llm, IEnumerable<KeyValuePair<LlmRole, RoleBinding>> roles, IEnumerable<KeyValuePair<string, string>> promptHashes,
        int seed, string? embedderId = null) => new()
    {
        Roles = roles.ToDictionary(r => r.Key.ToString(), r => RoleProvenance.Of(r.Value, llm.IsSimulated(r.Key, r.Value))),
        PromptHashes = promptHashes.ToDictionary(),
        Seed = seed,
        EmbedderId = embedderId,
        AppVersion = CurrentAppVersion,
    };

    /// <summary>The stored role map as bindings by role, for a job that calls the same models again.</summary>
    public Dictionary<LlmRole, RoleBinding> Bindings() =>
        Roles.Where(r => Enum.TryParse<LlmRole>(r.Key, out _)).ToDictionary(r => Enum.Parse<LlmRole>(r.Key), r => r.Value.ToBinding());

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>Maps a run's <see cref="RunProvenance"/> to the same columns in every run table.</summary>
internal static class RunProvenanceMapping
{
    /// <param name="embedderRequired">For runs that always filter with an embedder (generation runs): the column stays NOT NULL.</param>
    public static void OwnsProvenance<TRun>(this EntityTypeBuilder<TRun> builder, Expression<Func<TRun, RunProvenance?>> provenance, bool embedderRequired = false) where TRun : class
    {
        builder.OwnsOne(provenance, p =>
        {
            p.Property(x => x.Roles).HasColumnName("RolesJson").IsRequired().HasConversion(JsonConverter<Dictionary<string, RoleProvenance>>(), JsonComparer<Dictionary<string, RoleProvenance>>());
            p.Property(x => x.PromptHashes).HasColumnName("PromptHashesJson").IsRequired().HasConversion(JsonConverter<Dictionary<string, string>>(), JsonComparer<Dictionary<string, string>>());
            p.Property(x => x.Seed).HasColumnName("Seed");
            p.Property(x => x.EmbedderId).HasColumnName("EmbedderId").HasMaxLength(128).IsRequired(embedderRequired);
            p.Property(x => x.AppVersion).HasColumnName("AppVersion").HasMaxLength(128);
        });
        builder.Navigation(provenance).IsRequired();
    }

    static ValueConverter<T, string> JsonConverter<T>() where T : new() =>
        new(v => JsonSerializer.Serialize(v, RunProvenance.Json), s => Read<T>(s));

    /// <summary>A record that is not a JSON object (hand-made, or damaged) reads as empty rather than breaking every query of its table.</summary>
    static T Read<T>(string json) where T : new()
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, RunProvenance.Json) ?? new T();
        }
        catch (JsonException)
        {
            return new T();
        }
    }

    static ValueComparer<T> JsonComparer<T>() where T : new() =>
        new((a, b) => JsonSerializer.Serialize(a, RunProvenance.Json) == JsonSerializer.Serialize(b, RunProvenance.Json),
            v => JsonSerializer.Serialize(v, RunProvenance.Json).GetHashCode(StringComparison.Ordinal),
            v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, RunProvenance.Json), RunProvenance.Json) ?? new T());
}
