using System.Data.Common;
using System.Net;
using Hangfire;
using Hangfire.Storage;
using ValueBot.Web.Delivery;
using ValueBot.Web.Digests;
using ValueBot.Web.Scheduling;
using ValueBot.Web.Tests.Digests;
using Hangfire.Common;
using ValueBot.Web.Tests.Admin;
using Microsoft.EntityFrameworkCore;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.CheckIns;

/// <summary>The Hangfire schedule itself, on the real clock, with its storage on the application's database (SQLite: its sibling file).</summary>
public sealed class ScheduleTests
{
    /// <summary>A week that is open from Monday 00:00 to Sunday 23:59, so the test does not depend on today's weekday.</summary>
    internal static readonly Dictionary<string, string?> OpenAllWeek = new()
    {
        ["Schedule:Enabled"] = "true",
        ["Schedule:TickInterval"] = "00:00:01",
        ["Schedule:ReminderDay"] = "Sunday",
        ["Schedule:ReminderTime"] = "23:58",
        ["Schedule:DeadlineDay"] = "Sunday",
        ["Schedule:DeadlineTime"] = "23:59",
        ["Delivery:PollInterval"] = "00:00:00.100",
    };

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task TheSchedulerSendsTheCheckInByItselfAndARestartSendsNothingTwice(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var settings = new Dictionary<string, string?>(OpenAllWeek);
        await using (var host = await ValueBotTestHost.StartAsync(database.ConnectionString, settings, TimeProvider.System))
        {
            var useCase = await WeeklyCycleTests.SeedOwnerAsync(host, Ada, "UTC", manager: null);
            await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE use_cases SET check_in_day = 'Monday', check_in_time = '00:00' WHERE id = {useCase.Id.ToString("D")}"));

            var card = await host.Connector.WaitForRequestAsync(r => r.Method == "POST" && r.Body.Contains("Weekly check-in:"), TimeSpan.FromSeconds(30));
            Assert.Equal(Ada.ConversationId, card.Route[1]);

            var ready = await host.Http.GetAsync("/health/ready");
            var report = await host.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>().CheckHealthAsync();
            Assert.True(HttpStatusCode.OK == ready.StatusCode, string.Join("; ", report.Entries.Select(e => $"{e.Key}={e.Value.Status}: {e.Value.Description} {e.Value.Exception?.Message}")));
            using var storage = host.Services.GetRequiredService<JobStorage>().GetConnection();
            Assert.Equal(
                ["check-in-cycle", "copilot-usage", "monthly-review", "quarterly-review", "weekly-digest"],
                storage.GetRecurringJobs().Select(j => j.Id).Order(StringComparer.Ordinal));
            Assert.Equal("0 15 * * 5", storage.GetRecurringJobs().Single(j => j.Id == "weekly-digest").Cron); // Friday 15:00 from options
        }

        // A second start on the same database finds the recurring jobs stored, and the week's check-in sent.
        await using (var again = await ValueBotTestHost.StartAsync(database.ConnectionString, settings, TimeProvider.System))
        {
            await Task.Delay(TimeSpan.FromSeconds(4)); // several ticks
            Assert.DoesNotContain(again.Connector.Requests, r => r.Method == "POST" && r.Body.Contains("Weekly check-in:"));
            Assert.Equal(1, await CountAsync(again, "SELECT COUNT(*) FROM outbox_messages WHERE kind = 'checkin'"));
            Assert.Equal(HttpStatusCode.OK, (await again.Http.GetAsync("/health/ready")).StatusCode);
        }
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task TwoInstancesOnOneDatabaseSendEachCheckInOnce(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        // SQLite: two servers on one file (the app refuses Deployment:InstanceCount > 1 there, so the rate is not shared).
        var settings = new Dictionary<string, string?>(OpenAllWeek) { ["Deployment:InstanceCount"] = engine == "postgres" ? "2" : "1" };
        await using var first = await ValueBotTestHost.StartAsync(database.ConnectionString, settings, TimeProvider.System);
        await using var second = await ValueBotTestHost.StartAsync(database.ConnectionString, settings, shared: first);
        var users = Enumerable.Range(0, 20).Select(i => new User($"29:c{i}", $"aad-c{i}", $"Clustered {i}", $"a:personal-c{i}")).ToList();
        foreach (var user in users)
        {
            await WeeklyCycleTests.SeedOwnerAsync(first, user, "UTC", manager: null);
        }

        await first.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Database.ExecuteSqlRawAsync(
            "UPDATE use_cases SET check_in_day = 'Monday', check_in_time = '00:00'"));

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (first.Connector.Requests.Count(r => r.Body.Contains("Weekly check-in:")) < users.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        await Task.Delay(TimeSpan.FromSeconds(3)); // more ticks on both instances
        var cards = first.Connector.Requests.Where(r => r.Method == "POST" && r.Body.Contains("Weekly check-in:")).ToList();
        Assert.Equal(users.Count, cards.Count);
        Assert.Equal(users.Count, cards.Select(c => c.Route[1]).Distinct().Count());
        Assert.Equal(2, first.Services.GetRequiredService<JobStorage>().GetMonitoringApi().Servers().Count); // both servers share the storage
    }

    /// <summary>
    /// What a recurring job does whose time passed while no instance was up (decided: Hangfire's relaxed misfire
    /// handling, so the first server up triggers it once, however many occurrences were missed): the weekly digest
    /// goes out late on the same week, a restart repeats nothing, and after the week is over nothing is sent late.
    /// The downtime is written into the storage as Hangfire leaves it (last run three weeks ago, next one due); the
    /// app's clock says which week it is.
    /// </summary>
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AJobMissedWhileDownRunsOnceOnStartAndADigestIsNotSentAfterItsWeek(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var clock = new ManualClock(DigestWorld.Now.AddHours(-1)); // Friday 14:00, before the digests
        var admins = new Dictionary<string, string?> { ["Admin:TeamsAdmins"] = Ada.AadObjectId };
        // The world (data and fakes) outlives the scheduled instances; it runs no schedule itself.
        await using var world = await ValueBotTestHost.StartAsync(database.ConnectionString, admins, clock);
        await DigestWorld.SeedAsync(world);
        await DigestWorld.SendAsync(world, DigestWorld.ChannelMessage(Ada, "post digests here"));
        var settings = new Dictionary<string, string?>(OpenAllWeek) { ["Admin:TeamsAdmins"] = Ada.AadObjectId };

        await using (var up = await ValueBotTestHost.StartAsync(database.ConnectionString, settings, clock, shared: world))
        {
            Assert.Contains(RecurringJobs(up), j => j.Id == "weekly-digest"); // registered; not due until 15:00
        }

        Assert.Empty(await DigestKeysAsync(world));

        // Down over Friday 15:00; up again at 17:00.
        clock.Set(DigestWorld.Now.AddHours(2));
        await using (var late = await StartAfterDowntimeAsync(database, settings, clock, world))
        {
            await WaitForRunsAsync(late, "weekly-digest", 1);
            Assert.Equal(
                [DigestPublisher.LeadershipKey(DigestWorld.Week), DigestPublisher.ManagerKey(DigestWorld.Mia.AadObjectId, DigestWorld.Week), DigestPublisher.WinKey(DigestWorld.Invoices, DigestWorld.Week)],
                await DigestKeysAsync(world));
            await Task.Delay(TimeSpan.FromSeconds(2)); // more scheduler polls: still one run for three missed weeks
            Assert.Equal(1, PeriodicRuns(late, "weekly-digest"));
        }

        var sent = await DigestKeysAsync(world);

        // Down and up again the same evening: the job runs again, the digests are not queued again.
        clock.Set(DigestWorld.Now.AddHours(3));
        await using (var again = await StartAfterDowntimeAsync(database, settings, clock, world))
        {
            await WaitForRunsAsync(again, "weekly-digest", 2);
            Assert.Equal(sent, await DigestKeysAsync(world));
        }

        // Down until Tuesday of the next week: the missed Friday is not made up for days late.
        clock.Set(DigestWorld.Now.AddDays(4));
        await using (var afterTheWeek = await StartAfterDowntimeAsync(database, settings, clock, world))
        {
            await WaitForRunsAsync(afterTheWeek, "weekly-digest", 3);
            Assert.Equal(sent, await DigestKeysAsync(world));
            Assert.Equal(["digest:weekly:2026-W11"], (await RunKeysAsync(world)).Where(k => k.StartsWith("digest:", StringComparison.Ordinal)));
        }
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AJobLockIsHeldByOneInstanceAtATimeAndFreedWhenItsHolderIsDone(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var first = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>(OpenAllWeek) { ["Schedule:TickInterval"] = "00:10:00" }, TimeProvider.System);
        await using var second = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>(OpenAllWeek) { ["Schedule:TickInterval"] = "00:10:00" }, shared: first);
        var mine = first.Services.GetRequiredService<JobLock>();
        var theirs = second.Services.GetRequiredService<JobLock>();

        var held = await mine.TryTakeAsync("test-job", CancellationToken.None);
        Assert.NotNull(held);
        Assert.Null(await theirs.TryTakeAsync("test-job", CancellationToken.None));
        await using (var other = await theirs.TryTakeAsync("another-job", CancellationToken.None))
        {
            Assert.NotNull(other); // one lock per job
        }

        await held.DisposeAsync();
        await using var taken = await theirs.TryTakeAsync("test-job", CancellationToken.None);
        Assert.NotNull(taken);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task TheJobsDashboardIsForAdminsOnly(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>(OpenAllWeek), TimeProvider.System);

        Assert.Equal(HttpStatusCode.Unauthorized, (await AdminClient.SendAsync(host, HttpMethod.Get, AdminJobsDashboard.Path, token: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AdminClient.SendAsync(host, HttpMethod.Get, AdminJobsDashboard.Path, token: "not-a-token")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await AdminClient.SendAsync(host, HttpMethod.Get, AdminJobsDashboard.Path, token: AdminClient.Token(host, role: "Someone.Else"))).StatusCode);

        var page = await AdminClient.SendAsync(host, HttpMethod.Get, AdminJobsDashboard.Path + "/recurring");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("weekly-digest", html, StringComparison.Ordinal);
        Assert.Contains("check-in-cycle", html, StringComparison.Ordinal);

        // The dashboard's actions are refused to anyone else and change nothing; an admin's trigger starts the job.
        const string trigger = AdminJobsDashboard.Path + "/recurring/trigger";
        const string form = "jobs%5B%5D=monthly-review";
        Assert.Equal(HttpStatusCode.Unauthorized, (await AdminClient.SendAsync(host, HttpMethod.Post, trigger, form, token: null, contentType: FormType)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await AdminClient.SendAsync(host, HttpMethod.Post, trigger, form, token: AdminClient.Token(host, role: "Someone.Else"), contentType: FormType)).StatusCode);
        Assert.Null(RecurringJobs(host).Single(j => j.Id == "monthly-review").LastJobId);
        Assert.Equal(HttpStatusCode.NoContent, (await AdminClient.SendAsync(host, HttpMethod.Post, trigger, form, contentType: FormType)).StatusCode);
        Assert.NotNull(RecurringJobs(host).Single(j => j.Id == "monthly-review").LastJobId);
    }

    /// <summary>
    /// A restart right after a kill -9 can find a recurring job's lock still held (the dead scheduler's row lasts until
    /// the storage's lock timeout). The host must come up all the same and register that job once the lock is free.
    /// </summary>
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AHostStartsWhileARecurringJobsLockIsHeldAndRegistersTheJobWhenItIsFreed(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        IStorageConnection? holder = null;
        IDisposable? held = null;
        try
        {
            await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>(OpenAllWeek), TimeProvider.System, beforeStart: services =>
            {
                holder = services.GetRequiredService<JobStorage>().GetConnection();
                held = holder.AcquireDistributedLock("lock:recurring-job:" + ScheduleServiceCollectionExtensions.CycleJobName, TimeSpan.FromSeconds(5));
            });

            // Up while the lock is still held: every other job registered, the cycle not yet.
            Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/health/live")).StatusCode);
            var ids = RecurringJobs(host).Select(j => j.Id).ToList();
            Assert.Contains("weekly-digest", ids);
            Assert.DoesNotContain(ScheduleServiceCollectionExtensions.CycleJobName, ids);

            held!.Dispose();
            held = null;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!RecurringJobs(host).Any(j => j.Id == ScheduleServiceCollectionExtensions.CycleJobName))
            {
                Assert.True(DateTime.UtcNow < deadline, "the check-in cycle was never registered after its lock was freed");
                await Task.Delay(250);
            }

            Assert.Equal(ScheduleCron.Every(TimeSpan.FromSeconds(1)), RecurringJobs(host).Single(j => j.Id == ScheduleServiceCollectionExtensions.CycleJobName).Cron);
        }
        finally
        {
            held?.Dispose();
            holder?.Dispose();
        }
    }

    private const string FormType = "application/x-www-form-urlencoded";

    private static List<RecurringJobDto> RecurringJobs(ValueBotTestHost host)
    {
        using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs();
    }

    /// <summary>Starts a scheduled instance on a storage that looks as Hangfire leaves it after downtime: every once-a-period job last ran three weeks ago, its next occurrence long past.</summary>
    private static Task<ValueBotTestHost> StartAfterDowntimeAsync(TestDatabase database, Dictionary<string, string?> settings, TimeProvider clock, ValueBotTestHost world) =>
        ValueBotTestHost.StartAsync(database.ConnectionString, settings, clock, shared: world, beforeStart: services =>
        {
            using var connection = services.GetRequiredService<JobStorage>().GetConnection();
            using var transaction = connection.CreateWriteTransaction();
            var lastRun = DateTime.UtcNow.AddDays(-21); // Hangfire's own clock: the machine's
            foreach (var job in new[] { "weekly-digest", "monthly-review", "quarterly-review" })
            {
                transaction.SetRangeInHash($"recurring-job:{job}", [
                    new("LastExecution", JobHelper.SerializeDateTime(lastRun)),
                    new("NextExecution", JobHelper.SerializeDateTime(lastRun.AddDays(7))),
                ]);
                transaction.AddToSet("recurring-jobs", job, JobHelper.ToTimestamp(lastRun.AddDays(7)));
            }

            transaction.Commit();
        });

    /// <summary>How many runs of the once-a-period job <paramref name="name"/> Hangfire finished (in this storage).</summary>
    private static int PeriodicRuns(ValueBotTestHost host, string name) =>
        host.Services.GetRequiredService<JobStorage>().GetMonitoringApi().SucceededJobs(0, 10_000)
            .Count(j => j.Value.Job?.Method.Name == nameof(ScheduleJobs.RunPeriodicAsync) && (string?)j.Value.Job.Args[0] == name);

    private static async Task WaitForRunsAsync(ValueBotTestHost host, string name, int runs)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (PeriodicRuns(host, name) < runs)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{name} ran {PeriodicRuns(host, name)} times, expected {runs}");
            await Task.Delay(200);
        }
    }

    private static Task<List<string>> DigestKeysAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(async sp => (await sp.GetRequiredService<ValueBotDbContext>().Set<OutboxMessage>().AsNoTracking()
                .Where(m => m.DedupeKey.StartsWith("digest:") || m.DedupeKey.StartsWith("win:") || m.DedupeKey.StartsWith("review:"))
                .Select(m => m.DedupeKey).ToListAsync())
            .Order(StringComparer.Ordinal).ToList());

    private static Task<List<string>> RunKeysAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Database
            .SqlQueryRaw<string>("SELECT run_key AS \"Value\" FROM schedule_runs").ToListAsync());

    private static Task<long> CountAsync(ValueBotTestHost host, string sql) =>
        host.WithScopeAsync(async sp =>
        {
            var connection = sp.GetRequiredService<ValueBotDbContext>().Database.GetDbConnection();
            await connection.OpenAsync();
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        });
}
