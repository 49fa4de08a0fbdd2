using Hangfire.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using MsLevel = Microsoft.Extensions.Logging.LogLevel;

namespace ValueBot.Web.Scheduling;

/// <summary>
/// Hangfire's logging is process-wide (one static provider), while each host has its own logger factory. This bridge
/// logs through the factory of the host started last and drops a line when that factory is already disposed (tests
/// start several hosts in one process; production has one).
/// </summary>
internal sealed class HangfireLogging(ILoggerFactory factory) : ILogProvider
{
    private static ILoggerFactory? _current;

    public static void Use(ILoggerFactory factory)
    {
        _current = factory;
        LogProvider.SetCurrentLogProvider(new HangfireLogging(factory));
    }

    public ILog GetLogger(string name) => new ForwardingLog(name, factory);

    private sealed class ForwardingLog(string name, ILoggerFactory own) : ILog
    {
        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                var logger = (_current ?? own).CreateLogger(name);
                var level = (MsLevel)(int)logLevel;
                if (messageFunc is null)
                {
                    return logger.IsEnabled(level);
                }

                if (logger.IsEnabled(level))
                {
#pragma warning disable CA2254 // Hangfire hands over finished text
                    logger.Log(level, exception, messageFunc());
#pragma warning restore CA2254
                }

                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
