using ValueBot.Testing;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.CheckIns;

/// <summary>What the weekly cycle does with owners the outbox could not reach, or is not sure it reached.</summary>
public sealed class DeliveryTroubleTests
{
    private static readonly User Blocked = new("29:blocked", "aad-blocked", "Bea Blocked", "a:personal-blocked");
    private static readonly User Doubtful = new("29:doubt", "aad-doubt", "Dan Doubt", "a:personal-doubt");
    private static readonly User Admin = new("29:admin", "aad-admin", "Ann Admin", "a:personal-admin");

    private static DateTimeOffset Utc(int day, int hour) => new(2026, 3, day, hour, 0, 0, TimeSpan.Zero);

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task BlockedAndInDoubtOwnersAreReportedOnceAndTheInDoubtOneGetsTheReminderMarkedAsARepeat(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var clock = new ManualClock(Utc(9, 10)); // Monday 2026-W11
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Delivery:PollInterval"] = "00:00:00.050",
            ["Delivery:BackoffBase"] = "00:00:00.050",
            ["Delivery:BackoffMax"] = "00:00:00.200",
            ["Admin:TeamsAdmins"] = Admin.AadObjectId,
        }, clock);
        var blocked = await WeeklyCycleTests.SeedOwnerAsync(host, Blocked, "Europe/London", manager: null);
        var doubtful = await WeeklyCycleTests.SeedOwnerAsync(host, Doubtful, "Europe/London", manager: null);
        await WeeklyCycleTests.InstallAsync(host, Admin);
        host.Connector.Faults = request =>
            request.Route.Count == 3 && request.Route[1] == Blocked.ConversationId ? ScriptedResponse.Stopped("ConversationBlockedByUser")
            : request.Route.Count == 3 && request.Route[1] == Doubtful.ConversationId && !request.Body.Contains("In case") ? ScriptedResponse.ServerErrorAfterStoring(504)
            : null;

        Assert.Equal(2, (await WeeklyCycleTests.RunAsync(host)).Scheduled);
        await WeeklyCycleTests.RunAsync(host); // the delivery results are in: this run reports them

        // Each owner is reported exactly once; the blocked one may already be in the first run's report (Teams refused
        // it at once) and the one in doubt in the next, so the reports are counted per owner, not per card.
        var reports = AdminPosts(host);
        var blockedReport = Assert.Single(reports, r => r.Body.Contains(blocked.Name));
        Assert.True(CardReader.Shows(blockedReport.Body, "ConversationBlockedByUser"), string.Join("\n", CardReader.Shown(blockedReport.Body)));
        var doubtReport = Assert.Single(reports, r => r.Body.Contains(doubtful.Name));
        Assert.True(CardReader.Shows(doubtReport.Body, "In doubt"), string.Join("\n", CardReader.Shown(doubtReport.Body)));
        Assert.True(CardReader.Shows(doubtReport.Body, "504")); // the reason the outbox recorded, not the generic "no clear answer from Teams"
        Assert.False(CardReader.Shows(doubtReport.Body, "no clear answer from Teams"));
        await WeeklyCycleTests.RunAsync(host);
        Assert.Equal(reports.Count, AdminPosts(host).Count); // reported once

        clock.Set(Utc(11, 10)); // Wednesday: reminder time
        await WeeklyCycleTests.RunAsync(host);
        var doubtPosts = Stored(host, Doubtful);
        Assert.Equal(2, doubtPosts.Count); // the first card (stored despite the 504) and the marked repeat, nothing more
        Assert.True(CardReader.Shows(doubtPosts[1].Body, "first check-in card did not reach you"), string.Join("\n", CardReader.Shown(doubtPosts[1].Body)));
        Assert.Single(host.Connector.Requests, r => r.Route.Count == 3 && r.Route[1] == Blocked.ConversationId && r.Body.Contains("Weekly check-in:"));
    }

    private static List<RecordedRequest> AdminPosts(ValueBotTestHost host) =>
        WeeklyCycleTests.Posts(host).Where(p => p.Route[1] == Admin.ConversationId && p.Body.Contains("could not be delivered")).ToList();

    private static List<RecordedRequest> Stored(ValueBotTestHost host, User user) =>
        host.Connector.Stored.Where(r => r.Route.Count == 3 && r.Route[1] == user.ConversationId && r.Body.Contains("Weekly check-in:")).ToList();
}
