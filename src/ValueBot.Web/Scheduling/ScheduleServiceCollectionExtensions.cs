using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Microsoft.Data.Sqlite;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Persistence;

namespace ValueBot.Web.Scheduling;

public static class ScheduleServiceCollectionExtensions
{
    public const string CycleJobName = "check-in-cycle";

    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The Hangfire schedule (the check-in cycle's own services are registered by <c>AddCheckIns</c>): recurring jobs for the check-in cycle (every
    /// <c>Schedule:TickInterval</c>), the weekly digests and the monthly and quarterly reviews (their moments in
    /// <c>Schedule:OrganisationTimeZone</c>). Hangfire's storage is the application's database on PostgreSQL (schema
    /// <c>hangfire</c>) and, on the embedded SQLite default, a sibling file <c>*.hangfire.db</c> beside the app's file
    /// (Hangfire.Storage.SQLite opens its own connections; a separate file keeps its polling off the app's write lock).
    /// The storage's distributed locks make each occurrence run once across instances.
    /// </summary>
    public static IHostApplicationBuilder AddWeeklySchedule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ScheduledRuns>();
        builder.Services.AddScoped<IPeriodicRun, WeeklyDigestRun>();
        builder.Services.AddScoped<IPeriodicRun, MonthlyReviewRun>();
        builder.Services.AddScoped<IPeriodicRun, QuarterlyReviewRun>();

        var schedule = builder.Configuration.GetSection(ScheduleOptions.SectionName).Get<ScheduleOptions>() ?? new ScheduleOptions();
        if (!schedule.Enabled)
        {
            return builder;
        }

        var database = DatabaseOptions.From(builder.Configuration, builder.Environment.ContentRootPath);
        var poll = schedule.TickInterval < TimeSpan.FromSeconds(15) ? schedule.TickInterval : TimeSpan.FromSeconds(15);

        // Registered before AddHangfire, so each host has its own storage (not the process-wide JobStorage.Current).
        builder.Services.AddSingleton<JobStorage>(sp =>
        {
            HangfireLogging.Use(sp.GetRequiredService<ILoggerFactory>());
            return CreateStorage(database, poll);
        });
        builder.Services.AddHangfire((sp, c) => c
            .UseLogProvider(new HangfireLogging(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        var server = new HangfireServerName($"valuebot-{Environment.MachineName}-{Guid.NewGuid():N}");
        builder.Services.AddSingleton(server);
        builder.Services.AddHangfireServer((_, o) =>
        {
            o.ServerName = server.Value;
            o.WorkerCount = 2;
            o.SchedulePollingInterval = poll;
            o.HeartbeatInterval = HeartbeatInterval;
            o.ServerCheckInterval = HeartbeatInterval;
            o.ServerTimeout = HeartbeatInterval * 4;
        });
        builder.Services.AddSingleton<JobLock>();
        builder.Services.AddHostedService<RecurringJobsRegistration>();
        builder.Services.AddHealthChecks().AddCheck<HangfireServerHealthCheck>("scheduler", tags: ["ready"]);
        return builder;
    }

    private static JobStorage CreateStorage(DatabaseOptions database, TimeSpan poll) => database.Engine == DatabaseEngine.Postgres
        ? new PostgreSqlStorage(
            new NpgsqlConnectionFactory(database.ConnectionString, new PostgreSqlStorageOptions()),
            new PostgreSqlStorageOptions
            {
                SchemaName = "hangfire",
                QueuePollInterval = poll,
                PrepareSchemaIfNecessary = true,
                // Hangfire's own locks (recurring-job scheduler, expiration) are rows a killed instance leaves behind
                // until they are this old (default 10 min): a restart after a kill -9 waits at most this long for the check-in cycle; they are held for milliseconds. The jobs themselves hold a
                // JobLock, which dies with its instance.
                DistributedLockTimeout = TimeSpan.FromSeconds(30),
            })
        : new SQLiteStorage(SiblingFile(database.ConnectionString), new SQLiteStorageOptions { QueuePollInterval = poll });

    /// <summary><c>Data Source=/data/valuebot.db</c> → <c>/data/valuebot.hangfire.db</c>.</summary>
    internal static string SiblingFile(string sqliteConnectionString)
    {
        var file = new SqliteConnectionStringBuilder(sqliteConnectionString).DataSource;
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", Path.GetFileNameWithoutExtension(file) + ".hangfire.db");
    }
}
