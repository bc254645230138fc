using Microsoft.Extensions.DependencyInjection;
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
        builder.Services.AddSingleton<LlmCacheStore>();
        builder.Services.AddSingleton<LlmCallLog>();
        builder.Services.AddSingleton<LlmGateway>();
        builder.Services.AddSingleton<ILlmGateway>(sp => sp.GetRequiredService<LlmGateway>());
        builder.Services.AddSingleton<LlmStatsService>();
        return builder;
    }
}
