using Aloe.Core.Jobs;
using Aloe.Web.Shared;
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
    const int CompactSize = 5;

    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder app)
    {
        var fragments = app.MapGroup("/jobs");
        fragments.MapGet("/table", Table);
        var actions = fragments.MapGroup("").RequireAntiforgeryToken();
        actions.MapPost("/{id:long}/cancel", Cancel);
        actions.MapPost("/{id:long}/retry", Retry);
        actions.MapPost("/maintenance", StartMaintenance);

        var api = app.MapGroup("/api/jobs");
        api.MapGet("/", List);
        api.MapGet("/{id:long}", Get);
        return app;
    }

    static async Task<RazorComponentResult<JobsTable>> Table(JobService jobs, int? page, bool? compact)
    {
        var isCompact = compact ?? false;
        var runs = await jobs.ListAsync(page ?? 1, isCompact ? CompactSize : 25);
        return new RazorComponentResult<JobsTable>(new { RunPage = runs, Compact = isCompact });
    }

    // An unknown run is a 404 with a message, not the table as if something had happened.
    static async Task<Results<RazorComponentResult<JobsTable>, ProblemHttpResult>> Cancel(JobService jobs, long id, bool? compact)
    {
        if (await jobs.GetAsync(id) is null)
            return UnknownRun(id);
        await jobs.CancelAsync(id);
        return await Table(jobs, 1, compact);
    }

    static async Task<Results<RazorComponentResult<JobsTable>, ProblemHttpResult>> Retry(JobService jobs, long id, bool? compact)
    {
        if (await jobs.GetAsync(id) is null)
            return UnknownRun(id);
        await jobs.RetryAsync(id);
        return await Table(jobs, 1, compact);
    }

    static ProblemHttpResult UnknownRun(long id) =>
        TypedResults.Problem($"Job run {id} does not exist.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    static async Task<RazorComponentResult<JobsTable>> StartMaintenance(JobService jobs, bool? compact, int? stepDelayMs)
    {
        await jobs.EnqueueAsync(DatabaseMaintenanceJob.JobKind, "Database maintenance",
            new DatabaseMaintenanceJob.Options { StepDelayMs = Math.Clamp(stepDelayMs ?? 0, 0, 5000) });
        return await Table(jobs, 1, compact);
    }

    static async Task<Ok<IReadOnlyList<JobRunView>>> List(JobService jobs, int? page, int? pageSize)
    {
        var runs = await jobs.ListAsync(page ?? 1, pageSize ?? 50);
        return TypedResults.Ok<IReadOnlyList<JobRunView>>(runs.Runs.Select(JobRunView.From).ToList());
    }

    static async Task<Results<Ok<JobRunView>, NotFound>> Get(JobService jobs, long id) =>
        await jobs.GetAsync(id) is { } run ? TypedResults.Ok(JobRunView.From(run)) : TypedResults.NotFound();
}
