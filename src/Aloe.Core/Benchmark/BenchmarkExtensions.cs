using Aloe.Core.Conversations;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Aloe.Core.Benchmark;

public static class BenchmarkExtensions
{
    /// <summary>Benchmark runs, re-judging, reports; evaluation cases from the persona pools unless another <see cref="IBenchmarkCaseSource"/> is registered.</summary>
    public static IHostApplicationBuilder AddBenchmark(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BenchmarkOptions>().BindConfiguration(BenchmarkOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<RolePlayUser>();
        builder.Services.TryAddSingleton<IBenchmarkCaseSource, PersonaPoolCaseSource>();
        builder.Services.AddSingleton<BenchmarkConversation>();
        builder.Services.AddSingleton<BenchmarkJudge>();
        builder.Services.AddSingleton<BenchmarkService>();
        builder.Services.AddSingleton<BenchmarkForecast>();
        builder.Services.AddLlmCallLog();
        builder.Services.AddSingleton<BenchmarkReports>();
        builder.Services.AddSingleton<BenchmarkRemoval>();
        builder.Services.AddSingleton<IJobHandler, BenchmarkRunJob>();
        builder.Services.AddSingleton<IJobHandler, BenchmarkJudgeJob>();
        return builder;
    }
}
