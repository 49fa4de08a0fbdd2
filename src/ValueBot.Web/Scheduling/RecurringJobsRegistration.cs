using Hangfire;
using Microsoft.Extensions.Options;
using ValueBot.Web.CheckIns;

namespace ValueBot.Web.Scheduling;

/// <summary>
/// Writes the recurring jobs into the storage on start (AddOrUpdate: a restart or a second instance changes nothing
/// but a changed cron or zone). Misfires are handled relaxed: after downtime a missed occurrence runs once, not once
/// per occurrence missed.
/// </summary>
internal sealed class RecurringJobsRegistration(
    JobStorage storage, IOptions<ScheduleOptions> options, CheckInCalendar calendar, IServiceScopeFactory scopes) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var manager = new RecurringJobManager(storage);
        var jobOptions = new RecurringJobOptions { TimeZone = calendar.OrganisationZone, MisfireHandling = MisfireHandlingMode.Relaxed };
        manager.AddOrUpdate<ScheduleJobs>(
            ScheduleServiceCollectionExtensions.CycleJobName,
            j => j.RunCheckInCycleAsync(CancellationToken.None),
            ScheduleCron.Every(options.Value.TickInterval),
            jobOptions);

        using var scope = scopes.CreateScope();
        foreach (var run in scope.ServiceProvider.GetServices<IPeriodicRun>())
        {
            var name = run.Name;
            manager.AddOrUpdate<ScheduleJobs>(name, j => j.RunPeriodicAsync(name, CancellationToken.None), run.Cron(calendar), jobOptions);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
