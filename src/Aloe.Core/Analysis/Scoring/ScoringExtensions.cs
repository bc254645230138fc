using Aloe.Core.Analysis.Prism;
using Aloe.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aloe.Core.Analysis.Scoring;

public static class ScoringExtensions
{
    /// <summary>Attribute scorers, text sources, the scoring job, the PRISM import and the scored table.</summary>
    public static IHostApplicationBuilder AddAnalysisScoring(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ScoringOptions>().BindConfiguration(ScoringOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IScoringTextSource, DialogueTextSource>();
        builder.Services.AddSingleton<IScoringTextSource, BenchmarkTextSource>();
        builder.Services.AddSingleton<IScoringTextSource, PrismTextSource>();
        builder.Services.AddSingleton<IScoringTextSource, AnnotationTextSource>();
        builder.Services.AddSingleton<IAttributeScorer, SimulatedAttributeScorer>();
        builder.Services.AddSingleton<IAttributeScorer, PerspectiveScorer>();
        builder.Services.AddSingleton<IAttributeScorer, LlmAttributeRater>();
        builder.Services.AddSingleton<IJobHandler, AttributeScoringJob>();
        builder.Services.AddSingleton<AttributeScoringService>();
        builder.Services.AddSingleton<PrismImporter>();
        builder.Services.AddSingleton<ScoreCsvImporter>();
        builder.Services.AddSingleton<ScoredTableService>();
        return builder;
    }
}
