using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Schema;
using ValueBot.Testing;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.CheckIns;

/// <summary>
/// The check-in tests' world: the real host on a fresh database, on Monday 9 March 2026 10:00 UTC (week 2026-W11 is
/// open; it closes Friday 12:00 UTC). Ada owns "Invoice triage" (100 target users; baseline 10 min a task, 60 EUR an
/// hour) with Grace as her delegate; Bob owns nothing. The clock stands still unless a test passes its own.
/// </summary>
internal sealed class CheckInWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 3, 9, 10, 0, 0, TimeSpan.Zero);
    public static readonly IsoWeek ThisWeek = IsoWeek.Parse("2026-W11");
    public static readonly IsoWeek LastWeek = IsoWeek.Parse("2026-W10");
    public static readonly DateOnly Launched = new(2026, 1, 5);

    public static User Bob { get; } = new("29:bob", "aad-bob", "Bob Stranger", "a:personal-bob");

    private readonly bool _ownsDatabase;

    private CheckInWorld(TestDatabase database, ValueBotTestHost host, bool ownsDatabase)
    {
        Database = database;
        Host = host;
        _ownsDatabase = ownsDatabase;
    }

    public TestDatabase Database { get; }

    public ValueBotTestHost Host { get; }

    /// <summary>What the bot posted to conversations, in order.</summary>
    public IReadOnlyList<RecordedRequest> Posts => Host.Connector.Requests.Where(r => r.Method == "POST").ToList();

    public static async Task<CheckInWorld> StartAsync(string engine, TimeProvider? time = null) =>
        await StartAsync(await TestDatabase.CreateAsync(engine), ownsDatabase: true, time);

    /// <summary>A host on a database the test keeps (to start another host on it later, at another time).</summary>
    public static async Task<CheckInWorld> StartAsync(TestDatabase database, DateTimeOffset now) =>
        await StartAsync(database, ownsDatabase: false, new FixedTime(now));

    private static async Task<CheckInWorld> StartAsync(TestDatabase database, bool ownsDatabase, TimeProvider? time) =>
        new(database, await ValueBotTestHost.StartAsync(database.ConnectionString, time: time ?? new FixedTime(Now)), ownsDatabase);

    /// <summary>"Invoice triage", owned by Ada, delegate Grace: T=200, m=6, h=60 gives a gross value of 1,200 EUR.</summary>
    public static UseCase InvoiceTriage(Guid id) => new()
    {
        Id = id,
        Name = "Invoice triage",
        ValueModel = ValueModel.ProcessReengineering,
        Owner = new PersonRef(Ada.AadObjectId, Ada.Name),
        Delegate = new PersonRef(Grace.AadObjectId, Grace.Name),
        TargetUsers = 100,
        LaunchDate = Launched,
        Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0.1m, 20m),
        PlannedRunCostPerMonth = new Money(1300m, "EUR"),
    };

    /// <summary>Registers another "Invoice triage"; <paramref name="registeredToday"/> leaves the launch date out.</summary>
    public async Task<UseCase> SeedUseCaseAsync(bool registeredToday = false)
    {
        var useCase = InvoiceTriage(Guid.NewGuid()) with { LaunchDate = registeredToday ? null : Launched };
        await Host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().CreateAsync(useCase, "test", CancellationToken.None));
        return useCase;
    }

    /// <summary>Stores an answer as if Ada had given it (no card involved).</summary>
    public Task SeedAnswerAsync(Guid useCaseId, IsoWeek week, Answer answer) =>
        Host.WithScopeAsync(sp => sp.GetRequiredService<CheckInStore>().RecordAnswerAsync(useCaseId, week, answer, Ada.AadObjectId, CancellationToken.None));

    /// <summary>Last week's answer: 70 active users, <paramref name="tasks"/> tasks, 6 min saved, 10 % rework, 4 exceptions, 300 EUR run cost.</summary>
    public static Answer LastWeeksAnswer(int tasks = 180) => new()
    {
        ActiveUsers = 70,
        Tasks = tasks,
        MinutesSavedPerTask = 6m,
        ReworkShare = 0.1m,
        MinutesPerCorrection = 5m,
        Exceptions = 4,
        RunCost = RunCost.Zero("EUR") with { LicencesAndTokens = new Money(300m, "EUR") },
    };

    /// <summary>Monday's card for this week (revision 0, no answer yet) as sent with valid inputs, after <paramref name="change"/>.</summary>
    public static JsonObject FirstCardData(Guid useCaseId, Action<Dictionary<string, string?>>? change = null)
    {
        var inputs = CheckInInputs.Valid();
        change?.Invoke(inputs);
        var data = CheckInInputs.Data(useCaseId, ThisWeek.ToString(), inputs);
        data[CheckInCard.RevisionKey] = 0;
        return data;
    }

    /// <summary>An activity from Teams, with a token valid at the host's clock.</summary>
    public Task<HttpResponseMessage> SendAsync(Activity activity) => Host.SendFromTeamsAsync(activity);

    /// <summary>An Action.Execute click with <paramref name="data"/> (hidden data and inputs merged, as Teams sends it).</summary>
    public async Task<(string Type, JsonNode Value)> InvokeAsync(User user, string verb, JsonObject data) =>
        await ReadInvokeResponseAsync(await SendAsync(CardAction(user, verb, data.DeepClone().AsObject())));

    /// <summary>A click on the card of <paramref name="useCaseId"/> for <paramref name="week"/> with <paramref name="inputs"/>.</summary>
    public Task<(string Type, JsonNode Value)> InvokeAsync(User user, string verb, Guid useCaseId, IsoWeek week, IReadOnlyDictionary<string, string?> inputs) =>
        InvokeAsync(user, verb, CheckInInputs.Data(useCaseId, week.ToString(), inputs));

    /// <summary>Like <see cref="InvokeAsync(User, string, JsonObject)"/>, for a click answered with a card.</summary>
    public async Task<CardReader> InvokeForCardAsync(User user, string verb, JsonObject data)
    {
        var (type, value) = await InvokeAsync(user, verb, data);
        Assert.Equal(CardReader.ContentType, type);
        return new CardReader(value);
    }

    /// <summary>What <paramref name="user"/> gets on typing "checkin": the card of the one message it sends.</summary>
    public async Task<CardReader> CheckinCardAsync(User user) => CardReader.FromActivity(await ReplyToAsync(user, "checkin"));

    /// <summary>The one message the bot posts in reply to <paramref name="text"/> from <paramref name="user"/>.</summary>
    public async Task<string> ReplyToAsync(User user, string text)
    {
        var sentBefore = Posts.Count;
        (await SendAsync(Message(user, text))).EnsureSuccessStatusCode();
        return Posts.Skip(sentBefore).Single().Body;
    }

    public Task<List<CheckIn>> RowsAsync() =>
        Host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<CheckIn>().AsNoTracking().ToListAsync());

    public async Task<CheckIn> RowAsync(Guid useCaseId, IsoWeek week) =>
        Assert.Single(await RowsAsync(), r => r.UseCaseId == useCaseId && r.Week == week);

    /// <summary>The answer stored for the week.</summary>
    public async Task<Answer> StoredAsync(Guid useCaseId, IsoWeek week) =>
        AnswerJson.TryDeserialize((await RowAsync(useCaseId, week)).AnswerJson)!;

    public Task<IReadOnlyList<AuditEntry>> AuditAsync(Guid useCaseId, IsoWeek week) =>
        Host.WithScopeAsync(sp => sp.GetRequiredService<CheckInStore>().AuditTrailAsync(useCaseId, week, CancellationToken.None));

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }

    // Not FakeTimeProvider: the host's outbox sender and rate limiter wait on this clock's timers, which must fire in real time.
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
