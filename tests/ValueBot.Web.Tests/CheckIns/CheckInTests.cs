using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Schema;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.CheckIns;

/// <summary>The weekly check-in through the real /api/messages endpoint: card, answers, commands.</summary>
public sealed class CheckInTests
{
    // Monday 9 March 2026, 10:00 UTC: week 2026-W11 is open.
    private static readonly DateTimeOffset Now = new(2026, 3, 9, 10, 0, 0, TimeSpan.Zero);
    private static readonly IsoWeek ThisWeek = IsoWeek.Parse("2026-W11");
    private static readonly IsoWeek LastWeek = IsoWeek.Parse("2026-W10");
    private static readonly User Bob = new("29:bob", "aad-bob", "Bob Stranger", "a:personal-bob");

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task CheckinCommandSendsThisWeeksCardPrefilledWithLastWeek(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var useCase = await SeedUseCaseAsync(host);
        await SeedAnswerAsync(host, useCase.Id, LastWeek, SampleAnswer(tasks: 180));

        var response = await SendAsync(host, Message(Ada, "checkin"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(host.Connector.Requests, r => r.Method == "POST");
        Assert.Contains("application/vnd.microsoft.card.adaptive", sent.Body);
        Assert.Contains("Weekly check-in: Invoice triage", sent.Body);
        Assert.Contains("2026-W11", sent.Body);
        Assert.Contains(CheckInCard.AnswerVerb, sent.Body);
        Assert.Contains(CheckInCard.NothingChangedVerb, sent.Body);
        Assert.Contains("Same as last week", sent.Body);
        Assert.Contains("Hand to delegate", sent.Body);
        Assert.Equal("180", CheckInCardReader.FromActivity(sent.Body).Inputs()[AnswerFields.Tasks]); // last week's answer, prefilled
    }

    [Fact]
    public async Task CheckinCommandTellsSomeoneWithoutUseCasesThatTheyOwnNone()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await StartAsync(database);
        await SeedUseCaseAsync(host);

        await SendAsync(host, Message(Bob, "checkin"));

        var sent = Assert.Single(host.Connector.Requests, r => r.Method == "POST");
        Assert.Contains("You own no use case", sent.Body);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task InvalidAnswerReturnsTheCardWithErrorsAndStoresNothing(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var useCase = await SeedUseCaseAsync(host);
        var inputs = ValidInputs();
        inputs.Remove(AnswerFields.ActiveUsers);
        inputs[AnswerFields.ReworkPercent] = "140";

        var (type, value) = await InvokeAsync(host, Ada, CheckInCard.AnswerVerb, useCase.Id, ThisWeek, inputs);

        Assert.Equal("application/vnd.microsoft.card.adaptive", type);
        var card = value.ToJsonString();
        Assert.Contains("Nothing was stored", card);
        Assert.Contains("Enter the number of active users this week", card);
        Assert.Contains("The rework must be a percentage from 0 to 100.", card);
        Assert.Equal("200", new CheckInCardReader(value).Inputs()[AnswerFields.Tasks]); // what was entered is kept
        Assert.Empty(await RowsAsync(host));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ValidAnswerIsStoredAndTheCardBecomesAReceiptWithTheThreeFiguresAndTheBreach(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var useCase = await SeedUseCaseAsync(host);

        var (type, value) = await InvokeAsync(host, Ada, CheckInCard.AnswerVerb, useCase.Id, ThisWeek, ValidInputs());

        Assert.Equal("application/vnd.microsoft.card.adaptive", type);
        var receipt = value.ToJsonString();
        // T=200, m=6, h=60: gross 1,200; rework 200×10 %×5/60×60 = 100, exceptions 4×20/60×60 = 80, run 300.
        Assert.Contains("1,200.00 EUR", receipt);
        Assert.Contains("480.00 EUR", receipt);
        Assert.Contains("720.00 EUR", receipt);
        Assert.Contains("Stop-loss breach: Adoption 50 % is below the 60 % minimum", receipt);
        var row = Assert.Single(await RowsAsync(host));
        Assert.Equal(CheckInStatus.Answered, row.Status);
        Assert.Equal(ThisWeek, row.Week);
        Assert.Equal(Ada.AadObjectId, row.AnsweredBy);
        Assert.Equal(200, AnswerJson.TryDeserialize(row.AnswerJson)!.Tasks);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task SomeoneWhoIsNeitherOwnerNorDelegateIsRefusedAndNothingIsStored(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var useCase = await SeedUseCaseAsync(host);

        var (type, value) = await InvokeAsync(host, Bob, CheckInCard.AnswerVerb, useCase.Id, ThisWeek, ValidInputs());

        Assert.Equal("application/vnd.microsoft.activity.message", type);
        Assert.Contains("Only Ada Lovelace or their delegate", value.GetValue<string>());
        Assert.Empty(await RowsAsync(host));

        // The delegate may answer.
        var (delegateType, _) = await InvokeAsync(host, Grace, CheckInCard.AnswerVerb, useCase.Id, ThisWeek, ValidInputs());
        Assert.Equal("application/vnd.microsoft.card.adaptive", delegateType);
        Assert.Equal(Grace.AadObjectId, Assert.Single(await RowsAsync(host)).AnsweredBy);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ADoubleSubmitStoresOneAnswerAndNoAudit(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var useCase = await SeedUseCaseAsync(host);

        var results = await Task.WhenAll(
            InvokeAsync(host, Ada, CheckInCard.AnswerVerb, useCase.Id, ThisWeek, ValidInputs()),
            InvokeAsync(host, Ada, CheckInCard.AnswerVerb, useCase.Id, ThisWeek, ValidInputs()));
        await InvokeAsync(host, Ada, CheckInCard.AnswerVerb, useCase.Id, ThisWeek, ValidInputs());

        Assert.All(results, r => Assert.Equal("application/vnd.microsoft.card.adaptive", r.Type));
        Assert.Single(await RowsAsync(host));
        Assert.Empty(await AuditAsync(host, useCase.Id, ThisWeek));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnEditBeforeTheWeekClosesReplacesTheAnswerAndIsAudited(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var useCase = await SeedUseCaseAsync(host);
        await InvokeAsync(host, Ada, CheckInCard.AnswerVerb, useCase.Id, ThisWeek, ValidInputs());
        var edited = ValidInputs();
        edited[AnswerFields.Tasks] = "300";
        edited[CheckInCard.RevisionKey] = "1"; // built from the first answer

        var (_, value) = await InvokeAsync(host, Ada, CheckInCard.AnswerVerb, useCase.Id, ThisWeek, edited);

        Assert.Contains("Answer updated", value.ToJsonString());
        var row = Assert.Single(await RowsAsync(host));
        Assert.Equal(300, AnswerJson.TryDeserialize(row.AnswerJson)!.Tasks);
        var audit = Assert.Single(await AuditAsync(host, useCase.Id, ThisWeek));
        Assert.Equal("answer", audit.Field);
        Assert.Equal(200, AnswerJson.TryDeserialize(audit.OldValue)!.Tasks);
        Assert.Equal(300, AnswerJson.TryDeserialize(audit.NewValue)!.Tasks);
        Assert.Equal(Ada.AadObjectId, audit.ChangedBy);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ALateAnswerCountsForTheWeekOnTheCard(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var useCase = await SeedUseCaseAsync(host, launchDate: new DateOnly(2026, 1, 5));

        await InvokeAsync(host, Ada, CheckInCard.AnswerVerb, useCase.Id, LastWeek, ValidInputs());

        Assert.Equal(LastWeek, Assert.Single(await RowsAsync(host)).Week);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task NothingChangedStoresLastWeeksAnswerForThisWeekInOneClick(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var useCase = await SeedUseCaseAsync(host);
        var lastWeeks = SampleAnswer(tasks: 180);
        await SeedAnswerAsync(host, useCase.Id, LastWeek, lastWeeks);

        var (type, value) = await InvokeAsync(host, Ada, CheckInCard.NothingChangedVerb, useCase.Id, ThisWeek, []);

        Assert.Equal("application/vnd.microsoft.card.adaptive", type);
        Assert.Contains("Same as last week: stored", value.ToJsonString());
        var thisWeek = Assert.Single(await RowsAsync(host), r => r.Week == ThisWeek);
        Assert.Equal(AnswerJson.Serialize(lastWeeks), thisWeek.AnswerJson);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task SkipMarksThisWeekSkippedFromTheCommandAndFromTheCard(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var useCase = await SeedUseCaseAsync(host);
        var other = await SeedUseCaseAsync(host);

        await SendAsync(host, Message(Ada, "skip"));
        // From the card, for one of them; the other's card then says it is skipped already.
        var rowsAfterCommand = await RowsAsync(host);
        var (type, _) = await InvokeAsync(host, Ada, CheckInCard.SkipVerb, useCase.Id, ThisWeek, []);

        Assert.Equal(2, rowsAfterCommand.Count);
        Assert.All(rowsAfterCommand, r => Assert.Equal(CheckInStatus.Skipped, r.Status));
        Assert.Contains(rowsAfterCommand, r => r.UseCaseId == other.Id);
        Assert.Equal("application/vnd.microsoft.card.adaptive", type);
        Assert.Equal(2, (await RowsAsync(host)).Count);
        Assert.Contains("skipped for 2026-W11", Assert.Single(host.Connector.Requests, r => r.Method == "POST").Body);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task StatusListsTheLatestThreeFiguresAndTheBreach(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var useCase = await SeedUseCaseAsync(host);
        await InvokeAsync(host, Ada, CheckInCard.AnswerVerb, useCase.Id, ThisWeek, ValidInputs());

        await SendAsync(host, Message(Grace, "status"));

        var sent = Assert.Single(host.Connector.Requests, r => r.Method == "POST").Body;
        Assert.Contains("Invoice triage", sent);
        Assert.Contains("1,200.00 EUR", sent);
        Assert.Contains("480.00 EUR", sent);
        Assert.Contains("720.00 EUR", sent);
        Assert.Contains("Adoption 50 % is below the 60 % minimum", sent);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task HandingTheWeekToTheDelegateIsRecordedAndSendsThemTheCard(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var useCase = await SeedUseCaseAsync(host);

        var (_, notInstalled) = await InvokeAsync(host, Ada, CheckInCard.HandToDelegateVerb, useCase.Id, ThisWeek, []);
        Assert.Contains("Grace Hopper has not installed ValueBot yet", notInstalled.ToJsonString());

        (await SendAsync(host, PersonalInstall(Grace))).EnsureSuccessStatusCode();
        var (_, value) = await InvokeAsync(host, Ada, CheckInCard.HandToDelegateVerb, useCase.Id, ThisWeek, []);

        Assert.Contains("Handed to Grace Hopper", value.ToJsonString());
        Assert.Contains("I have sent Grace Hopper", value.ToJsonString());
        var card = await host.Connector.WaitForRequestAsync(r => r.Method == "POST" && r.Body.Contains("handed this week"));
        Assert.Equal(Grace.ConversationId, card.Route[1]);
        Assert.Contains("Weekly check-in: Invoice triage", card.Body);
        var audit = await AuditAsync(host, useCase.Id, ThisWeek);
        Assert.Equal(2, audit.Count);
        Assert.All(audit, a => Assert.Equal("handed_to_delegate", a.Field));
        Assert.Equal(Grace.AadObjectId, audit[^1].NewValue);
    }

    [Fact]
    public void CardsValidateAgainstTheAdaptiveCardSchemaAndStayUnder80KB()
    {
        var useCase = UseCaseFor(Guid.NewGuid());
        var errors = new[] { new FieldError(AnswerFields.Tasks, "Enter the number of tasks.") };
        var metrics = ValueBot.Domain.Metrics.WeeklyMetrics.Compute(useCase, ThisWeek, SampleAnswer(200));
        var cards = new[]
        {
            CheckInCard.Build(useCase, ThisWeek, null),
            CheckInCard.Build(useCase, ThisWeek, SampleAnswer(200)),
            CheckInCard.Build(useCase with { Delegate = null }, ThisWeek, SampleAnswer(200), errors, new Dictionary<string, string?> { [AnswerFields.Tasks] = "x" }),
            CheckInCard.Build(useCase, ThisWeek, SampleAnswer(200), submitted: new Dictionary<string, string?> { [AnswerFields.ActiveUsers] = "500" },
                view: CheckInView.Update, outliers: [new ValueBot.Domain.Evidence.Outlier(ValueBot.Domain.Evidence.Outlier.MoreUsersThanTarget, "Active users (500) are more than the 100 target users.")]),
            CheckInCard.Receipt(new CheckInReceipt(useCase, "Thanks", SampleAnswer(200) with { Win = "A win", ShareWinWithLeadership = true }, metrics, metrics, [],
                ValueBot.Domain.UseCases.StopLossThresholds.Default, null, "Your win is flagged for leadership.", 1, CanEdit: true)),
            CheckInCard.Notice("Skipped", "See you next week."),
        };

        Assert.All(cards, c => Assert.True(c.SizeInBytes() < 80 * 1024));
        var results = ValueBot.Testing.SchemaValidator.Validate(ValueBot.Testing.RepositoryPaths.AdaptiveCardSchema, cards.Select(c => c.ToJson()).ToArray());
        Assert.All(results, r => Assert.True(r.Valid, string.Join("\n", r.Errors)));
    }

    /// <summary>Like SendFromTeamsAsync, with a token valid at the host's fixed clock.</summary>
    private static Task<HttpResponseMessage> SendAsync(ValueBotTestHost host, Activity activity)
    {
        activity.ServiceUrl ??= host.ServiceUrl;
        return host.PostAsync(activity, host.Issuer.CreateBotFrameworkToken(
            ValueBotTestHost.AppId, activity.ServiceUrl, notBefore: Now.AddHours(-1), expires: Now.AddHours(1)));
    }

    private static Task<ValueBotTestHost> StartAsync(TestDatabase database) =>
        ValueBotTestHost.StartAsync(database.ConnectionString, time: new FixedTime(Now));

    private static UseCase UseCaseFor(Guid id) => new()
    {
        Id = id,
        Name = "Invoice triage",
        ValueModel = ValueModel.ProcessReengineering,
        Owner = new PersonRef(Ada.AadObjectId, Ada.Name),
        Delegate = new PersonRef(Grace.AadObjectId, Grace.Name),
        TargetUsers = 100,
        Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0.1m, 20m),
        PlannedRunCostPerMonth = new Money(1300m, "EUR"),
    };

    private static async Task<UseCase> SeedUseCaseAsync(ValueBotTestHost host, DateOnly? launchDate = null)
    {
        var useCase = UseCaseFor(Guid.NewGuid()) with { LaunchDate = launchDate };
        await host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().CreateAsync(useCase, "test", CancellationToken.None));
        return useCase;
    }

    private static Task SeedAnswerAsync(ValueBotTestHost host, Guid useCaseId, IsoWeek week, Answer answer) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<CheckInStore>().RecordAnswerAsync(useCaseId, week, answer, Ada.AadObjectId, CancellationToken.None));

    private static Answer SampleAnswer(int tasks) => new()
    {
        ActiveUsers = 70,
        Tasks = tasks,
        MinutesSavedPerTask = 6m,
        ReworkShare = 0.1m,
        MinutesPerCorrection = 5m,
        Exceptions = 4,
        RunCost = RunCost.Zero("EUR") with { LicencesAndTokens = new Money(300m, "EUR") },
    };

    private static Dictionary<string, string?> ValidInputs() => CheckInInputs.Valid();

    /// <summary>An Action.Execute invoke as Teams sends it: hidden data with the inputs merged in.</summary>
    private static async Task<(string Type, JsonNode Value)> InvokeAsync(
        ValueBotTestHost host, User user, string verb, Guid useCaseId, IsoWeek week, Dictionary<string, string?> inputs)
    {
        var data = new JsonObject
        {
            [CheckInCard.UseCaseIdKey] = useCaseId.ToString("D"),
            [CheckInCard.WeekKey] = week.ToString(),
        };
        foreach (var (key, value) in inputs)
        {
            data[key] = value;
        }

        return await ReadInvokeResponseAsync(await SendAsync(host, CardAction(user, verb, data)));
    }

    private static Task<List<CheckIn>> RowsAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<CheckIn>().AsNoTracking().ToListAsync());

    private static Task<IReadOnlyList<AuditEntry>> AuditAsync(ValueBotTestHost host, Guid useCaseId, IsoWeek week) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<CheckInStore>().AuditTrailAsync(useCaseId, week, CancellationToken.None));

    // Not FakeTimeProvider: the host's outbox sender and rate limiter wait on this clock's timers, which must fire in real time.
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
