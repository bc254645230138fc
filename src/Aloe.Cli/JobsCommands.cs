using System.CommandLine;
using Aloe.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aloe.Cli;

internal static class JobsCommands
{
    public static Command Create(IServiceProvider services)
    {
        var json = CliOutput.JsonOption();
        var page = new Option<int>("--page") { Description = "Page of 50 runs, newest first", DefaultValueFactory = _ => 1 };
        var status = new Option<JobStatus?>("--status") { Description = "Only runs with this status" };
        var list = new Command("list", "List background runs (shared with the web app)") { json, page, status };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var runs = await services.GetRequiredService<JobService>().ListAsync(parse.GetValue(page), 50, parse.GetValue(status), cancellationToken: cancellationToken);
            if (parse.GetValue(json))
            {
                CliOutput.WriteJson(Console.Out, runs.Runs.Select(r => new
                {
                    r.Id, r.Kind, r.Title, r.Status, r.Done, r.Total, Percent = Math.Round(r.Percent, 1), r.Message, r.Error, r.Attempts, r.CreatedAt, r.StartedAt, r.FinishedAt,
                }));
                return;
            }
            if (runs.Total == 0)
            {
                Console.WriteLine("No runs yet.");
                return;
            }
            CliOutput.WriteTable(Console.Out, ["ID", "KIND", "STATUS", "PROGRESS", "TITLE"],
                runs.Runs.Select(r => (IReadOnlyList<string>)[r.Id.ToString(), r.Kind, r.Status.ToString(), $"{r.Done}/{r.Total}", r.Title]));
            if (runs.PageCount > 1)
                Console.WriteLine($"Page {runs.Page} of {runs.PageCount}.");
        });

        var id = new Argument<long>("run") { Description = "Run id" };
        var cancel = new Command("cancel", "Cancel a queued or running run") { id };
        cancel.SetAction(async (parse, cancellationToken) =>
        {
            var ok = await services.GetRequiredService<JobService>().CancelAsync(parse.GetValue(id), cancellationToken);
            Console.WriteLine(ok ? "Cancellation requested." : "That run is not queued or running.");
            return ok ? 0 : 1;
        });

        return new Command("jobs", "Background runs") { list, cancel };
    }

    /// <summary>`aloe worker`: executes queued runs from the shared database until stopped (Ctrl+C, SIGTERM), alongside a web app and other workers.</summary>
    public static Command Worker()
    {
        var worker = new Command("worker", "Run queued background runs from the shared database until stopped (several workers may share a PostgreSQL database)");
        worker.SetAction(async (_, cancellationToken) =>
        {
            using var host = CliHost.Build(b => b.Configuration["Jobs:RunJobs"] = "true", worker: true);
            var jobs = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobsOptions>>().Value;
            Console.Error.WriteLine($"Worker {host.Services.GetRequiredService<JobClaims>().Owner}: up to {jobs.MaxConcurrentRuns} runs at once, lease {jobs.LeaseSeconds} s.");
            await host.WaitForShutdownAsync(cancellationToken);
        });
        return worker;
    }
}
