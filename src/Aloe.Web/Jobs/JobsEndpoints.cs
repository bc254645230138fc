using Aloe.Core.Audit;
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
        api.MapPost("/maintenance", StartMaintenance);
        api.MapPost("/{id:long}/cancel", Cancel);
        api.MapPost("/{id:long}/retry", Retry);
        // The audit list (Activity on the Jobs page): JSON, and CSV for the page's export link.
        app.MapGet("/api/audit", ListAudit);
        app.MapGet("/api/audit.csv", ExportAudit);
        return app;
    }

    static async Task<Ok<IReadOnlyList<AuditRow>>> ListAudit(AuditLog audit, string? user, string? action, int? limit) =>
        TypedResults.Ok(await audit.ListAsync(new AuditFilter(user, action), limit ?? 1000));

    static async Task ExportAudit(HttpContext context, AuditLog audit, string? user, string? action)
    {
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = "attachment; filename=aloe-activity.csv";
        await using var writer = new StreamWriter(context.Response.Body, new System.Text.UTF8Encoding(false));
        await audit.WriteCsvAsync(new AuditFilter(user, action), writer, context.RequestAborted);
    }

    static async Task<Ok<IReadOnlyList<JobRunView>>> List(JobService jobs, int? page, int? pageSize)
    {
        var runs = await jobs.ListAsync(page ?? 1, pageSize ?? 50);
        return TypedResults.Ok<IReadOnlyList<JobRunView>>(runs.Runs.Select(JobRunView.From).ToList());
    }

    static async Task<Ok<JobRunView>> StartMaintenance(JobService jobs, JobWatcher watcher, int? stepDelayMs)
    {
        var run = await jobs.EnqueueAsync(DatabaseMaintenanceJob.JobKind, "Database maintenance",
            new DatabaseMaintenanceJob.Options { StepDelayMs = Math.Clamp(stepDelayMs ?? 0, 0, 5000) });
        watcher.Nudge();
        return TypedResults.Ok(JobRunView.From(run));
    }

    static async Task<Results<Ok<JobRunView>, NotFound>> Get(JobService jobs, long id) =>
        await jobs.GetAsync(id) is { } run ? TypedResults.Ok(JobRunView.From(run)) : TypedResults.NotFound();

    // An unknown run is a 404 problem, not a success as if something had happened; one that cannot
    // be cancelled or retried in its state is a conflict.
    static async Task<Results<NoContent, Conflict, ProblemHttpResult>> Cancel(JobService jobs, JobWatcher watcher, long id)
    {
        if (await jobs.GetAsync(id) is null)
            return UnknownRun(id);
        if (!await jobs.CancelAsync(id))
            return TypedResults.Conflict();
        watcher.Nudge();
        return TypedResults.NoContent();
    }

    static async Task<Results<NoContent, Conflict, ProblemHttpResult>> Retry(JobService jobs, JobWatcher watcher, long id)
    {
        if (await jobs.GetAsync(id) is null)
            return UnknownRun(id);
        if (!await jobs.RetryAsync(id))
            return TypedResults.Conflict();
        watcher.Nudge();
        return TypedResults.NoContent();
    }

    static ProblemHttpResult UnknownRun(long id) =>
        TypedResults.Problem($"Job run {id} does not exist.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
