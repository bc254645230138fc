using Aloe.Core.Analysis;
using Aloe.Core.Analysis.Scoring;
using Aloe.Core.Annotation;
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
    /// <summary>The CLI's database instead of appsettings.json's: a SQLite file path (also --db).</summary>
    public const string DatabaseVariable = "ALOE_DB";

    /// <param name="worker">A headless worker: Hangfire executes queued runs here (as the web app does), instead of commands running them inline.</param>
    public static IHost Build(Action<IHostApplicationBuilder>? configure = null, string? root = null, string? database = null, bool worker = false)
    {
        root ??= AloeRoot.TryFind() ?? throw new CliUserException(
            $"Cannot find ALOE Studio's folder (appsettings.json and prompts/) above {Directory.GetCurrentDirectory()} or beside the program. " +
            $"Run aloe inside the repository (dotnet run --project src/Aloe.Cli -- ...) or set {AloeRoot.EnvironmentVariable} to that folder.");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = root, Args = [] });
        if (!string.IsNullOrWhiteSpace(database))
        {
            if (Directory.Exists(database))
                throw new CliUserException($"--db {database} is a directory; give the database file (e.g. {Path.Combine(database, "aloe.db")}).");
            builder.Configuration[$"{DatabaseOptions.Section}:ConnectionString"] = $"Data Source={Path.GetFullPath(database)}";
        }
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
        builder.AddAnalysisScoring();
        builder.AddAnalysis();
        builder.AddAnnotation();
        // Accounts (`aloe users add`): Identity's managers over the same stores the web app signs in against.
        builder.Services.AddScoped(sp => sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<AloeDbContext>>().CreateDbContext());
        builder.Services.AddIdentityCore<Microsoft.AspNetCore.Identity.IdentityUser>(o =>
            {
                // The web app's password rules (Aloe.Web/Auth/AuthExtensions.cs).
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireDigit = false;
            })
            .AddRoles<Microsoft.AspNetCore.Identity.IdentityRole>()
            .AddEntityFrameworkStores<AloeDbContext>();
        configure?.Invoke(builder);
        var host = builder.Build();
        host.Services.InitializeDatabaseAsync().GetAwaiter().GetResult();
        // Start-up work the web app does too (e.g. loading the seed pools into an empty database).
        host.StartAsync().GetAwaiter().GetResult();
        return host;
    }
}
