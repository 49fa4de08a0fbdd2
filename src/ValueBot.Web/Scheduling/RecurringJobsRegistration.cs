using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage;
using Microsoft.Extensions.Options;
using ValueBot.Web.CheckIns;

namespace ValueBot.Web.Scheduling;

/// <summary>
/// Writes the recurring jobs into the storage on start (AddOrUpdate: a restart or a second instance changes nothing
/// but a changed cron or zone). Misfires are handled relaxed: after downtime a missed occurrence runs once, not once
/// per occurrence missed.
/// </summary>
/// <remarks>
/// AddOrUpdate takes the job's storage lock. An instance killed while its scheduler held that lock leaves the lock
/// behind until the storage's lock timeout; a restart in that window must still come up, so a job whose lock is
/// taken is registered again in the background until it goes through (the stored definition from the last start
/// stays in force meanwhile).
/// </remarks>
internal sealed partial class RecurringJobsRegistration(
    JobStorage storage, IOptions<ScheduleOptions> options, CheckInCalendar calendar, IServiceScopeFactory scopes,
    TimeProvider time, ILogger<RecurringJobsRegistration> logger) : IHostedService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private Task _retrying = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var pending = RegisterAll(Registrations());
        if (pending.Count > 0)
        {
            _retrying = RetryAsync(pending, _stopping.Token);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _retrying.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private List<(string Name, Action<RecurringJobManager> AddOrUpdate)> Registrations()
    {
        var jobOptions = new RecurringJobOptions { TimeZone = calendar.OrganisationZone, MisfireHandling = MisfireHandlingMode.Relaxed };
        var cycleCron = ScheduleCron.Every(options.Value.TickInterval);
        var jobs = new List<(string, Action<RecurringJobManager>)>
        {
            (ScheduleServiceCollectionExtensions.CycleJobName, m => m.AddOrUpdate<ScheduleJobs>(
                ScheduleServiceCollectionExtensions.CycleJobName, j => j.RunCheckInCycleAsync(CancellationToken.None), cycleCron, jobOptions)),
        };

        using var scope = scopes.CreateScope();
        foreach (var run in scope.ServiceProvider.GetServices<IPeriodicRun>())
        {
            var name = run.Name;
            var cron = run.Cron(calendar);
            jobs.Add((name, m => m.AddOrUpdate<ScheduleJobs>(name, j => j.RunPeriodicAsync(name, CancellationToken.None), cron, jobOptions)));
        }

        return jobs;
    }

    /// <summary>Registers each job; returns those whose lock another (possibly dead) instance holds.</summary>
    private List<(string Name, Action<RecurringJobManager> AddOrUpdate)> RegisterAll(List<(string Name, Action<RecurringJobManager> AddOrUpdate)> jobs)
    {
        var manager = new RecurringJobManager(storage);
        var pending = new List<(string, Action<RecurringJobManager>)>();
        foreach (var job in jobs)
        {
            try
            {
                job.AddOrUpdate(manager);
            }
            catch (Exception e) when (e is DistributedLockTimeoutException or PostgreSqlDistributedLockException)
            {
                LogLockTaken(job.Name, RetryInterval);
                pending.Add(job);
            }
        }

        return pending;
    }

    private async Task RetryAsync(List<(string Name, Action<RecurringJobManager> AddOrUpdate)> pending, CancellationToken stopping)
    {
        while (pending.Count > 0 && !stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RetryInterval, time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // AddOrUpdate blocks while it waits for the lock: off the timer's thread.
            pending = await Task.Run(() => RegisterAll(pending), CancellationToken.None);
            if (pending.Count == 0)
            {
                LogRegistered();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recurring job {Job} not registered: its lock is held (an instance that stopped without releasing it?); trying again every {Interval}")]
    private partial void LogLockTaken(string job, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recurring jobs registered after their locks were freed")]
    private partial void LogRegistered();
}
