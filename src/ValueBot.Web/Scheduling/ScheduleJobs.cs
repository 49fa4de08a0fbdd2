using Hangfire;
using ValueBot.Web.CheckIns;

namespace ValueBot.Web.Scheduling;

/// <summary>
/// What the recurring jobs call. Thin on purpose: everything behind them is idempotent (outbox dedupe keys,
/// <c>schedule_runs</c>), so a repeated run repeats nothing. Nothing is retried automatically — a run that failed is
/// logged and the next occurrence tries again — and no job overlaps itself across instances (<see cref="JobLock"/>:
/// an occurrence that finds its job running elsewhere is skipped).
/// </summary>
public sealed partial class ScheduleJobs(CheckInCycle cycle, ScheduledRuns runs, JobLock locks, ILogger<ScheduleJobs> logger)
{
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public Task RunCheckInCycleAsync(CancellationToken cancellationToken) =>
        GuardAsync(ScheduleServiceCollectionExtensions.CycleJobName, () => cycle.RunAsync(cancellationToken), cancellationToken);

    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    public Task RunPeriodicAsync(string name, CancellationToken cancellationToken) =>
        GuardAsync(name, () => runs.RunDueAsync(cancellationToken, name), cancellationToken);

    private async Task GuardAsync(string job, Func<Task> run, CancellationToken cancellationToken)
    {
        try
        {
            await using var held = await locks.TryTakeAsync(job, cancellationToken);
            if (held is null)
            {
                Log.Skipped(logger, job);
                return;
            }

            await run();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the next occurrence (here or on another instance) picks up where this one stopped.
        }
        catch (Exception e)
        {
            // Logged and swallowed: the next occurrence tries again; Hangfire must not retry on its own.
            Log.Failed(logger, job, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5201, Level = LogLevel.Error, Message = "Scheduled job {Job} failed; its next occurrence tries again")]
        public static partial void Failed(ILogger logger, string job, Exception exception);

        [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "Scheduled job {Job} is running on another instance; this occurrence is skipped")]
        public static partial void Skipped(ILogger logger, string job);
    }
}
