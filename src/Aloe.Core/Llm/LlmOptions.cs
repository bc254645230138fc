using System.ComponentModel.DataAnnotations;

namespace Aloe.Core.Llm;

/// <summary>The "Llm" section of appsettings.json: named endpoints, the role map and the embedder.</summary>
public sealed class LlmOptions
{
    public const string Section = "Llm";

    /// <summary>Endpoints by name; roles refer to them by that name.</summary>
    public Dictionary<string, LlmEndpointOptions> Endpoints { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Role name (e.g. "Judge") to its binding. Roles left out fall back to the simulated defaults.</summary>
    public Dictionary<string, RoleBindingOptions> Roles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>An OpenAI-compatible /v1/embeddings endpoint; when null the built-in lexical embedder is used.</summary>
    public EmbeddingsOptions? Embeddings { get; set; }

    /// <summary>How often a failed call (429, 5xx, timeout) is retried before the gateway gives up.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>First backoff delay; doubles on each retry, with jitter.</summary>
    [Range(0, 60_000)]
    public int RetryBaseDelayMs { get; set; } = 500;

    /// <summary>Entries of the in-memory layer in front of the database cache.</summary>
    [Range(0, 10_000_000)]
    public int MemoryCacheEntries { get; set; } = 50_000;

    public const string SimulatedEndpoint = "simulated";

    /// <summary>max_new_tokens of the model under test in the authors' evaluation/eval_own.py.</summary>
    public const int EvaluatedMaxTokens = 2048;

    /// <summary>
    /// Default bindings, all on the simulated endpoint. Max tokens follow the authors' released code
    /// (github.com/ShujinWu-0814/ALOE): 300 for every GPT role (data_generation.py, eval_own.py) and
    /// 2,048 new tokens for the evaluated model (eval_own.py), since 300 cuts real answers. The paper
    /// gives no temperatures and the authors' code leaves the API default: these temperatures are
    /// ALOE Studio's choice (some spread for writers, 0 for the roles that classify or score).
    /// </summary>
    public static RoleBinding DefaultBinding(LlmRole role) => role switch
    {
        LlmRole.Generator => new(SimulatedEndpoint, "sim-writer", 0.8f, 4000),
        LlmRole.RolePlay => new(SimulatedEndpoint, "sim-persona", 0.7f, 300),
        LlmRole.Induction => new(SimulatedEndpoint, "sim-persona", 0f, 300),
        LlmRole.Preferred => new(SimulatedEndpoint, "sim-persona", 0.7f, 300),
        LlmRole.Rejected => new(SimulatedEndpoint, "sim-generic", 0.7f, 300),
        LlmRole.Verifier => new(SimulatedEndpoint, "sim-persona", 0f, 10),
        LlmRole.Judge => new(SimulatedEndpoint, "sim-persona", 0f, 300),
        LlmRole.Evaluated => new(SimulatedEndpoint, "sim-adaptive", 0.7f, EvaluatedMaxTokens),
        LlmRole.Attributes => new(SimulatedEndpoint, "sim-persona", 0f, 300),
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };
}

[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<LlmEndpointType>))]
public enum LlmEndpointType { Simulated, OpenAI, Azure }

public sealed class LlmEndpointOptions
{
    public LlmEndpointType Type { get; set; } = LlmEndpointType.Simulated;

    /// <summary>OpenAI-compatible base URL ending in /v1 (api.openai.com/v1, an Azure resource's /openai/v1/, vLLM, Ollama, llama.cpp, LM Studio); for an azure endpoint the resource's URL (https://NAME.openai.azure.com/).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Name of the environment variable that holds the key; the key itself is never configured, shown or logged.</summary>
    public string? ApiKeyEnv { get; set; }

    /// <summary>Azure endpoints: the deployment every call goes to; when empty, the role's model names the deployment.</summary>
    public string? Deployment { get; set; }

    /// <summary>Azure endpoints: the api-version (e.g. 2024-10-21, 2025-04-01-preview); empty takes the SDK's default.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>Azure endpoints: sign in with Microsoft Entra ID (DefaultAzureCredential: managed identity, Azure CLI, environment) instead of a key.</summary>
    public bool UseEntraId { get; set; }

    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 8;

    [Range(1, 3600)]
    public int TimeoutSeconds { get; set; } = 120;

    /// <summary>Simulated endpoints: the seed mixed into every reply (same seed + same request gives the same text).</summary>
    public int Seed { get; set; }

    /// <summary>US dollars per million tokens, by model name.</summary>
    public Dictionary<string, ModelPrice> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class ModelPrice
{
    public double InputPerMillion { get; set; }
    public double OutputPerMillion { get; set; }
}

public sealed class RoleBindingOptions
{
    [Required]
    public string Endpoint { get; set; } = LlmOptions.SimulatedEndpoint;

    [Required]
    public string Model { get; set; } = "";

    [Range(0, 2)]
    public float Temperature { get; set; } = 0.7f;

    [Range(1, 128_000)]
    public int MaxTokens { get; set; } = 300;
}

public sealed class EmbeddingsOptions
{
    /// <summary>Name of an openai-type endpoint in <see cref="LlmOptions.Endpoints"/>.</summary>
    [Required]
    public string Endpoint { get; set; } = "";

    [Required]
    public string Model { get; set; } = "";

    /// <summary>Texts per request.</summary>
    [Range(1, 2048)]
    public int BatchSize { get; set; } = 64;
}
