using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Aloe.Testing;

/// <summary>
/// The web app (Aloe.Web.dll from the caller's output folder) as a child process on a free loopback
/// port over a given database: for tests that kill it mid-job and benchmarks that time real HTTP.
/// </summary>
public sealed class WebAppProcess : IDisposable
{
    readonly Process process;
    // The last lines the app wrote, for the message when it fails to start.
    readonly Queue<string> output = new();

    WebAppProcess(Process process, int port)
    {
        this.process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    void Keep(string? line)
    {
        if (line is null) return;
        lock (output)
        {
            output.Enqueue(line);
            if (output.Count > 40) output.Dequeue();
        }
    }

    string Output()
    {
        lock (output) return output.Count == 0 ? " It wrote nothing." : " Its last output:\n" + string.Join("\n", output);
    }

    public Uri BaseAddress { get; }

    /// <summary>The process id (a job run's Owner starts with "host:pid:").</summary>
    public int ProcessId => process.Id;

    /// <summary>Starts the app and waits until /health answers (60 s at most), failing at once if it exits.</summary>
    /// <param name="settings">Extra configuration, as environment variables (e.g. Jobs__LeaseSeconds).</param>
    public static async Task<WebAppProcess> StartAsync(string? databasePath, int? port = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        port ??= FreePort();
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Aloe.Web.dll"), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["ALOE_ROOT"] = TestHost.RepositoryRoot();
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        if (databasePath is not null) // else the settings name the database (e.g. PostgreSQL)
            info.Environment["Database__ConnectionString"] = $"Data Source={databasePath}";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        var process = Process.Start(info)!;
        var app = new WebAppProcess(process, port.Value);
        process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await app.WaitHealthyAsync();
            return app;
        }
        catch
        {
            await app.KillAsync();
            app.Dispose();
            throw;
        }
    }

    async Task WaitHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                await process.WaitForExitAsync(); // the rest of its output
                throw new InvalidOperationException($"The app exited with code {process.ExitCode}." + Output());
            }
            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("The app did not become healthy within 60 s." + Output());
    }

    /// <summary>SIGKILL, as a crash would end it.</summary>
    public async Task KillAsync()
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
