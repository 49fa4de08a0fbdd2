using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValueBot.Teams.Schema;
using ValueBot.Testing;
using ValueBot.Web.Delivery;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;

namespace ValueBot.Web.Tests.Hosting;

/// <summary>Stopping an instance (SIGTERM on a scale-in or a deployment) loses and duplicates nothing.</summary>
public sealed class GracefulShutdownTests
{
    private const int Count = 40;

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task StoppingWhileSendsAreInFlightLeavesEveryMessageSentOnceOrPending(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Delivery:PollInterval"] = "00:00:00.050",
            ["Delivery:LeaseDuration"] = "00:00:20",
            // 8 claimed at a time, 4 of them on the wire per second: the others wait for a rate slot.
            ["Delivery:MaxConcurrency"] = "8",
            ["Delivery:RequestsPerSecondPerTenant"] = "4",
            ["Hosting:ShutdownTimeout"] = "00:00:30",
        });
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());

        // Teams is slow: the first sends reach it and wait there for an answer.
        host.Connector.HoldResponses();
        for (var i = 0; i < Count; i++)
        {
            await EnqueueAsync(host, $"checkin:{i}:2026-W47", $"a:owner-{i}");
        }

        var inFlight = await WaitForPostsAsync(host, 4);
        var stop = host.StopAsync();
        await stopping.Task;
        // Once the sender has seen the stop, the claimed messages still waiting for a rate slot are handed back:
        // only those on the wire stay Sending. Then Teams answers.
        await WaitUntilAsync(async () => await CountSendingAsync(host) == Posts(host).Count);
        host.Connector.ReleaseResponses();
        await stop;

        var rows = await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<OutboxMessage>().AsNoTracking().ToListAsync());
        var received = Posts(host).GroupBy(p => p.Route[1]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Count, rows.Count);
        Assert.All(rows, r => Assert.True(r.State is OutboxState.Sent or OutboxState.Pending, $"{r.DedupeKey} ended {r.State}"));
        Assert.All(rows.Where(r => r.State == OutboxState.Sent), r => Assert.Equal(1, received.GetValueOrDefault(r.ConversationId)));
        Assert.All(rows.Where(r => r.State == OutboxState.Pending), r => Assert.False(received.ContainsKey(r.ConversationId), $"{r.DedupeKey} was sent but left Pending"));
        Assert.All(rows.Where(r => r.State == OutboxState.Pending), r => Assert.Null(r.LeaseOwner));
        // The sends that were on the wire when the stop began were finished and recorded, not abandoned.
        Assert.All(inFlight, p => Assert.Equal(OutboxState.Sent, rows.Single(r => r.ConversationId == p.Route[1]).State));
        // And the stop came before the outbox was empty: some were handed back for the next instance.
        Assert.Contains(rows, r => r.State == OutboxState.Pending);
        Assert.All(rows.Where(r => r.State == OutboxState.Pending), r => Assert.Equal(0, r.Attempts));
    }

    [Fact]
    public async Task TheShutdownTimeoutComesFromConfigurationAndIsChecked()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using (var host = await ValueBotTestHost.StartAsync(database.ConnectionString))
        {
            Assert.Equal(TimeSpan.FromSeconds(40), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        }

        await using (var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Hosting:ShutdownTimeout"] = "00:01:30" }))
        {
            Assert.Equal(TimeSpan.FromSeconds(90), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        }

        var refused = await Assert.ThrowsAnyAsync<Exception>(() =>
            ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?> { ["Hosting:ShutdownTimeout"] = "00:00:00" }));
        Assert.Contains("Hosting:ShutdownTimeout must be between", refused.ToString(), StringComparison.Ordinal);
    }

    private static Task EnqueueAsync(ValueBotTestHost host, string key, string conversationId) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<Outbox>().EnqueueAsync(
            Outbox.Message(key, "checkin", host.ServiceUrl, conversationId, ValueBotTestHost.TenantId, Activity.CreateMessage("Check-in " + key))));

    private static List<RecordedRequest> Posts(ValueBotTestHost host) =>
        host.Connector.Requests.Where(r => r.Method == "POST" && r.Route.Count == 3 && r.Route[2] == "activities").ToList();

    private static Task<int> CountSendingAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<OutboxMessage>().CountAsync(m => m.State == OutboxState.Sending));

    private static async Task<List<RecordedRequest>> WaitForPostsAsync(ValueBotTestHost host, int count)
    {
        await WaitUntilAsync(() => Task.FromResult(Posts(host).Count >= count));
        return Posts(host);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The outbox did not reach the expected state.");
            }

            await Task.Delay(20);
        }
    }
}
