using System.Net;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.CheckIns.CheckInWorld;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.CheckIns;

/// <summary>The weekly check-in through the real /api/messages endpoint: card, answers, commands.</summary>
public sealed class CheckInTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task CheckinCommandSendsThisWeeksCardPrefilledWithLastWeek(string engine)
    {
        await using var world = await StartAsync(engine);
        var useCase = await world.SeedUseCaseAsync();
        await world.SeedAnswerAsync(useCase.Id, LastWeek, LastWeeksAnswer(tasks: 180));

        var response = await world.SendAsync(Message(Ada, "checkin"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var card = CardReader.FromActivity(Assert.Single(world.Posts).Body);
        Assert.Equal("Weekly check-in: Invoice triage", card.Texts()[0]);
        Assert.Equal(ThisWeek.ToString(), card.Data(CheckInCard.AnswerVerb)[CheckInCard.WeekKey]!.GetValue<string>());
        Assert.Equal(useCase.Id.ToString("D"), card.Data(CheckInCard.AnswerVerb)[CheckInCard.UseCaseIdKey]!.GetValue<string>());
        Assert.Equal(CheckInCard.SameAsLastWeekTitle, card.Action(CheckInCard.NothingChangedVerb).Title);
        Assert.Equal("Hand to delegate", card.Action(CheckInCard.HandToDelegateVerb).Title);
        Assert.Equal("180", card.Input(AnswerFields.Tasks).Value); // last week's answer, prefilled
        Assert.Equal("70", card.Input(AnswerFields.ActiveUsers).Value);
    }

    [Fact]
    public async Task CheckinCommandTellsSomeoneWithoutUseCasesThatTheyOwnNone()
    {
        await using var world = await StartAsync("sqlite");
        await world.SeedUseCaseAsync();

        var reply = await world.ReplyToAsync(Bob, "checkin");

        Assert.StartsWith("You own no use case", MessageText(reply), StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task InvalidAnswerReturnsTheCardWithErrorsAndStoresNothing(string engine)
    {
        await using var world = await StartAsync(engine);
        var useCase = await world.SeedUseCaseAsync();
        var inputs = CheckInInputs.Valid();
        inputs.Remove(AnswerFields.ActiveUsers);
        inputs[AnswerFields.ReworkPercent] = "140";

        var card = await world.InvokeForCardAsync(Ada, CheckInCard.AnswerVerb, CheckInInputs.Data(useCase.Id, ThisWeek.ToString(), inputs));

        Assert.EndsWith("Nothing was stored.", card.TextWith("need fixing"), StringComparison.Ordinal);
        Assert.Equal("Enter the number of active users this week (0 if none).", card.Input(AnswerFields.ActiveUsers).ErrorMessage);
        Assert.Equal("Enter the number of active users this week \\(0 if none\\).", card.TextWith("active users this week")); // shown below the input
        Assert.Equal("The rework must be a percentage from 0 to 100.", card.Input(AnswerFields.ReworkPercent).ErrorMessage);
        Assert.Contains("The rework must be a percentage from 0 to 100.", card.Texts());
        Assert.Equal("140", card.Input(AnswerFields.ReworkPercent).Value); // what was entered is kept
        Assert.Equal("200", card.Input(AnswerFields.Tasks).Value);
        Assert.Empty(await world.RowsAsync());
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ValidAnswerIsStoredAndTheCardBecomesAReceiptWithTheThreeFiguresAndTheBreach(string engine)
    {
        await using var world = await StartAsync(engine);
        var useCase = await world.SeedUseCaseAsync();

        var receipt = await world.InvokeForCardAsync(Ada, CheckInCard.AnswerVerb, CheckInInputs.Data(useCase.Id, ThisWeek.ToString(), CheckInInputs.Valid()));

        // T=200, m=6, h=60: gross 1,200; rework 200×10 %×5/60×60 = 100, exceptions 4×20/60×60 = 80, run 300.
        Assert.Equal("1,200.00 EUR", receipt.Fact("Gross value"));
        Assert.Equal("480.00 EUR", receipt.Fact("Absorption cost"));
        Assert.Equal("720.00 EUR", receipt.Fact("Net value, raw"));
        Assert.Contains("Stop-loss breach: Adoption 50 % is below the 60 % minimum.", receipt.Texts());
        var row = Assert.Single(await world.RowsAsync());
        Assert.Equal(CheckInStatus.Answered, row.Status);
        Assert.Equal(ThisWeek, row.Week);
        Assert.Equal(Ada.AadObjectId, row.AnsweredBy);
        Assert.Equal(200, AnswerJson.TryDeserialize(row.AnswerJson)!.Tasks);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task SomeoneWhoIsNeitherOwnerNorDelegateIsRefusedAndNothingIsStored(string engine)
    {
        await using var world = await StartAsync(engine);
        var useCase = await world.SeedUseCaseAsync();

        var (type, value) = await world.InvokeAsync(Bob, CheckInCard.AnswerVerb, useCase.Id, ThisWeek, CheckInInputs.Valid());

        Assert.Equal("application/vnd.microsoft.activity.message", type);
        Assert.Contains("Only Ada Lovelace or their delegate", value.GetValue<string>());
        Assert.Empty(await world.RowsAsync());

        // The delegate may answer.
        var (delegateType, _) = await world.InvokeAsync(Grace, CheckInCard.AnswerVerb, useCase.Id, ThisWeek, CheckInInputs.Valid());
        Assert.Equal(CardReader.ContentType, delegateType);
        Assert.Equal(Grace.AadObjectId, Assert.Single(await world.RowsAsync()).AnsweredBy);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ADoubleSubmitStoresOneAnswerAndNoAudit(string engine)
    {
        await using var world = await StartAsync(engine);
        var useCase = await world.SeedUseCaseAsync();

        var results = await Task.WhenAll(
            world.InvokeAsync(Ada, CheckInCard.AnswerVerb, useCase.Id, ThisWeek, CheckInInputs.Valid()),
            world.InvokeAsync(Ada, CheckInCard.AnswerVerb, useCase.Id, ThisWeek, CheckInInputs.Valid()));
        await world.InvokeAsync(Ada, CheckInCard.AnswerVerb, useCase.Id, ThisWeek, CheckInInputs.Valid());

        Assert.All(results, r => Assert.Equal(CardReader.ContentType, r.Type));
        Assert.Single(await world.RowsAsync());
        Assert.Empty(await world.AuditAsync(useCase.Id, ThisWeek));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnEditBeforeTheWeekClosesReplacesTheAnswerAndIsAudited(string engine)
    {
        await using var world = await StartAsync(engine);
        var useCase = await world.SeedUseCaseAsync();
        await world.InvokeAsync(Ada, CheckInCard.AnswerVerb, useCase.Id, ThisWeek, CheckInInputs.Valid());
        var edited = CheckInInputs.Valid();
        edited[AnswerFields.Tasks] = "300";
        edited[CheckInCard.RevisionKey] = "1"; // built from the first answer

        var receipt = await world.InvokeForCardAsync(Ada, CheckInCard.AnswerVerb, CheckInInputs.Data(useCase.Id, ThisWeek.ToString(), edited));

        Assert.Equal("Answer updated: Invoice triage, week 2026-W11", receipt.Texts()[0]);
        Assert.Equal("1,800.00 EUR", receipt.Fact("Gross value")); // 300 tasks × 6 min at 60 EUR an hour
        var row = Assert.Single(await world.RowsAsync());
        Assert.Equal(300, AnswerJson.TryDeserialize(row.AnswerJson)!.Tasks);
        var audit = Assert.Single(await world.AuditAsync(useCase.Id, ThisWeek));
        Assert.Equal("answer", audit.Field);
        Assert.Equal(200, AnswerJson.TryDeserialize(audit.OldValue)!.Tasks);
        Assert.Equal(300, AnswerJson.TryDeserialize(audit.NewValue)!.Tasks);
        Assert.Equal(Ada.AadObjectId, audit.ChangedBy);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ALateAnswerCountsForTheWeekOnTheCard(string engine)
    {
        await using var world = await StartAsync(engine);
        var useCase = await world.SeedUseCaseAsync();

        await world.InvokeAsync(Ada, CheckInCard.AnswerVerb, useCase.Id, LastWeek, CheckInInputs.Valid());

        Assert.Equal(LastWeek, Assert.Single(await world.RowsAsync()).Week);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task NothingChangedStoresLastWeeksAnswerForThisWeekInOneClick(string engine)
    {
        await using var world = await StartAsync(engine);
        var useCase = await world.SeedUseCaseAsync();
        var lastWeeks = LastWeeksAnswer(tasks: 180);
        await world.SeedAnswerAsync(useCase.Id, LastWeek, lastWeeks);

        var receipt = await world.InvokeForCardAsync(Ada, CheckInCard.NothingChangedVerb, CheckInInputs.Data(useCase.Id, ThisWeek.ToString(), new Dictionary<string, string?>()));

        Assert.Equal("Same as last week: stored: Invoice triage, week 2026-W11", receipt.Texts()[0]);
        var thisWeek = Assert.Single(await world.RowsAsync(), r => r.Week == ThisWeek);
        Assert.Equal(AnswerJson.Serialize(lastWeeks), thisWeek.AnswerJson);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task SkipMarksThisWeekSkippedFromTheCommandAndFromTheCard(string engine)
    {
        await using var world = await StartAsync(engine);
        var useCase = await world.SeedUseCaseAsync();
        var other = await world.SeedUseCaseAsync();

        var reply = MessageText(await world.ReplyToAsync(Ada, "skip"));
        // From the card, for one of them; the other's card then says it is skipped already.
        var rowsAfterCommand = await world.RowsAsync();
        var (type, _) = await world.InvokeAsync(Ada, CheckInCard.SkipVerb, useCase.Id, ThisWeek, new Dictionary<string, string?>());

        Assert.Equal(2, rowsAfterCommand.Count);
        Assert.All(rowsAfterCommand, r => Assert.Equal(CheckInStatus.Skipped, r.Status));
        Assert.Contains(rowsAfterCommand, r => r.UseCaseId == other.Id);
        Assert.Equal(CardReader.ContentType, type);
        Assert.Equal(2, (await world.RowsAsync()).Count);
        Assert.Equal(["- Invoice triage: skipped for 2026-W11.", "- Invoice triage: skipped for 2026-W11."], reply.Split('\n'));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task StatusListsTheLatestThreeFiguresAndTheBreach(string engine)
    {
        await using var world = await StartAsync(engine);
        var useCase = await world.SeedUseCaseAsync();
        await world.InvokeAsync(Ada, CheckInCard.AnswerVerb, useCase.Id, ThisWeek, CheckInInputs.Valid());

        var status = CardReader.FromActivity(await world.ReplyToAsync(Grace, "status"));

        Assert.Contains("Invoice triage", status.Texts());
        Assert.Contains("Latest answered week: 2026-W11", status.Texts());
        Assert.Equal("1,200.00 EUR", status.Fact("Gross value"));
        Assert.Equal("480.00 EUR", status.Fact("Absorption cost"));
        Assert.Equal("720.00 EUR", status.Fact("Net value"));
        Assert.Contains("Stop-loss breach: Adoption 50 % is below the 60 % minimum.", status.Texts());
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task HandingTheWeekToTheDelegateIsRecordedAndSendsThemTheCard(string engine)
    {
        await using var world = await StartAsync(engine);
        var useCase = await world.SeedUseCaseAsync();
        var data = CheckInInputs.Data(useCase.Id, ThisWeek.ToString(), new Dictionary<string, string?>());

        var notInstalled = await world.InvokeForCardAsync(Ada, CheckInCard.HandToDelegateVerb, data);
        Assert.StartsWith("Grace Hopper has not installed ValueBot yet", notInstalled.Texts()[1], StringComparison.Ordinal);

        (await world.SendAsync(PersonalInstall(Grace))).EnsureSuccessStatusCode();
        var handed = await world.InvokeForCardAsync(Ada, CheckInCard.HandToDelegateVerb, data);

        Assert.Equal("Handed to Grace Hopper: Invoice triage, week 2026-W11", handed.Texts()[0]);
        Assert.StartsWith("I have sent Grace Hopper this week's card.", handed.Texts()[1], StringComparison.Ordinal);
        var sent = await world.Host.Connector.WaitForRequestAsync(r => r.Method == "POST" && r.Body.Contains("handed this week"));
        Assert.Equal(Grace.ConversationId, sent.Route[1]);
        var card = CardReader.FromActivity(sent.Body);
        Assert.Equal("Weekly check-in: Invoice triage", card.Texts()[0]);
        Assert.Contains("Ada Lovelace handed this week's check-in to you.", card.Texts());
        Assert.Equal(useCase.Id.ToString("D"), card.Data(CheckInCard.AnswerVerb)[CheckInCard.UseCaseIdKey]!.GetValue<string>());
        var audit = await world.AuditAsync(useCase.Id, ThisWeek);
        Assert.Equal(2, audit.Count);
        Assert.All(audit, a => Assert.Equal("handed_to_delegate", a.Field));
        Assert.Equal(Grace.AadObjectId, audit[^1].NewValue);
    }

    [Fact]
    public void CardsValidateAgainstTheAdaptiveCardSchemaAndStayUnder80KB()
    {
        var useCase = InvoiceTriage(Guid.NewGuid());
        var errors = new[] { new FieldError(AnswerFields.Tasks, "Enter the number of tasks.") };
        var metrics = ValueBot.Domain.Metrics.WeeklyMetrics.Compute(useCase, ThisWeek, LastWeeksAnswer(200));
        var cards = new[]
        {
            CheckInCard.Build(useCase, ThisWeek, null),
            CheckInCard.Build(useCase, ThisWeek, LastWeeksAnswer(200)),
            CheckInCard.Build(useCase with { Delegate = null }, ThisWeek, LastWeeksAnswer(200), errors, new Dictionary<string, string?> { [AnswerFields.Tasks] = "x" }),
            CheckInCard.Build(useCase, ThisWeek, LastWeeksAnswer(200), submitted: new Dictionary<string, string?> { [AnswerFields.ActiveUsers] = "500" },
                view: CheckInView.Update, outliers: [new ValueBot.Domain.Evidence.Outlier(ValueBot.Domain.Evidence.Outlier.MoreUsersThanTarget, "Active users (500) are more than the 100 target users.")]),
            CheckInCard.Receipt(new CheckInReceipt(useCase, "Thanks", LastWeeksAnswer(200) with { Win = "A win", ShareWinWithLeadership = true }, metrics, metrics, [],
                ValueBot.Domain.UseCases.StopLossThresholds.Default, null, "Your win is flagged for leadership.", 1, CanEdit: true)),
            CheckInCard.Notice("Skipped", "See you next week."),
        };

        Assert.All(cards, c => Assert.True(c.SizeInBytes() < 80 * 1024));
        var results = ValueBot.Testing.SchemaValidator.Validate(ValueBot.Testing.RepositoryPaths.AdaptiveCardSchema, cards.Select(c => c.ToJson()).ToArray());
        Assert.All(results, r => Assert.True(r.Valid, string.Join("\n", r.Errors)));
    }

    /// <summary>The text of a plain message the bot sent.</summary>
    private static string MessageText(string activityJson) =>
        System.Text.Json.Nodes.JsonNode.Parse(activityJson)!["text"]!.GetValue<string>();
}
