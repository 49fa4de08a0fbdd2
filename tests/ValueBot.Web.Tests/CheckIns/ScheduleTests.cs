using System.Data.Common;
using System.Net;
using Hangfire;
using Hangfire.Storage;
using ValueBot.Web.Scheduling;
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
        await using (var host = await ValueBotTestHost.StartAsync(database.ConnectionString, settings))
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
                ["check-in-cycle", "monthly-review", "quarterly-review", "weekly-digest"],
                storage.GetRecurringJobs().Select(j => j.Id).Order(StringComparer.Ordinal));
            Assert.Equal("0 15 * * 5", storage.GetRecurringJobs().Single(j => j.Id == "weekly-digest").Cron); // Friday 15:00 from options
        }

        // A second start on the same database finds the recurring jobs stored, and the week's check-in sent.
        await using (var again = await ValueBotTestHost.StartAsync(database.ConnectionString, settings))
        {
            await Task.Delay(TimeSpan.FromSeconds(4)); // several ticks
            Assert.DoesNotContain(again.Connector.Requests, r => r.Method == "POST" && r.Body.Contains("Weekly check-in:"));
            Assert.Equal(1, await CountAsync(again, "SELECT COUNT(*) FROM outbox_messages WHERE kind = 'checkin'"));
            Assert.Equal(HttpStatusCode.OK, (await again.Http.GetAsync("/health/ready")).StatusCode);
        }
    }

    [Fact]
    public async Task TwoClusteredInstancesOnOnePostgresDatabaseSendTheCheckInOnce()
    {
        if (TestDatabase.PostgresServer is null)
        {
            return; // CiConfigurationTests fails the run when CI has no PostgreSQL
        }

        await using var database = await TestDatabase.CreatePostgresAsync();
        var settings = new Dictionary<string, string?>(OpenAllWeek) { ["Deployment:InstanceCount"] = "2" };
        await using var first = await ValueBotTestHost.StartAsync(database.ConnectionString, settings);
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

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task TheJobsDashboardIsForAdminsOnly(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>(OpenAllWeek));

        Assert.Equal(HttpStatusCode.Unauthorized, (await AdminClient.SendAsync(host, HttpMethod.Get, AdminJobsDashboard.Path, token: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AdminClient.SendAsync(host, HttpMethod.Get, AdminJobsDashboard.Path, token: "not-a-token")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await AdminClient.SendAsync(host, HttpMethod.Get, AdminJobsDashboard.Path, token: AdminClient.Token(host, role: "Someone.Else"))).StatusCode);

        var page = await AdminClient.SendAsync(host, HttpMethod.Get, AdminJobsDashboard.Path + "/recurring");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("weekly-digest", html, StringComparison.Ordinal);
        Assert.Contains("check-in-cycle", html, StringComparison.Ordinal);
    }

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
