using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ValueBot.Teams.Connector;
using ValueBot.Teams.Schema;
using ValueBot.Testing;
using ValueBot.Web.Delivery;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;

namespace ValueBot.Web.Tests.Delivery;

/// <summary>The outbox and its sender against the real host, a real database and the loopback connector.</summary>
public sealed class OutboxDeliveryTests
{
    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Delivery:PollInterval"] = "00:00:00.050",
        ["Delivery:BackoffBase"] = "00:00:00.050",
        ["Delivery:BackoffMax"] = "00:00:00.400",
        ["Delivery:LeaseDuration"] = "00:00:20",
        ["Delivery:ThrottleDelay"] = "00:00:01",
    };

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task DeliversEveryMessageExactlyOnce(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(db.ConnectionString, Fast);

        await EnqueueAsync(host, Enumerable.Range(0, 200).Select(i => ($"checkin:{i}:2026-W47", $"a:owner-{i}")));
        var rows = await WaitUntilFinishedAsync(host, 200);

        Assert.All(rows, r => Assert.Equal(OutboxState.Sent, r.State));
        Assert.All(rows, r => Assert.StartsWith("activity-", r.SentActivityId));
        Assert.Equal(200, rows.Select(r => r.SentActivityId).Distinct().Count());
        await Task.Delay(300);
        var posts = Posts(host);
        Assert.Equal(200, posts.Count);
        Assert.All(posts.GroupBy(p => p.Route[1]), g => Assert.Single(g));
        Assert.Equal("Bearer outbound-test-token", posts[0].Authorization);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task RetriesServerErrorsAndThrottlingUntilEveryMessageIsDeliveredOnce(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(db.ConnectionString, Fast);
        const int count = 100;
        var random = new Random(47);
        var failures = 0;
        for (var i = 0; i < count; i++)
        {
            if (i % 30 == 10)
            {
                for (var b = 0; b < 3; b++, failures++)
                {
                    host.Connector.Enqueue(ScriptedResponse.TooManyRequests(1));
                }
            }

            if (random.NextDouble() < 0.3)
            {
                host.Connector.Enqueue(ScriptedResponse.ServerError(503));
                failures++;
            }
            else
            {
                host.Connector.Enqueue(new ScriptedResponse(201, $$"""{"id":"scripted-{{i}}"}"""));
            }
        }

        await EnqueueAsync(host, Enumerable.Range(0, count).Select(i => ($"checkin:{i}:2026-W47", $"a:owner-{i}")));
        var rows = await WaitUntilFinishedAsync(host, count, TimeSpan.FromSeconds(60));

        Assert.All(rows, r => Assert.Equal(OutboxState.Sent, r.State));
        await Task.Delay(300);
        var posts = Posts(host);
        // Every scripted failure was answered to exactly one POST; all other POSTs succeeded. With every message Sent,
        // count + failures POSTs means exactly one successful POST per message: nothing was delivered twice.
        Assert.Equal(count + failures, posts.Count);
        Assert.Equal(count, posts.Select(p => p.Route[1]).Distinct().Count());
        Assert.True(failures > 30, $"only {failures} failures were injected");
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task MarksRecipientGoneUndeliverableWithoutRetryingAndTellsObservers(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(db.ConnectionString, Disabled());
        host.Connector.Enqueue(ScriptedResponse.Forbidden());
        host.Connector.Enqueue(ScriptedResponse.NotFound());
        await EnqueueAsync(host, [("checkin:1:2026-W47", "a:gone-1"), ("checkin:2:2026-W47", "a:gone-2")]);
        var observer = new RecordingObserver();

        await RunSenderAsync(host, observer, async () => await WaitUntilFinishedAsync(host, 2));

        var rows = await RowsAsync(host);
        Assert.All(rows, r => Assert.Equal(OutboxState.Undeliverable, r.State));
        Assert.All(rows, r => Assert.Equal(1, r.Attempts));
        Assert.Equal(2, Posts(host).Count);
        Assert.Equal(["checkin:1:2026-W47", "checkin:2:2026-W47"], observer.Reports.Select(r => r.DedupeKey).Order());
        Assert.All(observer.Reports, r => Assert.Equal(OutboxState.Undeliverable, r.State));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task MarksTooLargeMessageFailedWithoutRetrying(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(db.ConnectionString, Fast);
        host.Connector.Enqueue(ScriptedResponse.TooLarge());

        await EnqueueAsync(host, [("checkin:1:2026-W47", "a:big")]);
        var row = Assert.Single(await WaitUntilFinishedAsync(host, 1));

        Assert.Equal(OutboxState.Failed, row.State);
        Assert.Contains("413", row.LastError);
        await Task.Delay(300);
        Assert.Single(Posts(host));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task KeepsRetryingAnUnavailableConnectorUntilTheMessageExpiresThenGivesUp(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(db.ConnectionString, Fast);
        host.Connector.Faults = _ => ScriptedResponse.ServerError(503);

        await host.WithScopeAsync(sp =>
        {
            var message = Message("checkin:1:2026-W47", "a:flaky");
            message.ServiceUrl = host.ServiceUrl;
            message.ExpiresAt = host.Time.GetUtcNow().UtcDateTime.AddSeconds(3);
            return sp.GetRequiredService<Outbox>().EnqueueAsync(message);
        });
        var row = Assert.Single(await WaitUntilFinishedAsync(host, 1));

        Assert.Equal(OutboxState.Failed, row.State);
        Assert.StartsWith("gave up", row.LastError);
        Assert.True(row.Attempts > 5, $"only {row.Attempts} attempts before the expiry");
        Assert.DoesNotContain(host.Connector.Stored, r => r.Route.Count == 3);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task EnqueueingTheSameKeyTwiceSendsOnce(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(db.ConnectionString, Fast);

        var first = await EnqueueOneAsync(host, "checkin:7:2026-W47", "a:owner-7");
        var second = await EnqueueOneAsync(host, "checkin:7:2026-W47", "a:owner-7");
        await WaitUntilFinishedAsync(host, 1);
        var third = await EnqueueOneAsync(host, "checkin:7:2026-W47", "a:owner-7");

        Assert.Equal(EnqueueResult.Queued, first);
        Assert.Equal(EnqueueResult.AlreadyQueued, second);
        Assert.Equal(EnqueueResult.AlreadyQueued, third);
        await Task.Delay(300);
        Assert.Single(Posts(host));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task EnqueueJoinsTheCallersTransaction(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(db.ConnectionString, Disabled());

        await host.WithScopeAsync(async sp =>
        {
            var context = sp.GetRequiredService<ValueBotDbContext>();
            var outbox = sp.GetRequiredService<Outbox>();
            await using (var rolledBack = await context.Database.BeginTransactionAsync())
            {
                await outbox.EnqueueAsync(Message("checkin:1:2026-W47", "a:one"));
                await rolledBack.RollbackAsync();
            }

            await using (var committed = await context.Database.BeginTransactionAsync())
            {
                await outbox.EnqueueAsync(Message("checkin:2:2026-W47", "a:two"));
                // A duplicate inside the transaction must not spoil it (on PostgreSQL a unique violation would).
                Assert.Equal(EnqueueResult.AlreadyQueued, await outbox.EnqueueAsync(Message("checkin:2:2026-W47", "a:two")));
                await committed.CommitAsync();
            }

            return 0;
        });

        var rows = await RowsAsync(host);
        Assert.Equal("checkin:2:2026-W47", Assert.Single(rows).DedupeKey);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task TwoSendersSharingOneDatabaseSendEveryMessageOnce(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(db.ConnectionString, Disabled());
        const int count = 300;
        await EnqueueAsync(host, Enumerable.Range(0, count).Select(i => ($"checkin:{i}:2026-W47", $"a:owner-{i}")));
        var options = Options(batchSize: 7, concurrency: 8);
        var a = CreateSender(host, options, new RecordingObserver());
        var b = CreateSender(host, options, new RecordingObserver());

        await a.StartAsync(CancellationToken.None);
        await b.StartAsync(CancellationToken.None);
        var rows = await WaitUntilFinishedAsync(host, count, TimeSpan.FromSeconds(60));
        await a.StopAsync(CancellationToken.None);
        await b.StopAsync(CancellationToken.None);

        Assert.All(rows, r => Assert.Equal(OutboxState.Sent, r.State));
        var posts = Posts(host);
        Assert.Equal(count, posts.Count);
        Assert.Equal(count, posts.Select(p => p.Route[1]).Distinct().Count());
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task PicksUpAMessageWhoseSenderCrashedOnceItsLeaseExpires(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(db.ConnectionString, Disabled());
        await EnqueueAsync(host, [("checkin:1:2026-W47", "a:expired"), ("checkin:2:2026-W47", "a:still-leased")]);
        var now = host.Time.GetUtcNow().UtcDateTime;
        await host.WithScopeAsync(async sp =>
        {
            var context = sp.GetRequiredService<ValueBotDbContext>();
            var expired = now.AddMinutes(-1);
            var live = now.AddMinutes(10);
            await context.Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE outbox_messages SET state = 'Sending', lease_owner = 'crashed', attempts = 1, lease_until = {expired} WHERE dedupe_key = 'checkin:1:2026-W47'");
            return await context.Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE outbox_messages SET state = 'Sending', lease_owner = 'alive', attempts = 1, lease_until = {live} WHERE dedupe_key = 'checkin:2:2026-W47'");
        });

        await RunSenderAsync(host, new RecordingObserver(), async () =>
        {
            await host.Connector.WaitForRequestAsync(r => r.Method == "POST");
            await Task.Delay(500);
            return 0;
        });

        var rows = (await RowsAsync(host)).ToDictionary(r => r.DedupeKey);
        Assert.Equal(OutboxState.Sent, rows["checkin:1:2026-W47"].State);
        Assert.Equal(2, rows["checkin:1:2026-W47"].Attempts);
        Assert.Equal(OutboxState.Sending, rows["checkin:2:2026-W47"].State);
        Assert.Equal("alive", rows["checkin:2:2026-W47"].LeaseOwner);
        Assert.Equal("a:expired", Assert.Single(Posts(host)).Route[1]);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task SendsNoMoreThanSevenMessagesToOneConversationInAnySecond(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(db.ConnectionString, Fast);

        await EnqueueAsync(host, Enumerable.Range(0, 20).Select(i => ($"digest:{i}", "a:busy-channel")));
        await WaitUntilFinishedAsync(host, 20, TimeSpan.FromSeconds(60));

        var times = Posts(host).Select(p => p.ReceivedAt).Order().ToList();
        Assert.Equal(20, times.Count);
        for (var i = 0; i < times.Count; i++)
        {
            Assert.True(times.Count(t => t >= times[i] && t < times[i] + TimeSpan.FromSeconds(1)) <= 7, $"more than 7 sends within 1 s of {times[i]:O}: {string.Join(", ", times.Select(t => (t - times[0]).TotalMilliseconds))}");
            Assert.True(times.Count(t => t >= times[i] && t < times[i] + TimeSpan.FromSeconds(2)) <= 8, $"more than 8 sends within 2 s of {times[i]:O}");
        }
    }

    [Fact]
    public async Task RefusesToStartWithARateAboveTeamsLimit()
    {
        await using var db = TestDatabase.CreateSqlite();
        var error = await Assert.ThrowsAnyAsync<OptionsValidationException>(() =>
            ValueBotTestHost.StartAsync(db.ConnectionString, new Dictionary<string, string?> { ["Delivery:RequestsPerSecondPerTenant"] = "100" }));
        Assert.Contains("RequestsPerSecondPerTenant", error.Message);
    }

    private static Dictionary<string, string?> Disabled() => new(Fast) { ["Delivery:Enabled"] = "false" };

    private static DeliveryOptions Options(int batchSize = 50, int concurrency = 16) => new()
    {
        PollInterval = TimeSpan.FromMilliseconds(50),
        BackoffBase = TimeSpan.FromMilliseconds(50),
        BackoffMax = TimeSpan.FromMilliseconds(400),
        LeaseDuration = TimeSpan.FromSeconds(20),
        BatchSize = batchSize,
        MaxConcurrency = concurrency,
    };

    private static OutboxSender CreateSender(ValueBotTestHost host, DeliveryOptions options, IDeliveryObserver observer) => new(
        host.Services.GetRequiredService<IConnectorClient>(),
        host.Services.GetRequiredService<OutboxStore>(),
        Microsoft.Extensions.Options.Options.Create(options),
        1,
        host.Time,
        [observer],
        NullLogger<OutboxSender>.Instance);

    private static async Task RunSenderAsync<T>(ValueBotTestHost host, IDeliveryObserver observer, Func<Task<T>> until)
    {
        var sender = CreateSender(host, Options(), observer);
        await sender.StartAsync(CancellationToken.None);
        try
        {
            await until();
        }
        finally
        {
            await sender.StopAsync(CancellationToken.None);
        }
    }

    private static OutboxMessage Message(string key, string conversationId) =>
        Outbox.Message(key, key.Split(':')[0], "PLACEHOLDER", conversationId, ValueBotTestHost.TenantId, Activity.CreateMessage("Check-in " + key));

    private static Task<EnqueueResult> EnqueueOneAsync(ValueBotTestHost host, string key, string conversationId) =>
        host.WithScopeAsync(sp =>
        {
            var message = Message(key, conversationId);
            message.ServiceUrl = host.ServiceUrl;
            return sp.GetRequiredService<Outbox>().EnqueueAsync(message);
        });

    private static async Task EnqueueAsync(ValueBotTestHost host, IEnumerable<(string Key, string ConversationId)> messages)
    {
        foreach (var (key, conversationId) in messages)
        {
            await EnqueueOneAsync(host, key, conversationId);
        }
    }

    private static List<RecordedRequest> Posts(ValueBotTestHost host) =>
        host.Connector.Requests.Where(r => r.Method == "POST" && r.Route.Count == 3 && r.Route[2] == "activities").ToList();

    private static Task<List<OutboxMessage>> RowsAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<OutboxMessage>().AsNoTracking().OrderBy(m => m.Id).ToListAsync());

    private static async Task<List<OutboxMessage>> WaitUntilFinishedAsync(ValueBotTestHost host, int expected, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var rows = await RowsAsync(host);
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

    private sealed class RecordingObserver : IDeliveryObserver
    {
        private readonly ConcurrentQueue<DeliveryReport> _reports = new();

        public IReadOnlyList<DeliveryReport> Reports => _reports.ToArray();

        public Task OnDeliveryFinishedAsync(DeliveryReport report, CancellationToken cancellationToken)
        {
            _reports.Enqueue(report);
            return Task.CompletedTask;
        }
    }
}

/// <summary>Several instances share Teams' per-tenant budget.</summary>
public sealed class SendRateShareTests
{
    [Theory]
    [InlineData(1, 50)]
    [InlineData(2, 25)]
    [InlineData(3, 16)]
    [InlineData(80, 1)]
    public void EachInstanceTakesItsShareOfTheTenantRate(int instances, int expected)
    {
        var options = new DeliveryOptions { RequestsPerSecondPerTenant = 50, LeaseDuration = TimeSpan.FromSeconds(20) };

        var share = OutboxSender.PerInstance(options, instances);

        Assert.Equal(expected, share.RequestsPerSecondPerTenant);
        Assert.True(share.RequestsPerSecondPerTenant * instances <= 50 || share.RequestsPerSecondPerTenant == 1);
        Assert.Equal(TimeSpan.FromSeconds(20), share.LeaseDuration);
        Assert.Equal(options.ConversationLimitPerSecond, share.ConversationLimitPerSecond);
    }
}
