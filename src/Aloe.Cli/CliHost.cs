using Aloe.Core.Benchmark;
using Aloe.Core.Data;
using Aloe.Core.Dialogues;
using Aloe.Core.Hosting;
using Aloe.Core.Jobs;
using Aloe.Core.Llm;
using Aloe.Core.Personas;
using Aloe.Core.Prompts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aloe.Cli;

/// <summary>The CLI's service container: the web app's Core services over the same appsettings.json and database; jobs run in the foreground.</summary>
internal static class CliHost
{
    /// <param name="worker">A headless worker: Hangfire executes queued runs here (as the web app does), instead of commands running them inline.</param>
    public static IHost Build(Action<IHostApplicationBuilder>? configure = null, bool worker = false)
    {
        var root = AloeRoot.Find();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = root, Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The host is started for its start-up work only; "Application started" lines are noise in a command's output.
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.AddAloeData();
        builder.AddPrompts();
        builder.AddJobs(runScheduler: worker);
        builder.AddLlm();
        builder.AddPersonas();
        builder.AddDialogues();
        builder.AddBenchmark();
        configure?.Invoke(builder);
        var host = builder.Build();
        host.Services.InitializeDatabaseAsync().GetAwaiter().GetResult();
        // Start-up work the web app does too (e.g. loading the seed pools into an empty database).
        host.StartAsync().GetAwaiter().GetResult();
        return host;
    }
}
