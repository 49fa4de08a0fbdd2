using Microsoft.EntityFrameworkCore;
using ValueBot.Testing;
using ValueBot.Teams.Schema;
using ValueBot.Web.Delivery;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.CheckIns;
using ValueBot.Web.Tests.Support;

namespace ValueBot.Web.Tests.Delivery;

/// <summary>Two instances on one database, one of them killed: the survivor takes over its rows and its rate.</summary>
public sealed class ScaleOutTests
{
    private const int Rate = 20; // a lower budget than Teams' 50/s keeps the test short; the sharing is the same

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task WhenOneOfTwoInstancesIsKilledTheSurvivorFinishesAtTheFullRateWithinAMinute(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        var settings = new Dictionary<string, string>
        {
            ["Delivery:RequestsPerSecondPerTenant"] = Rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Delivery:HousekeepingInterval"] = "00:00:00.500",
            ["Delivery:LeaseDuration"] = "00:00:03",
            ["Delivery:PollInterval"] = "00:00:00.050",
        };
        await using var survivor = await ValueBotTestHost.StartAsync(db.ConnectionString, settings.ToDictionary(kv => kv.Key, kv => (string?)kv.Value), TimeProvider.System);
        const int count = 700;
        DateTimeOffset killedAt, sharingFrom;
        int leftAtKill;
        await using (var other = CrashRecoveryTests.AppProcess.Start(db.ConnectionString, settings))
        {
            // The messages are queued only once the other instance's sender is alive, all at once: however long its
            // start-up takes on a busy machine, the survivor has not used up the queue alone by the time it is killed.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (await SendersAsync(survivor) < 2)
            {
                Assert.True(DateTime.UtcNow < deadline, "the second instance never started its sender:\n" + other.Output);
                await Task.Delay(100);
            }

            await survivor.WithScopeAsync(async sp =>
            {
                var outbox = sp.GetRequiredService<Outbox>();
                await using var transaction = await sp.GetRequiredService<ValueBotDbContext>().Database.BeginTransactionAsync();
                for (var i = 0; i < count; i++)
                {
                    await outbox.EnqueueAsync(Outbox.Message($"digest:{i}", "digest", survivor.ServiceUrl, $"a:owner-{i}", ValueBotTestHost.TenantId, Activity.CreateMessage("n" + i)));
                }

                await transaction.CommitAsync();
                return 0;
            });

            // The other instance sends without a token (local mode); wait until both have been sending side by side.
            deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (Posts(survivor).Count(p => p.Authorization is null) < 40)
            {
                Assert.True(DateTime.UtcNow < deadline, "the second instance never got going:\n" + other.Output);
                await Task.Delay(100);
            }

            sharingFrom = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1.5); // a few heartbeats after both were seen
            await Task.Delay(TimeSpan.FromSeconds(6));
            other.Kill();
            killedAt = DateTimeOffset.UtcNow;
            leftAtKill = count - Posts(survivor).Select(p => p.Route[1]).Distinct().Count();
        }

        var finish = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (Posts(survivor).Select(p => p.Route[1]).Distinct().Count() < count && DateTime.UtcNow < finish)
        {
            await Task.Delay(250);
        }

        var mine = Posts(survivor).Where(p => p.Authorization is not null).Select(p => p.ReceivedAt).Order().ToList();
        var shared = MostInAnyWindow(mine.Where(t => t > sharingFrom && t < killedAt - TimeSpan.FromSeconds(0.5)), TimeSpan.FromSeconds(3));
        var alone = MostInAnyWindow(mine.Where(t => t > killedAt && t < killedAt + TimeSpan.FromSeconds(60)), TimeSpan.FromSeconds(3));
        Assert.True(shared <= 3 * ((Rate / 2) + 2), $"{shared} sends in 3 s while sharing: more than half of the budget (the survivor's sends per second from 3 s before the kill: {PerSecond(mine, killedAt)})");
        Assert.True(alone >= 3 * Rate * 0.8, $"only {alone} sends in the best 3 s after the other instance died ({leftAtKill} left to send then; the survivor's sends per second from 3 s before: {PerSecond(mine, killedAt)})");
        var stored = survivor.Connector.Stored.Where(r => r.Route.Count == 3).GroupBy(r => r.Route[1]).ToList();
        Assert.All(stored, g => Assert.Single(g)); // nobody twice
        Assert.True(stored.Count >= count - 16, $"{count - stored.Count} never arrived"); // at most the killed instance's sends in doubt
    }

    private static string PerSecond(List<DateTimeOffset> times, DateTimeOffset from) =>
        string.Join(' ', Enumerable.Range(-3, 15).Select(s => times.Count(t => t >= from + TimeSpan.FromSeconds(s) && t < from + TimeSpan.FromSeconds(s + 1))));

    private static int MostInAnyWindow(IEnumerable<DateTimeOffset> times, TimeSpan window)
    {
        var list = times.ToList();
        return list.Count == 0 ? 0 : list.Max(start => list.Count(t => t >= start && t < start + window));
    }

    /// <summary>The senders that have noted themselves alive in the database.</summary>
    private static Task<int> SendersAsync(ValueBotTestHost host) => host.WithScopeAsync(async sp =>
    {
        var connection = sp.GetRequiredService<ValueBotDbContext>().Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM outbox_senders";
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    });

    private static List<RecordedRequest> Posts(ValueBotTestHost host) =>
        host.Connector.Requests.Where(r => r.Method == "POST" && r.Route.Count == 3 && r.Route[2] == "activities").ToList();
}
