using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Delivery;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.CheckIns;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Operator;

/// <summary>
/// A crafted week W11 of 2026, seen on Tuesday 10 March 10:00 UTC (the organisation's zone; the week closes Friday 12:00):
/// one check-in in every state. Ada is the admin. Each owner is named after what happened to their card:
/// <list type="bullet">
/// <item>Quinn's is queued, Sam's was sent (Teams accepted it), Anna answered, Skye skipped, Mo missed (crafted);</item>
/// <item>Bea and Bill blocked ValueBot (ConversationBlockedByUser: their chats are gone), Gus's card was given up after
/// 503s (his chat is fine), Nia never installed ValueBot;</item>
/// <item>Ines's card is in doubt (a 504), Rita's too, but her reminder — which repeats the card — reached her;</item>
/// <item>Kim's send time has not come yet; a stopped use case has no check-in at all.</item>
/// </list>
/// </summary>
internal static class OperatorWorld
{
    public static readonly IsoWeek Week = IsoWeek.Parse("2026-W11");
    public static readonly DateTimeOffset Tuesday = new(2026, 3, 10, 10, 0, 0, TimeSpan.Zero);

    public static User Quinn { get; } = Owner("quinn", "Quinn Queued");
    public static User Sam { get; } = Owner("sam", "Sam Sent");
    public static User Anna { get; } = Owner("anna", "Anna Answered");
    public static User Skye { get; } = Owner("skye", "Skye Skipped");
    public static User Mo { get; } = Owner("mo", "Mo Missed");
    public static User Bea { get; } = Owner("bea", "Bea Blocked");
    public static User Bill { get; } = Owner("bill", "Bill Blocked");
    public static User Gus { get; } = Owner("gus", "Gus Givenup");
    public static User Nia { get; } = Owner("nia", "Nia Notinstalled");
    public static User Ines { get; } = Owner("ines", "Ines Indoubt");
    public static User Rita { get; } = Owner("rita", "Rita Reminded");
    public static User Kim { get; } = Owner("kim", "Kim Notyetdue");

    public const string Blocked = "blocked or gone: RecipientGone (403) ConversationBlockedByUser User blocked the conversation with the bot.";
    public const string GivenUp = "failed: gave up at 2026-03-10 09:00:00Z after 9 attempts: Transient (503) Service Unavailable";
    public const string Doubt = "Transient (504) Gateway Timeout";

    public static Dictionary<string, string?> Settings => new()
    {
        ["Admin:TeamsAdmins"] = Ada.AadObjectId,
        ["Delivery:PollInterval"] = "00:00:00.050",
        ["Delivery:BackoffBase"] = "00:00:00.050",
        ["Delivery:BackoffMax"] = "00:00:00.200",
    };

    public static Task<ValueBotTestHost> StartAsync(TestDatabase database) =>
        ValueBotTestHost.StartAsync(database.ConnectionString, Settings, new Digests.DigestWorld.FixedTime(Tuesday));

    /// <summary>The use cases by owner, after seeding.</summary>
    public static async Task<Dictionary<User, Guid>> SeedAsync(ValueBotTestHost host)
    {
        await WeeklyCycleTests.InstallAsync(host, Ada);
        var ids = new Dictionary<User, Guid>();
        foreach (var user in new[] { Quinn, Sam, Anna, Skye, Mo, Bea, Bill, Gus, Nia, Ines, Rita, Kim })
        {
            ids[user] = (await WeeklyCycleTests.SeedOwnerAsync(host, user, "UTC", manager: null, install: user != Nia && user != Bea && user != Bill)).Id;
        }

        var stopped = await WeeklyCycleTests.SeedOwnerAsync(host, Owner("sol", "Sol Stopped"), "UTC", manager: null, install: false);
        var now = Tuesday.UtcDateTime;
        var deadline = new DateTime(2026, 3, 13, 12, 0, 0, DateTimeKind.Utc);
        await host.WithScopeAsync(async sp =>
        {
            var registry = sp.GetRequiredService<UseCaseRegistry>();
            var stored = await registry.GetAsync(stopped.Id, CancellationToken.None);
            await registry.UpdateAsync(stopped.Id, stored!.UseCase with { Stage = Stage.Stopped }, null, "test", CancellationToken.None);
            var checkIns = sp.GetRequiredService<CheckInStore>();
            await checkIns.RecordAnswerAsync(ids[Anna], Week, Digests.DigestWorld.Answer(80), Anna.AadObjectId, CancellationToken.None);
            await checkIns.SkipAsync(ids[Skye], Week, Skye.AadObjectId, CancellationToken.None);

            var db = sp.GetRequiredService<ValueBotDbContext>();
            var sentAt = now.AddHours(-25);
            CheckIn Row(User owner, CheckInStatus status, string? reason = null, bool sent = false, bool inDoubt = false) => new()
            {
                UseCaseId = ids[owner], Week = Week, Status = status, TimeZone = "UTC", DeadlineAt = deadline, ConversationId = owner.ConversationId,
                UndeliverableReason = reason, SentAt = sent ? sentAt : null, ActivityId = sent && !inDoubt ? "activity-" + owner.Id : null,
                InDoubtAt = inDoubt ? sentAt : null, RemindedAt = owner == Rita ? now.AddHours(-1) : null,
                CreatedAt = sentAt, UpdatedAt = sentAt,
            };
            db.AddRange(
                Row(Quinn, CheckInStatus.Scheduled),
                Row(Sam, CheckInStatus.Sent, sent: true),
                Row(Mo, CheckInStatus.Missed),
                Row(Bea, CheckInStatus.Undeliverable, Blocked),
                Row(Bill, CheckInStatus.Undeliverable, Blocked),
                Row(Gus, CheckInStatus.Undeliverable, GivenUp),
                Row(Nia, CheckInStatus.Undeliverable, CheckInCycle.NotInstalledReason),
                Row(Ines, CheckInStatus.Sent, sent: true, inDoubt: true),
                Row(Rita, CheckInStatus.Sent, sent: true, inDoubt: true));
            db.AddRange(
                Message(CheckInCycle.CheckInKey(ids[Ines], Week), Ines, OutboxState.InDoubt, Doubt, sentAt, host.ServiceUrl),
                Message(CheckInCycle.CheckInKey(ids[Rita], Week), Rita, OutboxState.InDoubt, Doubt, sentAt, host.ServiceUrl),
                Message($"reminder:{ids[Rita]:D}:{Week}", Rita, OutboxState.Sent, null, now.AddHours(-1), host.ServiceUrl),
                Message(CheckInCycle.CheckInKey(ids[Gus], Week), Gus, OutboxState.Failed, GivenUp, sentAt, host.ServiceUrl),
                Message(CheckInCycle.CheckInKey(ids[Sam], Week), Sam, OutboxState.Sent, null, sentAt, host.ServiceUrl));
            return await db.SaveChangesAsync();
        });
        return ids;
    }

    private static OutboxMessage Message(string key, User owner, OutboxState state, string? error, DateTime at, string serviceUrl) => new()
    {
        DedupeKey = key, Kind = key.StartsWith("reminder:", StringComparison.Ordinal) ? CheckInCycle.ReminderKind : CheckInCycle.CheckInKind,
        ServiceUrl = serviceUrl, ConversationId = owner.ConversationId, ActivityJson = "{}", State = state, LastError = error,
        SentActivityId = state == OutboxState.Sent ? "activity-" + owner.Id : null, Attempts = 1,
        CreatedAt = at, UpdatedAt = at, NextAttemptAt = at,
    };

    private static User Owner(string id, string name) => new($"29:{id}", $"aad-{id}", name, $"a:personal-{id}");

    /// <summary>The check-in card posts the connector received for <paramref name="user"/>'s chat.</summary>
    public static List<ValueBot.Testing.RecordedRequest> CardsTo(ValueBotTestHost host, User user) =>
        WeeklyCycleTests.Posts(host).Where(p => p.Route[1] == user.ConversationId && p.Body.Contains("Weekly check-in:")).ToList();
}
