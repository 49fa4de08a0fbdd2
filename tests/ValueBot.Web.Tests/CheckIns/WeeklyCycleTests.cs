using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Testing;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Delivery;
using ValueBot.Web.Installations;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Support.TeamsActivities;
using ValueBot.Web.People;

namespace ValueBot.Web.Tests.CheckIns;

/// <summary>
/// The weekly loop (send, remind, close, escalate) through the real host, database, outbox and sender, with a
/// clock the test moves: each owner's week runs in their own time zone.
/// </summary>
public sealed class WeeklyCycleTests
{
    private static readonly User Linus = new("29:linus", "aad-linus", "Linus Tanaka", "a:personal-linus");
    private static readonly User Boss = new("29:boss", "aad-boss", "Barbara Boss", "a:personal-boss");
    private static readonly IsoWeek W11 = IsoWeek.Parse("2026-W11");
    private static readonly IsoWeek W12 = IsoWeek.Parse("2026-W12");

    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Delivery:PollInterval"] = "00:00:00.050",
        ["Delivery:BackoffBase"] = "00:00:00.050",
        ["Delivery:BackoffMax"] = "00:00:00.200",
        ["Admin:TeamsAdmins"] = Boss.AadObjectId,
    };

    private static DateTimeOffset Utc(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task WalksTwoWeeksInEachOwnersTimeZone(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var clock = new ManualClock(Utc(8, 23));
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, Fast, clock);
        // Berlin is UTC+1 in March; New York moved to summer time (UTC−4) on 8 March 2026; Tokyo is UTC+9.
        var ada = await SeedOwnerAsync(host, Ada, "Europe/Berlin", manager: Boss);
        var grace = await SeedOwnerAsync(host, Grace, "America/New_York", manager: Boss);
        var linus = await SeedOwnerAsync(host, Linus, "Asia/Tokyo", manager: Boss);
        await InstallAsync(host, Boss);

        // Sunday 23:00 UTC is Monday 08:00 in Tokyo: nobody's 09:00 yet.
        Assert.Equal(0, (await RunAsync(host)).Scheduled);

        clock.Set(Utc(9, 0)); // Monday 09:00 Tokyo
        Assert.Equal(1, (await RunAsync(host)).Scheduled);
        clock.Set(Utc(9, 8)); // 09:00 Berlin
        Assert.Equal(1, (await RunAsync(host)).Scheduled);
        clock.Set(Utc(9, 12, 59)); // 08:59 New York
        Assert.Equal(0, (await RunAsync(host)).Scheduled);
        clock.Set(Utc(9, 13)); // 09:00 New York
        Assert.Equal(1, (await RunAsync(host)).Scheduled);
        Assert.Equal(0, (await RunAsync(host)).Scheduled); // a repeated tick sends nothing again
        await SettleAsync(host);

        Assert.All(new[] { Ada, Grace, Linus }, u => Assert.Single(CheckInCards(host, u)));
        var rows = await RowsAsync(host, W11);
        Assert.All(rows, r => Assert.Equal(CheckInStatus.Sent, r.Status));
        Assert.All(rows, r => Assert.StartsWith("activity-", r.ActivityId));
        Assert.Equal("Asia/Tokyo", rows.Single(r => r.UseCaseId == linus.Id).TimeZone);
        Assert.Equal(new DateTime(2026, 3, 13, 16, 0, 0), rows.Single(r => r.UseCaseId == grace.Id).DeadlineAt); // Friday 12:00 EDT

        // Ada answers on Tuesday through the card.
        clock.Set(Utc(10, 9));
        await AnswerAsync(host, Ada, ada.Id, W11);

        // Wednesday 09:00 in each zone: reminders only to those who have not answered.
        clock.Set(Utc(11, 0)); // Tokyo
        Assert.Equal(1, (await RunAsync(host)).Reminded);
        clock.Set(Utc(11, 13)); // New York; Berlin passed too, but Ada has answered
        Assert.Equal(1, (await RunAsync(host)).Reminded);
        Assert.Equal(0, (await RunAsync(host)).Reminded);
        await SettleAsync(host);
        Assert.Empty(Reminders(host, Ada));
        Assert.Single(Reminders(host, Grace));
        Assert.Single(Reminders(host, Linus));

        // Friday 12:00: Tokyo closes at 03:00 UTC, New York at 16:00 UTC.
        clock.Set(Utc(13, 3));
        Assert.Equal(1, (await RunAsync(host)).Missed);
        Assert.Equal(CheckInStatus.Missed, (await RowAsync(host, linus.Id, W11)).Status);
        Assert.Equal(CheckInStatus.Sent, (await RowAsync(host, grace.Id, W11)).Status);
        clock.Set(Utc(13, 16));
        var friday = await RunAsync(host);
        Assert.Equal((1, 0), (friday.Missed, friday.Escalated)); // a first miss is not escalated
        Assert.Equal(CheckInStatus.Answered, (await RowAsync(host, ada.Id, W11)).Status);

        // Week 12: nobody answers. Ada's second week is her first miss; Grace and Linus miss twice in a row.
        foreach (var hour in new[] { 0, 8, 13 })
        {
            clock.Set(Utc(16, hour));
            await RunAsync(host);
        }

        await SettleAsync(host);
        Assert.All(new[] { Ada, Grace, Linus }, u => Assert.Equal(2, CheckInCards(host, u).Count));
        Assert.Equal("120", CardReader.FromActivity(CheckInCards(host, Ada)[1].Body).Input(AnswerFields.Tasks).Value); // last week's answer prefilled

        clock.Set(Utc(20, 17)); // Friday after every deadline
        var report = await RunAsync(host);
        Assert.Equal((3, 2), (report.Missed, report.Escalated));
        Assert.Equal(0, (await RunAsync(host)).Escalated);
        await SettleAsync(host);
        var escalations = Escalations(host);
        Assert.Equal(2, escalations.Count);
        Assert.Contains(escalations, e => e.Body.Contains(grace.Name) && e.Body.Contains("2026-W11") && e.Body.Contains("2026-W12"));
        Assert.Contains(escalations, e => e.Body.Contains(linus.Name));
        Assert.DoesNotContain(escalations, e => e.Body.Contains(ada.Name));
        Assert.All(escalations, e => Assert.Equal(Boss.ConversationId, e.Route[1]));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AfterDowntimeCatchesUpOnceWithoutALateReminder(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var clock = new ManualClock(Utc(6, 12)); // the Friday before: nothing due
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, Fast, clock);
        var useCase = await SeedOwnerAsync(host, Ada, "Europe/Berlin", manager: null);
        Assert.Equal(0, (await RunAsync(host)).Scheduled);

        clock.Set(Utc(12, 10)); // back on Thursday: Monday's send and Wednesday's reminder were missed
        var report = await RunAsync(host);
        Assert.Equal((1, 0), (report.Scheduled, report.Reminded));
        await SettleAsync(host);
        clock.Set(Utc(12, 10, 5));
        Assert.Equal((0, 0), ((await RunAsync(host)).Scheduled, (await RunAsync(host)).Reminded));
        await SettleAsync(host);

        Assert.Single(CheckInCards(host, Ada));
        Assert.Empty(Reminders(host, Ada));
        Assert.Equal(CheckInStatus.Sent, (await RowAsync(host, useCase.Id, W11)).Status);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task OwnerWithoutValueBotIsReportedToAdminsOnceAndReachedOnceInstalled(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var clock = new ManualClock(Utc(9, 10));
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, Fast, clock);
        var useCase = await SeedOwnerAsync(host, Grace, "Europe/London", manager: null, install: false);
        await InstallAsync(host, Boss);

        var first = await RunAsync(host);
        Assert.Equal((0, 1), (first.Scheduled, first.Unreachable));
        Assert.Equal(0, (await RunAsync(host)).Unreachable);
        await SettleAsync(host);
        var row = await RowAsync(host, useCase.Id, W11);
        Assert.Equal(CheckInStatus.Undeliverable, row.Status);
        Assert.Equal(CheckInCycle.NotInstalledReason, row.UndeliverableReason);
        var notice = Assert.Single(Posts(host), p => p.Route[1] == Boss.ConversationId && p.Body.Contains("could not be delivered"));
        Assert.Contains("could not reach", notice.Body);
        Assert.Contains(useCase.Name, notice.Body);

        await InstallAsync(host, Grace);
        clock.Set(Utc(10, 9));
        Assert.Equal(1, (await RunAsync(host)).Scheduled);
        await SettleAsync(host);
        Assert.Single(CheckInCards(host, Grace));
        Assert.Equal(CheckInStatus.Sent, (await RowAsync(host, useCase.Id, W11)).Status);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task OwnerWithoutValueBotIsInstalledThroughGraphAndGetsTheCardInTheNewChat(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var graph = await FakeGraph.StartAsync();
        var app = graph.AddCatalogApp(new GraphCatalogApp("catalog-app-1", GraphExternalId, "ValueBot"));
        graph.AddUser(new GraphUser(Grace.AadObjectId, "grace@contoso.example", Grace.Name));
        var clock = new ManualClock(Utc(9, 10));
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, WithGraph(graph), clock);
        var useCase = await SeedOwnerAsync(host, Grace, "Europe/London", manager: null, install: false);
        await InstallAsync(host, Boss); // any installation tells the tenant's serviceUrl

        var report = await RunAsync(host);

        Assert.Equal((1, 0), (report.Scheduled, report.Unreachable));
        var chatId = graph.ChatIdOf(Grace.AadObjectId, app.Id);
        Assert.NotNull(chatId);
        var card = Assert.Single(Posts(host), p => p.Body.Contains("Weekly check-in:"));
        Assert.Equal(chatId, card.Route[1]);
        Assert.Equal(CheckInStatus.Sent, (await RowAsync(host, useCase.Id, W11)).Status);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task OwnerWhoRemovedTheBotIsReinstalledThroughGraphAndSentTheCardOnceMore(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var graph = await FakeGraph.StartAsync();
        var app = graph.AddCatalogApp(new GraphCatalogApp("catalog-app-1", GraphExternalId, "ValueBot"));
        graph.AddUser(new GraphUser(Ada.AadObjectId, "ada@contoso.example", Ada.Name));
        var clock = new ManualClock(Utc(9, 10));
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, WithGraph(graph), clock);
        var useCase = await SeedOwnerAsync(host, Ada, "Europe/Berlin", manager: null);
        host.Connector.Enqueue(ScriptedResponse.NotFound(), "POST"); // the old 1:1 chat is gone

        Assert.Equal(1, (await RunAsync(host)).Scheduled);

        var cards = Posts(host).Where(p => p.Body.Contains("Weekly check-in:")).ToList();
        Assert.Equal(2, cards.Count); // the refused one, then one to the new chat
        Assert.Equal(Ada.ConversationId, cards[0].Route[1]);
        Assert.Equal(graph.ChatIdOf(Ada.AadObjectId, app.Id), cards[1].Route[1]);
        Assert.Equal(CheckInStatus.Sent, (await RowAsync(host, useCase.Id, W11)).Status);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnOwnerWhoLeftIsNotMessagedAndTheAdminsAreToldToNameANewOne(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var clock = new ManualClock(Utc(9, 10));
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, Fast, clock);
        var useCase = await SeedOwnerAsync(host, Ada, "Europe/Berlin", manager: null);
        await InstallAsync(host, Boss);
        await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<Person>()
            .Where(p => p.AadObjectId == Ada.AadObjectId).ExecuteUpdateAsync(s => s.SetProperty(p => p.HasLeft, true)));

        var report = await RunAsync(host);

        Assert.Equal((0, 1), (report.Scheduled, report.Unreachable));
        Assert.Empty(CheckInCards(host, Ada));
        var row = await RowAsync(host, useCase.Id, W11);
        Assert.Equal((CheckInStatus.Undeliverable, CheckInCycle.OwnerLeftReason), (row.Status, row.UndeliverableReason));
        Assert.Contains(Posts(host), p => p.Route[1] == Boss.ConversationId && p.Body.Contains("has left the organisation"));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task OwnerWhoBlockedTheBotEndsUndeliverableAndIsNotTriedAgain(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var clock = new ManualClock(Utc(9, 10));
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, Fast, clock);
        var useCase = await SeedOwnerAsync(host, Ada, "Europe/Berlin", manager: null);
        host.Connector.Enqueue(ScriptedResponse.Forbidden(), "POST");

        Assert.Equal(1, (await RunAsync(host)).Scheduled);
        await SettleAsync(host);

        var row = await RowAsync(host, useCase.Id, W11);
        Assert.Equal(CheckInStatus.Undeliverable, row.Status);
        Assert.StartsWith("blocked or gone", row.UndeliverableReason);
        var installation = await host.WithScopeAsync(sp => sp.GetRequiredService<InstallationStore>().FindByConversationAsync(Ada.ConversationId, CancellationToken.None));
        Assert.False(installation!.IsActive);
        clock.Set(Utc(11, 12));
        Assert.Equal(0, (await RunAsync(host)).Reminded); // nobody to remind
        Assert.Single(CheckInCards(host, Ada));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnswersCanBeChangedUntilTheDeadlineInTheOwnersZone(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var clock = new ManualClock(Utc(9, 0, 30)); // Monday 09:00 in Tokyo
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, Fast, clock);
        var useCase = await SeedOwnerAsync(host, Linus, "Asia/Tokyo", manager: null);
        await RunAsync(host);
        await SettleAsync(host);
        await AnswerAsync(host, Linus, useCase.Id, W11);

        clock.Set(Utc(13, 2, 59)); // Friday 11:59 in Tokyo: still open, so an edit replaces the answer
        Assert.Equal(AnswerOutcome.Replaced, await RecordAsync(host, useCase.Id, tasks: 130));
        clock.Set(Utc(13, 3)); // Friday 12:00 in Tokyo, though only 03:00 UTC: closed
        Assert.Equal(AnswerOutcome.Closed, await RecordAsync(host, useCase.Id, tasks: 140));
        var stored = AnswerJson.TryDeserialize((await RowAsync(host, useCase.Id, W11)).AnswerJson);
        Assert.Equal(130, stored!.Tasks);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task RemembersTheOwnersTimeZoneFromTheirTeamsClientAndSchedulesByIt(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var clock = new ManualClock(Utc(9, 0, 30)); // Monday 09:00 in Tokyo, still Sunday night in Europe
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, Fast, clock);
        var useCase = await SeedOwnerAsync(host, Linus, "Europe/Paris", manager: null);
        Assert.Equal(0, (await RunAsync(host)).Scheduled);

        var message = Message(Linus, "status");
        message.Entities = [new ValueBot.Teams.Schema.Entity
        {
            Type = "clientInfo",
            Properties = new() { ["timezone"] = System.Text.Json.JsonSerializer.SerializeToElement("Asia/Tokyo"), ["locale"] = System.Text.Json.JsonSerializer.SerializeToElement("ja-JP") },
        }];
        (await host.SendFromTeamsAsync(message)).EnsureSuccessStatusCode();

        var zone = await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<Person>().AsNoTracking()
            .Where(p => p.AadObjectId == Linus.AadObjectId).Select(p => p.TimeZone).SingleAsync());
        Assert.Equal("Asia/Tokyo", zone);
        Assert.Equal(1, (await RunAsync(host)).Scheduled);
        Assert.Equal("Asia/Tokyo", (await RowAsync(host, useCase.Id, W11)).TimeZone);
    }

    public static TheoryData<string, string> EnginesAndZoneSources()
    {
        var data = new TheoryData<string, string>();
        foreach (var engine in TestDatabase.PostgresServer is null ? new[] { "sqlite" } : ["sqlite", "postgres"])
        {
            data.Add(engine, "localTimezone");
            data.Add(engine, "clientInfo");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EnginesAndZoneSources))]
    public async Task AZoneLearntBeforeTheOwnerWasRegisteredSchedulesTheirCardAtTheirLocalTime(string engine, string source)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        // Sunday 23:00 UTC = Monday 08:00 in Tokyo; the organisation's zone is UTC, where Monday 09:00 is ten hours away.
        var clock = new ManualClock(Utc(8, 23));
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, Fast, clock);

        // Linus installs ValueBot and chats while nobody has registered him as an owner yet (ValueBot does not know him).
        await InstallAsync(host, Linus);
        var message = Message(Linus, "help");
        if (source == "localTimezone")
        {
            message.LocalTimezone = "Asia/Tokyo";
        }
        else
        {
            message.Entities = [new ValueBot.Teams.Schema.Entity
            {
                Type = "clientInfo",
                Properties = new() { ["timezone"] = System.Text.Json.JsonSerializer.SerializeToElement("Asia/Tokyo") },
            }];
        }

        (await host.SendFromTeamsAsync(message)).EnsureSuccessStatusCode();
        // A second message within the zone cache's lifetime: nothing may be lost by skipping its write.
        (await host.SendFromTeamsAsync(message)).EnsureSuccessStatusCode();
        Assert.False(await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<Person>().AnyAsync(p => p.AadObjectId == Linus.AadObjectId)));

        // Then an admin registers a use case with Linus as its owner; his person row has no zone of its own.
        var useCase = await SeedOwnerAsync(host, Linus, timeZone: null, manager: null, install: false);
        Assert.Null(await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<Person>().AsNoTracking()
            .Where(p => p.AadObjectId == Linus.AadObjectId).Select(p => p.TimeZone).SingleAsync()));
        (await host.SendFromTeamsAsync(message)).EnsureSuccessStatusCode(); // he chats again: the cached zone writes nothing

        clock.Set(Utc(8, 23, 59)); // 08:59 in Tokyo
        Assert.Equal(0, (await RunAsync(host)).Scheduled);
        Assert.Empty(CheckInCards(host, Linus));

        clock.Set(Utc(9, 0)); // Monday 09:00 in Tokyo, still Sunday midnight in UTC
        Assert.Equal(1, (await RunAsync(host)).Scheduled);
        Assert.Single(CheckInCards(host, Linus));
        var row = await RowAsync(host, useCase.Id, W11);
        Assert.Equal("Asia/Tokyo", row.TimeZone);
        Assert.Equal(CheckInStatus.Sent, row.Status);
        Assert.Equal(new DateTime(2026, 3, 13, 3, 0, 0), row.DeadlineAt); // Friday 12:00 in Tokyo
    }

    [Fact]
    public async Task TwoInstancesOnOnePostgresDatabaseSendEveryCheckInExactlyOnce()
    {
        if (TestDatabase.PostgresServer is null)
        {
            return; // CiConfigurationTests fails the run when CI has no PostgreSQL
        }

        await using var database = await TestDatabase.CreatePostgresAsync();
        var clock = new ManualClock(Utc(9, 10));
        var settings = new Dictionary<string, string?>(Fast) { ["Deployment:InstanceCount"] = "2" };
        await using var first = await ValueBotTestHost.StartAsync(database.ConnectionString, settings, clock);
        await using var second = await ValueBotTestHost.StartAsync(database.ConnectionString, settings, clock, shared: first);
        const int owners = 120;
        var users = Enumerable.Range(0, owners).Select(i => new User($"29:owner-{i}", $"aad-owner-{i}", $"Owner {i}", $"a:personal-owner-{i}")).ToList();
        foreach (var user in users)
        {
            await SeedOwnerAsync(first, user, "UTC", manager: null);
        }

        // Both instances run the cycle at the same moment, three times each, while both senders deliver.
        var runs = Enumerable.Range(0, 3).SelectMany(_ => new[] { TickAsync(first), TickAsync(second) });
        var reports = await Task.WhenAll(runs);
        await SettleAsync(first, TimeSpan.FromSeconds(60));

        Assert.Equal(owners, reports.Sum(r => r.Scheduled));
        var cards = Posts(first).Where(p => p.Body.Contains("Weekly check-in:")).ToList();
        Assert.Equal(owners, cards.Count);
        Assert.Equal(owners, cards.Select(c => c.Route[1]).Distinct().Count());
        Assert.All(await RowsAsync(first, W11), r => Assert.Equal(CheckInStatus.Sent, r.Status));
    }

    private const string GraphExternalId = "5f0c6e2a-8d4b-4a57-9d1e-7c3b2a1f0e9d";

    private static Dictionary<string, string?> WithGraph(FakeGraph graph) => new(Fast)
    {
        ["Graph:Enabled"] = "true",
        ["Graph:BaseUrl"] = graph.BaseUrl,
        ["Graph:TeamsAppExternalId"] = GraphExternalId,
        ["Graph:MaxRetries"] = "0",
        ["Graph:Credential:Type"] = "None",
    };

    internal static async Task<UseCase> SeedOwnerAsync(ValueBotTestHost host, User owner, string? timeZone, User? manager, bool install = true)
    {
        var useCase = new UseCase
        {
            Id = Guid.NewGuid(),
            Name = $"{owner.Name} triage",
            ValueModel = ValueModel.ProcessReengineering,
            Owner = new PersonRef(owner.AadObjectId, owner.Name),
            TargetUsers = 100,
            Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0.1m, 20m),
            PlannedRunCostPerMonth = new Money(1300m, "EUR"),
        };
        await host.WithScopeAsync(async sp =>
        {
            var registry = sp.GetRequiredService<UseCaseRegistry>();
            await registry.CreateAsync(useCase, "test", CancellationToken.None);
            if (manager is not null)
            {
                await sp.GetRequiredService<KnownPeople>().RememberAsync(new Person { AadObjectId = manager.AadObjectId, DisplayName = manager.Name }, CancellationToken.None);
            }

            var db = sp.GetRequiredService<ValueBotDbContext>();
            return await db.Set<Person>().Where(p => p.AadObjectId == owner.AadObjectId).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.TimeZone, timeZone)
                .SetProperty(p => p.ManagerAadObjectId, manager == null ? null : manager.AadObjectId));
        });
        if (install)
        {
            await InstallAsync(host, owner);
        }

        return useCase;
    }

    internal static async Task InstallAsync(ValueBotTestHost host, User user)
    {
        var response = await host.SendFromTeamsAsync(PersonalInstall(user));
        response.EnsureSuccessStatusCode();
        if (host.Services.GetRequiredService<OutboxSender>().Enabled)
        {
            await SettleAsync(host); // the welcome goes through the outbox: out of the way before a test scripts the connector
        }
    }

    /// <summary>
    /// One tick of the cycle, then waits for its cards to be delivered: the test clock jumps hours at a time, and a
    /// send still in flight across such a jump would see its lease expire, which real time never does mid-send.
    /// </summary>
    internal static async Task<CheckInCycleReport> RunAsync(ValueBotTestHost host)
    {
        var report = await TickAsync(host);
        await SettleAsync(host);
        return report;
    }

    internal static Task<CheckInCycleReport> TickAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<CheckInCycle>().RunAsync(CancellationToken.None));

    /// <summary>Waits until the outbox has nothing left to send and every delivery result reached its check-in.</summary>
    internal static async Task SettleAsync(ValueBotTestHost host, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var (open, scheduled) = await host.WithScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<ValueBotDbContext>();
                var outbox = await db.Set<OutboxMessage>().CountAsync(m => m.State == OutboxState.Pending || m.State == OutboxState.Sending);
                var rows = await db.Set<CheckIn>().CountAsync(c => c.Status == CheckInStatus.Scheduled);
                return (outbox, rows);
            });
            if (open == 0 && scheduled == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{open} outbox messages still open, {scheduled} check-ins still scheduled");
            }

            await Task.Delay(50);
        }
    }

    private static async Task AnswerAsync(ValueBotTestHost host, User user, Guid useCaseId, IsoWeek week)
    {
        var inputs = CheckInInputs.Valid();
        inputs[AnswerFields.Tasks] = "120";
        var data = CheckInInputs.Data(useCaseId, week.ToString(), inputs);
        var (type, _) = await ReadInvokeResponseAsync(await host.SendFromTeamsAsync(CardAction(user, CheckInCard.AnswerVerb, data)));
        Assert.Equal("application/vnd.microsoft.card.adaptive", type);
    }

    private static Task<AnswerOutcome> RecordAsync(ValueBotTestHost host, Guid useCaseId, int tasks) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<CheckInStore>().RecordAnswerAsync(useCaseId, W11, new Answer
        {
            ActiveUsers = 70,
            Tasks = tasks,
            MinutesSavedPerTask = 6m,
            ReworkShare = 0.05m,
            MinutesPerCorrection = 5m,
            Exceptions = 2,
            RunCost = RunCost.Zero("EUR"),
        }, Linus.AadObjectId, CancellationToken.None));

    private static Task<List<CheckIn>> RowsAsync(ValueBotTestHost host, IsoWeek week) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<CheckIn>().AsNoTracking().Where(c => c.Week == week).ToListAsync());

    private static async Task<CheckIn> RowAsync(ValueBotTestHost host, Guid useCaseId, IsoWeek week) =>
        (await RowsAsync(host, week)).Single(r => r.UseCaseId == useCaseId);

    internal static List<RecordedRequest> Posts(ValueBotTestHost host) =>
        host.Connector.Requests.Where(r => r.Method == "POST" && r.Route.Count == 3 && r.Route[2] == "activities").ToList();

    private static List<RecordedRequest> CheckInCards(ValueBotTestHost host, User user) =>
        Posts(host).Where(p => p.Route[1] == user.ConversationId && p.Body.Contains("Weekly check-in:") && !p.Body.Contains("Reminder:")).ToList();

    private static List<RecordedRequest> Reminders(ValueBotTestHost host, User user) =>
        Posts(host).Where(p => p.Route[1] == user.ConversationId && p.Body.Contains("Reminder:")).ToList();

    private static List<RecordedRequest> Escalations(ValueBotTestHost host) =>
        Posts(host).Where(p => p.Body.Contains("missed two check-ins in a row")).ToList();
}
