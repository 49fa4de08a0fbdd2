using Microsoft.Extensions.Options;
using Quartz;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Delivery;
using ValueBot.Web.Persistence;

namespace ValueBot.Web.Scheduling;

public static class ScheduleServiceCollectionExtensions
{
    public const string CycleJobName = "check-in-cycle";

    /// <summary>
    /// The weekly loop's services and its Quartz schedule: one job, run every <c>Schedule:TickInterval</c>, kept in
    /// Quartz's persistent store on the application's own database (QRTZ_* tables, created on first start). With
    /// PostgreSQL and <c>Deployment:InstanceCount</c> above one, Quartz runs clustered, so one instance at a time runs
    /// the job. After downtime a missed tick is not replayed: the next tick catches up on everything due, once.
    /// </summary>
    public static IHostApplicationBuilder AddWeeklySchedule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ScheduleOptions>().BindConfiguration(ScheduleOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ScheduleOptions>, ScheduleOptionsValidator>();
        builder.Services.AddSingleton<CheckInCalendar>();
        builder.Services.AddScoped<CheckInCycle>();
        builder.Services.AddScoped<CheckInDeliveries>();
        builder.Services.AddScoped<ScheduledRuns>();
        builder.Services.AddScoped<IPeriodicRun, WeeklyDigestRun>();
        builder.Services.AddScoped<IPeriodicRun, MonthlyReviewRun>();
        builder.Services.AddScoped<IPeriodicRun, QuarterlyReviewRun>();
        builder.Services.AddSingleton<IDeliveryObserver, CheckInDeliveryObserver>();

        var schedule = builder.Configuration.GetSection(ScheduleOptions.SectionName).Get<ScheduleOptions>() ?? new ScheduleOptions();
        if (!schedule.Enabled)
        {
            return builder;
        }

        var database = DatabaseOptions.From(builder.Configuration, builder.Environment.ContentRootPath);
        var instances = builder.Configuration.GetValue("Deployment:InstanceCount", 1);
        var clustered = database.Engine == DatabaseEngine.Postgres && instances > 1;
        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = "ValueBot";
                o.GenerateInstanceId = true;
            });
            q.UsePersistentStore(store =>
            {
                if (database.Engine == DatabaseEngine.Postgres)
                {
                    store.UsePostgres(database.ConnectionString);
                }
                else
                {
                    store.UseSqlite(database.ConnectionString);
                }

                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
                if (clustered)
                {
                    store.UseClustering(c => c.Enabled = true);
                }
            });

            var job = new JobKey(CycleJobName);
            q.AddJob<CheckInCycleJob>(j => j.WithIdentity(job).StoreDurably(true).DisallowConcurrentExecution(true));
            q.AddTrigger<CheckInCycleJob>(t => t
                .ForJob(job)
                .WithIdentity(CycleJobName + "-tick")
                .StartNow()
                .WithSchedule(SimpleScheduleBuilder.Create()
                    .WithInterval(schedule.TickInterval)
                    .RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        builder.Services.AddHealthChecks().AddQuartz("ValueBot", o =>
        {
            o.Name = "scheduler";
            o.Tags.Add("ready");
        });
        return builder;
    }
}
