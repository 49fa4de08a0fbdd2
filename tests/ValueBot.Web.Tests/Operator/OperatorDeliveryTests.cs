using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Delivery;
using ValueBot.Web.Operator;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Admin;
using ValueBot.Web.Tests.CheckIns;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Operator.OperatorWorld;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Operator;

/// <summary>
/// The operator's view of a week's delivery — <c>GET /api/admin/delivery</c> and the Teams command <c>delivery</c> — and
/// "send again": allowed for a card in doubt or refused by Teams, refused when the card is known to have arrived, for
/// admins only, and never a second card for two clicks.
/// </summary>
public sealed class OperatorDeliveryTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Counts_every_state_of_a_crafted_week_and_names_who_is_stuck(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var ids = await SeedAsync(host);

        using var response = await AdminAsync(host, HttpMethod.Get, $"/api/admin/delivery?week={Week}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await AdminClient.JsonAsync(response);
        Assert.Equal("2026-W11", (string?)body["week"]);
        var counts = body["counts"]!.AsObject().ToDictionary(p => p.Key, p => (int)p.Value!);
        Assert.Equal(new Dictionary<string, int>
        {
            ["queued"] = 1, ["sent"] = 1, ["answered"] = 1, ["skipped"] = 1, ["missed"] = 1, ["undeliverable"] = 4, ["inDoubt"] = 2, ["notYetDue"] = 1,
        }, counts);
        var reasons = body["undeliverableByReason"]!.AsArray().ToDictionary(r => (string)r!["reason"]!, r => (int)r!["count"]!);
        Assert.Equal(new Dictionary<string, int> { ["ConversationBlockedByUser"] = 2, ["given up"] = 1, ["not installed"] = 1 }, reasons);

        var problems = body["problems"]!.AsArray().ToDictionary(p => (string)p!["owner"]!, p => p!);
        Assert.Equal(new[] { Bea, Bill, Gus, Nia, Ines, Rita, Mo }.Select(u => u.Name).Order(), problems.Keys.Order());
        Assert.Equal(ids[Ines], Guid.Parse((string)problems[Ines.Name]["useCaseId"]!));
        Assert.Equal("inDoubt", (string?)problems[Ines.Name]["state"]);
        Assert.Equal(Doubt, (string?)problems[Ines.Name]["reason"]);
        Assert.Contains("ConversationBlockedByUser", (string?)problems[Bea.Name]["reason"], StringComparison.Ordinal);
        Assert.Equal("missed", (string?)problems[Mo.Name]["state"]);
        var sendable = problems.Where(p => (bool)p.Value["canSendAgain"]!).Select(p => p.Key).Order();
        Assert.Equal(new[] { Gus.Name, Ines.Name }.Order(), sendable);
        Assert.Contains("reminder", (string?)problems[Rita.Name]["sendAgain"], StringComparison.Ordinal);
        Assert.Contains("no chat", (string?)problems[Bea.Name]["sendAgain"], StringComparison.Ordinal);
        Assert.Contains("not installed", (string?)problems[Nia.Name]["sendAgain"], StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task The_delivery_command_shows_an_admin_the_counts_and_send_again_only_where_safe(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);

        (await host.SendFromTeamsAsync(Message(Ada, "delivery 2026-W11"))).EnsureSuccessStatusCode();

        var card = LastCardTo(host, Ada);
        Assert.Equal("Delivery of the check-ins, week 2026-W11", (string?)card["body"]![0]!["text"]);
        var facts = Facts(card);
        Assert.Equal("4", facts["Undeliverable"]);
        Assert.Equal("2", facts["In doubt"]);
        Assert.Equal("1", facts["Queued"]);
        Assert.Equal("2", facts["ConversationBlockedByUser"]);
        Assert.Equal(new[] { $"Send again to {Gus.Name}", $"Send again to {Ines.Name}" }.Order(), SendAgainButtons(card).Keys.Order());
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Send_again_queues_one_card_for_an_owner_in_doubt_and_one_whose_card_failed(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var ids = await SeedAsync(host);

        foreach (var owner in new[] { Ines, Gus })
        {
            using var first = await SendAgainAsync(host, ids[owner]);
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            using var second = await SendAgainAsync(host, ids[owner]);
            Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
            Assert.Contains("on its way", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await DeliveredAsync(host, [ids[Ines], ids[Gus]]);
        foreach (var owner in new[] { Ines, Gus })
        {
            var card = Assert.Single(CardsTo(host, owner));
            Assert.Contains("Sent again by a ValueBot admin", card.Body, StringComparison.Ordinal);
            var row = await RowAsync(host, ids[owner]);
            Assert.Equal(CheckInStatus.Sent, row.Status);
            Assert.Null(row.InDoubtAt);
            Assert.Null(row.UndeliverableReason);
            Assert.StartsWith("activity-", row.ActivityId);
        }

        var again = await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<Web.UseCases.AuditEntry>().AsNoTracking()
            .Where(a => a.Field == "send_again").Select(a => a.ChangedBy).ToListAsync());
        Assert.Equal(2, again.Count);
        Assert.All(again, by => Assert.Equal("admin@contoso.example", by));
        // Once sent, the view says so, and offers nothing more.
        var view = await AdminClient.JsonAsync(await AdminAsync(host, HttpMethod.Get, $"/api/admin/delivery?week={Week}"));
        Assert.Equal(3, (int)view["counts"]!["sent"]!);
        Assert.Equal(1, (int)view["counts"]!["inDoubt"]!);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Send_again_is_refused_when_the_card_is_known_to_have_arrived_and_changes_nothing(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var ids = await SeedAsync(host);
        var before = await OutboxCountAsync(host);

        var refusals = new Dictionary<User, string>
        {
            [Anna] = "Answered",
            [Sam] = "Teams confirmed the card arrived",
            [Rita] = "The reminder repeated the card",
            [Quinn] = "on its way",
            [Skye] = "skipped",
            [Mo] = "missed",
            [Bea] = "no chat",
            [Kim] = "Not due yet",
        };
        foreach (var (owner, why) in refusals)
        {
            using var response = await SendAgainAsync(host, ids[owner]);
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains(why, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var unknown = await SendAgainAsync(host, Guid.NewGuid());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var badWeek = await AdminAsync(host, HttpMethod.Post, $"/api/admin/delivery/send-again?useCaseId={ids[Ines]:D}&week=2026-W99");
        Assert.Equal(HttpStatusCode.BadRequest, badWeek.StatusCode);
        using var badId = await AdminAsync(host, HttpMethod.Post, $"/api/admin/delivery/send-again?useCaseId=ines&week={Week}");
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        using var badRead = await AdminAsync(host, HttpMethod.Get, "/api/admin/delivery?week=last");
        Assert.Equal(HttpStatusCode.BadRequest, badRead.StatusCode);

        Assert.Equal(before, await OutboxCountAsync(host));
        Assert.Equal(CheckInStatus.Answered, (await RowAsync(host, ids[Anna])).Status);
        Assert.NotNull((await RowAsync(host, ids[Rita])).InDoubtAt);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task A_cycle_tick_while_the_card_sent_again_waits_leaves_the_check_in_queued(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        // No sender: the card sent again stays in the outbox while the cycle runs.
        await using var host = await Web.Tests.Support.ValueBotTestHost.StartAsync(database.ConnectionString,
            new Dictionary<string, string?>(Settings) { ["Delivery:Enabled"] = "false" }, new Digests.DigestWorld.FixedTime(Tuesday));
        var ids = await SeedAsync(host);
        using var sent = await SendAgainAsync(host, ids[Ines]);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);

        await WeeklyCycleTests.TickAsync(host);

        // The first card's "in doubt" is not applied again over the card now waiting: its own outcome will be.
        var row = await RowAsync(host, ids[Ines]);
        Assert.Equal(CheckInStatus.Scheduled, row.Status);
        Assert.Null(row.InDoubtAt);
    }

    [Fact]
    public async Task A_closed_week_is_not_sent_again()
    {
        await using var database = TestDatabase.CreateSqlite();
        // Friday 12:00 UTC: the week closed for everyone.
        await using var host = await Web.Tests.Support.ValueBotTestHost.StartAsync(database.ConnectionString, Settings,
            new Digests.DigestWorld.FixedTime(new DateTimeOffset(2026, 3, 13, 12, 0, 0, TimeSpan.Zero)));
        var ids = await SeedAsync(host);

        using var response = await SendAgainAsync(host, ids[Ines]);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("The week closed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Only_admins_see_the_delivery_or_send_again(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var ids = await SeedAsync(host);
        var before = await OutboxCountAsync(host);

        using var read = await AdminAsync(host, HttpMethod.Get, "/api/admin/delivery", role: null);
        using var post = await AdminAsync(host, HttpMethod.Post, $"/api/admin/delivery/send-again?useCaseId={ids[Ines]:D}&week={Week}", role: null);
        using var anonymous = await AdminClient.SendAsync(host, HttpMethod.Get, "/api/admin/delivery", token: null);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // In Teams: Gus is no admin. The command is refused politely, and so is a click on an admin's card.
        var posts = WeeklyCycleTests.Posts(host).Count;
        (await host.SendFromTeamsAsync(Message(Gus, "delivery"))).EnsureSuccessStatusCode();
        var reply = WeeklyCycleTests.Posts(host).Skip(posts).Single(p => p.Route[1] == Gus.ConversationId);
        Assert.Contains("Only ValueBot admins", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(Ines.Name, reply.Body, StringComparison.Ordinal);
        var (type, value) = await ReadInvokeResponseAsync(await host.SendFromTeamsAsync(
            CardAction(Gus, DeliveryCard.SendAgainVerb, new JsonObject { ["useCaseId"] = ids[Ines].ToString("D"), ["week"] = Week.ToString() })));
        Assert.Equal("application/vnd.microsoft.activity.message", type);
        Assert.Contains("Only ValueBot admins", value.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(before, await OutboxCountAsync(host));
        Assert.NotNull((await RowAsync(host, ids[Ines])).InDoubtAt);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task Two_clicks_on_the_cards_send_again_at_once_send_one_card(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var ids = await SeedAsync(host);
        (await host.SendFromTeamsAsync(Message(Ada, "delivery"))).EnsureSuccessStatusCode();
        var data = SendAgainButtons(LastCardTo(host, Ada))[$"Send again to {Ines.Name}"];

        // Two clicks at the same moment (a double click, or the card open on two devices), then a third from the old card.
        var clicks = await Task.WhenAll(
            host.SendFromTeamsAsync(CardAction(Ada, DeliveryCard.SendAgainVerb, data.DeepClone().AsObject())),
            host.SendFromTeamsAsync(CardAction(Ada, DeliveryCard.SendAgainVerb, data.DeepClone().AsObject())));
        var late = await host.SendFromTeamsAsync(CardAction(Ada, DeliveryCard.SendAgainVerb, data.DeepClone().AsObject()));
        var notices = new List<string>();
        foreach (var click in clicks.Append(late))
        {
            var (type, value) = await ReadInvokeResponseAsync(click);
            Assert.Equal("application/vnd.microsoft.card.adaptive", type);
            notices.Add((string)value["body"]![1]!["text"]!);
            Assert.DoesNotContain($"Send again to {Ines.Name}", value.ToJsonString(), StringComparison.Ordinal);
        }

        Assert.Single(notices, n => n.StartsWith("Queued:", StringComparison.Ordinal));
        Assert.Equal(2, notices.Count(n => n.StartsWith("Nothing was sent:", StringComparison.Ordinal)));
        await DeliveredAsync(host, [ids[Ines]]);
        Assert.Single(CardsTo(host, Ines));
    }

    private static Task<HttpResponseMessage> SendAgainAsync(ValueBotTestHost host, Guid useCaseId) =>
        AdminClient.SendAsync(host, HttpMethod.Post, $"/api/admin/delivery/send-again?useCaseId={useCaseId:D}&week={Week}", token: AdminToken(host));

    /// <summary>An admin token valid by the world's clock (Tuesday in March) and by the real one.</summary>
    private static string AdminToken(ValueBotTestHost host, string? role = AdminClient.Role) =>
        AdminClient.Token(host, role, expires: DateTimeOffset.UtcNow.AddDays(1), notBefore: Tuesday.AddDays(-1));

    private static Task<HttpResponseMessage> AdminAsync(ValueBotTestHost host, HttpMethod method, string path, string? role = AdminClient.Role) =>
        AdminClient.SendAsync(host, method, path, token: AdminToken(host, role));

    /// <summary>Waits until the outbox has sent everything and the cards queued again reached their check-ins (Quinn's stays queued by design).</summary>
    private static async Task DeliveredAsync(ValueBotTestHost host, IReadOnlyCollection<Guid> useCaseIds)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var (open, scheduled) = await host.WithScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<ValueBotDbContext>();
                var outbox = await db.Set<OutboxMessage>().CountAsync(m => m.State == OutboxState.Pending || m.State == OutboxState.Sending);
                var rows = await db.Set<CheckIn>().CountAsync(c => useCaseIds.Contains(c.UseCaseId) && c.Week == Week && c.Status == CheckInStatus.Scheduled);
                return (outbox, rows);
            });
            if (open == 0 && scheduled == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{open} outbox messages still open, {scheduled} check-ins sent again still scheduled");
            await Task.Delay(50);
        }
    }

    private static Task<int> OutboxCountAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<OutboxMessage>().CountAsync());

    private static Task<CheckIn> RowAsync(ValueBotTestHost host, Guid useCaseId) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<CheckIn>().AsNoTracking().SingleAsync(c => c.UseCaseId == useCaseId && c.Week == Week));

    private static JsonNode LastCardTo(ValueBotTestHost host, User user)
    {
        var post = WeeklyCycleTests.Posts(host).Last(p => p.Route[1] == user.ConversationId);
        return JsonNode.Parse(post.Body)!["attachments"]![0]!["content"]!;
    }

    private static Dictionary<string, string> Facts(JsonNode card) =>
        card["body"]!.AsArray().Where(e => (string?)e!["type"] == "FactSet")
            .SelectMany(f => f!["facts"]!.AsArray()).ToDictionary(f => (string)f!["title"]!, f => (string)f!["value"]!);

    private static Dictionary<string, JsonObject> SendAgainButtons(JsonNode card) =>
        card["body"]!.AsArray().Where(e => (string?)e!["type"] == "ActionSet")
            .SelectMany(s => s!["actions"]!.AsArray())
            .Where(a => (string?)a!["verb"] == DeliveryCard.SendAgainVerb)
            .ToDictionary(a => (string)a!["title"]!, a => a!["data"]!.AsObject());
}
