using System.Net;
using Microsoft.Extensions.Logging.Testing;
using ValueBot.Teams.Hosting;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Observability;

/// <summary>Every log written while an inbound activity is handled carries its activity id and conversation id.</summary>
public sealed class ActivityLogScopeTests
{
    [Fact]
    public async Task LogsWrittenWhileAnActivityIsRoutedCarryItsActivityAndConversationIds()
    {
        using var logs = new FakeLoggerProvider();
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(
            database.ConnectionString,
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Debug" },
            configure: b => b.Logging.AddProvider(logs));

        var first = Message(Ada, "help");
        var second = Message(Grace, "help");
        Assert.Equal(HttpStatusCode.OK, (await host.SendFromTeamsAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.SendFromTeamsAsync(second)).StatusCode);

        foreach (var activity in new[] { first, second })
        {
            var during = Entries(logs).Where(e => Equals(e.ScopeValues().GetValueOrDefault("ActivityId"), activity.Id)).ToList();
            // The endpoint's own "received" entry and the connector call the help command made, inside the router.
            Assert.Contains(during, e => e.Category == typeof(BotMessagesEndpoint).FullName && e.Id.Id == 1003);
            Assert.Contains(during, e => e.Id.Id == 1201 && e.Message.StartsWith("Connector POST", StringComparison.Ordinal));
            Assert.All(during, e => Assert.Equal(activity.Conversation!.Id, e.ScopeValues()["ConversationId"]));
            Assert.All(during, e => Assert.Equal("message", e.ScopeValues()["ActivityType"]));
        }

        // Nothing outside a turn (start-up, the outbox sender) claims to belong to one.
        Assert.Contains(Entries(logs), e => !e.ScopeValues().ContainsKey("ActivityId"));
    }

    private static IReadOnlyList<FakeLogRecord> Entries(FakeLoggerProvider logs) => logs.Collector.GetSnapshot();
}
