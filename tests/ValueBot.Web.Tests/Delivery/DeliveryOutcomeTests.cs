using Microsoft.EntityFrameworkCore;
using ValueBot.Testing;
using ValueBot.Teams.Schema;
using ValueBot.Web.Delivery;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;

namespace ValueBot.Web.Tests.Delivery;

/// <summary>How each kind of connector answer ends an outbox message: retried, in doubt, or stopped.</summary>
public sealed class DeliveryOutcomeTests
{
    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Delivery:PollInterval"] = "00:00:00.050",
        ["Delivery:BackoffBase"] = "00:00:00.050",
        ["Delivery:BackoffMax"] = "00:00:00.300",
        ["Delivery:LeaseDuration"] = "00:00:20",
        ["Delivery:ThrottleDelay"] = "00:00:01",
    };

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task GatewayFailuresThatMayHaveStoredTheCardAreNeverPostedAgain(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(db.ConnectionString, Fast);
        const int count = 1000;
        // 30 % of first posts fail: half 503 (refused, nothing stored), half 500/502/504, of which 40 % had stored the
        // message (20 % of all failures committed). Retries of a 503 go through.
        var random = new Random(11);
        var failedOnce = new System.Collections.Concurrent.ConcurrentDictionary<string, ScriptedResponse>();
        host.Connector.Faults = request =>
        {
            if (request.Route.Count != 3)
            {
                return null;
            }

            lock (random)
            {
                if (failedOnce.ContainsKey(request.Route[1]) || random.NextDouble() >= 0.3)
                {
                    return null;
                }

                var fault = random.NextDouble() < 0.5
                    ? ScriptedResponse.ServerError(503)
                    : ScriptedResponse.ServerError(new[] { 500, 502, 504 }[random.Next(3)]) with { Committed = random.NextDouble() < 0.4 };
                failedOnce[request.Route[1]] = fault;
                return fault;
            }
        };

        await EnqueueAsync(host, Enumerable.Range(0, count).Select(i => $"a:owner-{i}"));
        var rows = await WaitUntilFinishedAsync(host, count, TimeSpan.FromSeconds(120));

        var stored = host.Connector.Stored.Where(r => r.Route.Count == 3).GroupBy(r => r.Route[1]).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(stored, s => Assert.Equal(1, s.Value)); // not one owner has two cards
        foreach (var row in rows)
        {
            var fault = failedOnce.GetValueOrDefault(row.ConversationId);
            if (fault is { Status: 500 or 502 or 504 })
            {
                Assert.Equal(OutboxState.InDoubt, row.State);
                Assert.Equal(fault.Committed ? 1 : 0, stored.GetValueOrDefault(row.ConversationId));
            }
            else
            {
                Assert.Equal(OutboxState.Sent, row.State);
                Assert.Equal(1, stored.GetValueOrDefault(row.ConversationId));
            }
        }

        Assert.True(failedOnce.Values.Count(f => f.Status != 503) > 100, "too few ambiguous failures were injected");
        Assert.True(failedOnce.Values.Count(f => f.Committed) > 30, "too few committed failures were injected");
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ASendSlowerThanTheClientTimeoutIsInDoubtAndNotRepeated(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(db.ConnectionString, new Dictionary<string, string?>(Fast) { ["Bot:ConnectorTimeout"] = "00:00:01.500", ["Bot:TokenTimeout"] = "00:00:01" });
        const int count = 200;
        var slow = Enumerable.Range(0, count).Where(i => i % 20 == 7).Select(i => $"a:owner-{i}").ToHashSet(); // 5 %
        host.Connector.Faults = request => request.Route.Count == 3 && slow.Contains(request.Route[1])
            ? ScriptedResponse.Slow(TimeSpan.FromSeconds(5), "slow-" + request.Route[1])
            : null;

        await EnqueueAsync(host, Enumerable.Range(0, count).Select(i => $"a:owner-{i}"));
        var rows = await WaitUntilFinishedAsync(host, count, TimeSpan.FromSeconds(60));

        Assert.All(rows.Where(r => slow.Contains(r.ConversationId)), r => Assert.Equal(OutboxState.InDoubt, r.State));
        // On a loaded machine an ordinary send can pass the timeout too: then it is in doubt as well, never repeated.
        Assert.All(rows.Where(r => !slow.Contains(r.ConversationId)), r => Assert.Contains(r.State, new[] { OutboxState.Sent, OutboxState.InDoubt }));
        Assert.True(rows.Count(r => r.State == OutboxState.Sent) >= (count - slow.Count) * 9 / 10, "most ordinary sends should have been answered in time");
        var posts = host.Connector.Requests.Where(r => r.Method == "POST" && r.Route.Count == 3).ToList();
        Assert.Equal(count, posts.Count);
        Assert.All(posts.GroupBy(p => p.Route[1]), g => Assert.Single(g));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnOwnerFailingTransientlyForAnHourGetsTheCardOnceTheConnectorRecovers(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        var start = new DateTimeOffset(2026, 3, 9, 9, 0, 0, TimeSpan.Zero);
        var clock = new ManualClock(start);
        await using var host = await ValueBotTestHost.StartAsync(db.ConnectionString, new Dictionary<string, string?>(Fast) { ["Delivery:BackoffMax"] = "00:10:00" }, clock);
        host.Connector.Faults = request => request.Route.Count == 3 && clock.GetUtcNow() < start.AddHours(1)
            ? (request.Body.Length % 2 == 0 ? ScriptedResponse.Unavailable(1) : ScriptedResponse.ServerError(503))
            : null;
        await EnqueueAsync(host, ["a:unlucky"], expiresAt: start.AddDays(3));

        // The clock runs on in ten-minute jumps: every retry that falls due is tried, against a connector that refuses.
        for (var minutes = 10; minutes <= 70; minutes += 10)
        {
            await Task.Delay(700);
            clock.Set(start.AddMinutes(minutes));
        }

        var row = Assert.Single(await WaitUntilFinishedAsync(host, 1, TimeSpan.FromSeconds(30)));
        Assert.Equal(OutboxState.Sent, row.State);
        Assert.True(row.Attempts > 5, $"only {row.Attempts} attempts over the hour");
        Assert.Single(host.Connector.Stored, r => r.Route.Count == 3);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task TeamsStopSendingCodeEndsEveryMessageForThatConversation(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(db.ConnectionString, new Dictionary<string, string?>(Fast) { ["Delivery:MaxConcurrency"] = "1", ["Delivery:BatchSize"] = "1" });
        host.Connector.Enqueue(ScriptedResponse.Stopped("ConversationBlockedByUser"));
        await EnqueueAsync(host, ["a:blocked", "a:blocked", "a:blocked"]);

        var rows = await WaitUntilFinishedAsync(host, 3);

        Assert.All(rows, r => Assert.Equal(OutboxState.Undeliverable, r.State));
        Assert.All(rows, r => Assert.Equal("ConversationBlockedByUser", r.ErrorCode));
        Assert.Single(host.Connector.Requests, r => r.Route.Count == 3); // the first one told us; the others were not tried
    }

    private static async Task EnqueueAsync(ValueBotTestHost host, IEnumerable<string> conversations, DateTimeOffset? expiresAt = null)
    {
        var i = 0;
        await host.WithScopeAsync(async sp =>
        {
            var outbox = sp.GetRequiredService<Outbox>();
            foreach (var conversation in conversations)
            {
                var n = i++;
                await outbox.EnqueueAsync(Outbox.Message($"checkin:{n}:2026-W11", "checkin", host.ServiceUrl, conversation, ValueBotTestHost.TenantId,
                    Activity.CreateMessage("Check-in " + n), expiresAt: expiresAt));
            }

            return 0;
        });
    }

    private static async Task<List<OutboxMessage>> WaitUntilFinishedAsync(ValueBotTestHost host, int expected, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var rows = await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<OutboxMessage>().AsNoTracking().OrderBy(m => m.Id).ToListAsync());
            if (rows.Count >= expected && rows.All(r => r.State is not (OutboxState.Pending or OutboxState.Sending)))
            {
                return rows;
            }

            if (DateTime.UtcNow > deadline)
            {
                var open = rows.Where(r => r.State is OutboxState.Pending or OutboxState.Sending).Take(5).Select(r => $"{r.DedupeKey}={r.State}/{r.Attempts}/{r.LastError}");
                throw new TimeoutException($"{rows.Count(r => r.State is OutboxState.Pending or OutboxState.Sending)} of {rows.Count} messages still open: {string.Join(", ", open)}");
            }

            await Task.Delay(100);
        }
    }
}
