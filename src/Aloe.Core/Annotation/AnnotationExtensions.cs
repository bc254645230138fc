using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aloe.Core.Annotation;

public static class AnnotationExtensions
{
    /// <summary>Human annotation campaigns, ratings and their agreement report (paper, section 5.4).</summary>
    public static IHostApplicationBuilder AddAnnotation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AnnotationService>();
        builder.Services.AddSingleton<AnnotationReports>();
        builder.Services.AddSingleton<AnnotationInvites>();
        return builder;
    }
}
