using Hangfire.Logging;
using Microsoft.Extensions.Logging;

namespace Aloe.Core.Jobs;

/// <summary>
/// Hangfire's log provider is one per process (GlobalConfiguration). Where several hosts live in
/// one process (the tests), the provider may belong to a host already disposed: its logger factory
/// then throws, and Hangfire would fail to create a job. Here such a host's loggers log nothing.
/// </summary>
internal sealed class HangfireLogProvider(ILoggerFactory factory) : ILogProvider
{
    readonly Hangfire.AspNetCore.AspNetCoreLogProvider inner = new(factory);

    public ILog GetLogger(string name)
    {
        try
        {
            return new Guarded(inner.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return new Guarded(null);
        }
    }

    sealed class Guarded(ILog? log) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return log?.Log(logLevel, messageFunc!, exception) ?? false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
