using Aloe.Core.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aloe.Web.Jobs;

public sealed record JobRunView(long Id, string Kind, string Title, string Status, int Done, int Total, double Percent,
    string? Message, string? Error, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public static JobRunView From(JobRun r) =>
        new(r.Id, r.Kind, r.Title, r.Status.ToString(), r.Done, r.Total, Math.Round(r.Percent, 1), r.Message, r.Error, r.Attempts, r.CreatedAt, r.StartedAt, r.FinishedAt);
}

public static class JobsEndpoints
{
    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/jobs");
        api.MapGet("/", List);
        api.MapGet("/{id:long}", Get);
        api.MapPost("/{id:long}/cancel", Cancel);
        api.MapPost("/{id:long}/retry", Retry);
        return app;
    }

    static async Task<Ok<IReadOnlyList<JobRunView>>> List(JobService jobs, int? page, int? pageSize)
    {
        var runs = await jobs.ListAsync(page ?? 1, pageSize ?? 50);
        return TypedResults.Ok<IReadOnlyList<JobRunView>>(runs.Runs.Select(JobRunView.From).ToList());
    }

    static async Task<Results<Ok<JobRunView>, NotFound>> Get(JobService jobs, long id) =>
        await jobs.GetAsync(id) is { } run ? TypedResults.Ok(JobRunView.From(run)) : TypedResults.NotFound();

    // An unknown run is a 404 problem, not a success as if something had happened.
    static async Task<Results<Ok<JobRunView>, ProblemHttpResult>> Cancel(JobService jobs, long id)
    {
        if (await jobs.GetAsync(id) is null)
            return UnknownRun(id);
        await jobs.CancelAsync(id);
        return TypedResults.Ok(JobRunView.From((await jobs.GetAsync(id))!));
    }

    static async Task<Results<Ok<JobRunView>, ProblemHttpResult>> Retry(JobService jobs, long id)
    {
        if (await jobs.GetAsync(id) is null)
            return UnknownRun(id);
        await jobs.RetryAsync(id);
        return TypedResults.Ok(JobRunView.From((await jobs.GetAsync(id))!));
    }

    static ProblemHttpResult UnknownRun(long id) =>
        TypedResults.Problem($"Job run {id} does not exist.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
