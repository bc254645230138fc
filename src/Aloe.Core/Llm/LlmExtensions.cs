using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aloe.Core.Llm;

public static class LlmExtensions
{
    /// <summary>The LLM gateway (<see cref="ILlmGateway"/>) with its providers, cache, call log and statistics, configured from the "Llm" section.</summary>
    public static IHostApplicationBuilder AddLlm(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>();
        builder.Services.AddLlmCallLog();
        builder.Services.AddSingleton<LlmGateway>();
        builder.Services.AddSingleton<ILlmGateway>(sp => sp.GetRequiredService<LlmGateway>());
        return builder;
    }

    /// <summary>
    /// The database side of the gateway (response cache, call log, statistics), which needs no
    /// model: features that report their runs' calls (dialogues) add it without the gateway.
    /// </summary>
    public static IServiceCollection AddLlmCallLog(this IServiceCollection services)
    {
        services.TryAddSingleton<LlmCacheStore>();
        services.TryAddSingleton<LlmCallLog>();
        services.TryAddSingleton<LlmStatsService>();
        services.TryAddSingleton<LlmBudgetService>();
        services.TryAddSingleton<LlmCostForecaster>();
        return services;
    }
}
