using Quartz;
using ValueBot.Web.CheckIns;

namespace ValueBot.Web.Scheduling;

/// <summary>
/// The scheduler's one recurring job: runs the check-in cycle, then the once-a-period runs that are due. Thin on
/// purpose; everything it does is idempotent, so a tick repeated after a crash repeats nothing.
/// </summary>
internal sealed partial class CheckInCycleJob(CheckInCycle cycle, ScheduledRuns runs, ILogger<CheckInCycleJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await cycle.RunAsync(cancellationToken);
            await runs.RunDueAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the next tick (here or on another instance) picks up where this one stopped.
        }
        catch (Exception e)
        {
            // Logged and swallowed: the next tick retries, and a throwing job would only make Quartz log it again.
            Log.Failed(logger, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5201, Level = LogLevel.Error, Message = "The check-in cycle failed; the next tick tries again")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
