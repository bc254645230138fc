using Aloe.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace Aloe.Web.Tests.Support;

/// <summary>
/// The real web app (Program.cs, middleware, Hangfire, migrations) over a fresh SQLite file.
/// Tests adjust services with <see cref="ConfigureTestServices"/> before the first request.
/// </summary>
public class AloeWebFactory : WebApplicationFactory<Program>
{
    readonly string directory = Path.Combine(Path.GetTempPath(), "aloe-web-tests", Guid.NewGuid().ToString("N"));

    public Action<IServiceCollection>? ConfigureTestServices { get; set; }

    /// <summary>How long the circuits' disconnect requests took (browser tests check them at their end).</summary>
    public CircuitDisconnects Disconnects { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(directory);
        builder.UseEnvironment("Testing");
        builder.UseContentRoot(TestHost.RepositoryRoot());
        builder.UseSetting("Database:ConnectionString", $"Data Source={Path.Combine(directory, "aloe.db")}");
        // Hangfire.Storage.SQLite now and then leaves a job unfetched while several test apps
        // share this machine; the sweep schedules such a run again after this long.
        builder.UseSetting("Jobs:PickupSeconds", "4");
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(Disconnects));
        if (ConfigureTestServices is not null)
            builder.ConfigureServices(ConfigureTestServices);
    }

    /// <summary>A client that keeps cookies (antiforgery) and does not follow redirects.</summary>
    public HttpClient CreateBrowserlikeClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }
}
