using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Aloe.Core.Llm;

/// <summary>
/// Checks what data annotations cannot reach (dictionary values, cross references), so a typo in
/// the Llm section stops start-up with a message naming the setting instead of failing a run later.
/// </summary>
internal sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        var errors = new List<string>();
        var endpoints = new Dictionary<string, LlmEndpointOptions>(options.Endpoints, StringComparer.OrdinalIgnoreCase);
        endpoints.TryAdd(LlmOptions.SimulatedEndpoint, new LlmEndpointOptions());
        foreach (var (endpointName, endpoint) in options.Endpoints)
        {
            Annotations(endpoint, $"Llm:Endpoints:{endpointName}", errors);
            if (endpoint.Type == LlmEndpointType.OpenAI && !Uri.TryCreate(endpoint.BaseUrl, UriKind.Absolute, out _))
                errors.Add($"Llm:Endpoints:{endpointName}:BaseUrl must be an absolute URL (e.g. https://api.openai.com/v1/) for an openai endpoint.");
            if (endpoint.Type == LlmEndpointType.Azure)
            {
                if (!Uri.TryCreate(endpoint.BaseUrl, UriKind.Absolute, out _))
                    errors.Add($"Llm:Endpoints:{endpointName}:BaseUrl must be the resource's URL (e.g. https://NAME.openai.azure.com/) for an azure endpoint.");
                if (!endpoint.UseEntraId && string.IsNullOrEmpty(endpoint.ApiKeyEnv))
                    errors.Add($"Llm:Endpoints:{endpointName} needs ApiKeyEnv (the variable holding the key) or UseEntraId: true.");
                if (endpoint.ApiVersion is { Length: > 0 } version && !LlmProviders.IsKnownAzureApiVersion(version))
                    errors.Add($"Llm:Endpoints:{endpointName}:ApiVersion '{version}' is not one the Azure SDK knows ({string.Join(", ", LlmProviders.AzureApiVersions)}).");
            }
        }
        foreach (var (roleName, binding) in options.Roles)
        {
            if (!Enum.TryParse<LlmRole>(roleName, ignoreCase: true, out _))
                errors.Add($"Llm:Roles:{roleName} is not a role; roles are {string.Join(", ", Enum.GetNames<LlmRole>())}.");
            Annotations(binding, $"Llm:Roles:{roleName}", errors);
            if (!endpoints.ContainsKey(binding.Endpoint))
                errors.Add($"Llm:Roles:{roleName}:Endpoint '{binding.Endpoint}' is not in Llm:Endpoints ({string.Join(", ", endpoints.Keys)}).");
        }
        if (options.Embeddings is { } embeddings)
        {
            Annotations(embeddings, "Llm:Embeddings", errors);
            if (!endpoints.TryGetValue(embeddings.Endpoint, out var e) || e.Type == LlmEndpointType.Simulated)
                errors.Add($"Llm:Embeddings:Endpoint '{embeddings.Endpoint}' must name an openai or azure endpoint in Llm:Endpoints.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    static void Annotations(object value, string path, List<string> errors)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
            errors.AddRange(results.Select(r => $"{path}: {r.ErrorMessage}"));
    }
}
