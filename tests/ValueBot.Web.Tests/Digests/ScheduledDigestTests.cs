using Microsoft.EntityFrameworkCore;
using ValueBot.Web.Delivery;
using ValueBot.Web.Digests;
using ValueBot.Web.Persistence;
using ValueBot.Web.Scheduling;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Digests.DigestWorld;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Digests;

/// <summary>The schedule's once-a-period runs: digests on Friday 15:00, reviews on the first Monday, each once.</summary>
public sealed class ScheduledDigestTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task DigestsGoOutAtFridayThreeAndReviewsOnTheFirstMondayEachOnce(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var clock = new ManualClock(Now.AddMinutes(-1)); // Friday 14:59 UTC, the organisation's zone
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Admin:TeamsAdmins"] = Ada.AadObjectId }, clock);
        await SeedAsync(host);
        await SendAsync(host, ChannelMessage(Ada, "post digests here"));

        await RunDueAsync(host);
        Assert.Empty(await KeysAsync(host));

        clock.Set(Now); // Friday 15:00
        await RunDueAsync(host);
        var weekly = await KeysAsync(host);
        Assert.Equal([DigestPublisher.LeadershipKey(Week), DigestPublisher.ManagerKey(Mia.AadObjectId, Week), DigestPublisher.WinKey(Invoices, Week)], weekly);
        Assert.Contains("digest:weekly:2026-W11", await RunsAsync(host));
        clock.Set(Now.AddMinutes(30));
        await RunDueAsync(host);
        Assert.Equal(weekly, await KeysAsync(host));

        // Monday 6 April 2026 is the first Monday of April and of the second quarter.
        clock.Set(new DateTimeOffset(2026, 4, 6, 8, 59, 0, TimeSpan.Zero));
        await RunDueAsync(host);
        Assert.Equal(weekly, await KeysAsync(host));
        clock.Set(new DateTimeOffset(2026, 4, 6, 9, 0, 0, TimeSpan.Zero));
        await RunDueAsync(host);
        await RunDueAsync(host);
        var reviews = (await KeysAsync(host)).Except(weekly).ToList();
        Assert.Equal(["review:monthly:2026-03", "review:quarterly:2026-W15"], reviews);
        Assert.Superset(new HashSet<string> { "review:monthly:2026-W15", "review:quarterly:2026-W15" }, (await RunsAsync(host)).ToHashSet());
    }

    [Fact]
    public void RunKeysNameTheirWeek()
    {
        Assert.Equal("2026-W49", ScheduledRuns.WeekOf("digest:weekly:2026-W49").ToString());
        var friday = new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero);
        var moment = new ValueBot.Domain.Scheduling.WeeklyMoment(DayOfWeek.Friday, new TimeOnly(15, 0));
        Assert.Null(ScheduledRuns.WeeklyKey("digest", friday.AddSeconds(-1), moment, TimeZoneInfo.Utc));
        Assert.Equal("digest:2026-W49", ScheduledRuns.WeeklyKey("digest", friday, moment, TimeZoneInfo.Utc));
        Assert.Equal("digest:2026-W49", ScheduledRuns.WeeklyKey("digest", friday.AddDays(2), moment, TimeZoneInfo.Utc)); // Sunday: still this week's
        Assert.Null(ScheduledRuns.WeeklyKey("digest", friday.AddDays(3), moment, TimeZoneInfo.Utc)); // next Monday: not a late one
    }

    private static Task RunDueAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<ScheduledRuns>().RunDueAsync(CancellationToken.None);
            return 0;
        });

    private static Task<List<string>> KeysAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(async sp => (await sp.GetRequiredService<ValueBotDbContext>().Set<OutboxMessage>().AsNoTracking()
                .Where(m => m.DedupeKey.StartsWith("digest:") || m.DedupeKey.StartsWith("win:") || m.DedupeKey.StartsWith("review:"))
                .Select(m => m.DedupeKey).ToListAsync())
            .Order(StringComparer.Ordinal).ToList());

    private static Task<List<string>> RunsAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Database
            .SqlQueryRaw<string>("SELECT run_key AS \"Value\" FROM schedule_runs").ToListAsync());
}
