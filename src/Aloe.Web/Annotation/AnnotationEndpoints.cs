using System.Text;
using Aloe.Core.Annotation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aloe.Web.Annotation;

/// <summary>Campaigns, their report and their ratings in long format (the same records `aloe annotation` prints).</summary>
public static class AnnotationEndpoints
{
    public static IEndpointRouteBuilder MapAnnotation(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/annotation");
        api.MapGet("/campaigns", List);
        api.MapGet("/campaigns/{id:long}/report", Report);
        api.MapGet("/campaigns/{id:long}/ratings.csv", RatingsCsv);
        return app;
    }

    static async Task<Ok<IReadOnlyList<AnnotationCampaignRow>>> List(AnnotationService annotation) => TypedResults.Ok(await annotation.ListAsync());

    static async Task<Results<Ok<AnnotationReport>, NotFound>> Report(AnnotationReports reports, long id, int? resamples)
    {
        try
        {
            return TypedResults.Ok(await reports.ReportAsync(id, Math.Clamp(resamples ?? Agreement.DefaultResamples, 0, 10_000)));
        }
        catch (KeyNotFoundException)
        {
            return TypedResults.NotFound();
        }
    }

    static async Task<Results<FileContentHttpResult, NotFound>> RatingsCsv(AnnotationService annotation, long id)
    {
        var csv = new StringWriter();
        try
        {
            await annotation.ExportAsync(id, csv);
        }
        catch (KeyNotFoundException)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"annotation-{id}-ratings.csv");
    }
}
