using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Schema;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.CheckIns;

/// <summary>
/// Answering a week again, through the real /api/messages endpoint: the card comes back with the week's own stored
/// answer, a change keeps what was not changed, an old card never overwrites a newer answer, and only weeks that can
/// take an answer take one.
/// </summary>
public sealed class NoAnswerLostTests
{
    // Monday 9 March 2026, 10:00 UTC: week 2026-W11 is open (it closes Friday 12:00 UTC).
    private static readonly DateTimeOffset Now = new(2026, 3, 9, 10, 0, 0, TimeSpan.Zero);
    private static readonly IsoWeek ThisWeek = IsoWeek.Parse("2026-W11");
    private static readonly IsoWeek LastWeek = IsoWeek.Parse("2026-W10");
    private static readonly DateOnly Launched = new(2026, 1, 5);
    private const string Win = "Month-end close took two days instead of four";
    private const string Blocker = "Need read access to the vendor master data";

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task CheckinForAnAnsweredWeekIsPrefilledWithItsOwnAnswerAndSaysWhenAndByWhom(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var useCase = await SeedUseCaseAsync(host);
        await host.WithScopeAsync(sp => sp.GetRequiredService<CheckInStore>().RecordAnswerAsync(useCase.Id, LastWeek, LastWeeksAnswer(), Ada.AadObjectId, CancellationToken.None));
        var (type, _) = await InvokeAsync(host, Grace, CheckInCard.AnswerVerb, FirstCardData(useCase.Id, inputs =>
        {
            inputs[AnswerFields.Tasks] = "240";
            inputs[AnswerFields.Win] = Win;
            inputs[AnswerFields.ShareWin] = "true";
            inputs[AnswerFields.Blocker] = Blocker;
            inputs[AnswerFields.OwnersCall] = "atRisk";
        }));
        Assert.Equal("application/vnd.microsoft.card.adaptive", type);

        var card = await CheckinCardAsync(host, Ada);

        var inputs = card.Inputs();
        Assert.Equal("240", inputs[AnswerFields.Tasks]); // this week's, not last week's 180
        Assert.Equal("50", inputs[AnswerFields.ActiveUsers]);
        Assert.Equal(Win, inputs[AnswerFields.Win]);
        Assert.Equal("true", inputs[AnswerFields.ShareWin]);
        Assert.Equal(Blocker, inputs[AnswerFields.Blocker]);
        Assert.Equal("atRisk", inputs[AnswerFields.OwnersCall]);
        Assert.Contains("Answered on Mon 9 Mar 2026 at 10:00 (UTC) by Grace Hopper (delegate).", card.Texts());
        Assert.Equal(1, card.Data(CheckInCard.AnswerVerb)[CheckInCard.RevisionKey]!.GetValue<int>());
        // Repeating last week or skipping would throw this week's answer away: neither is offered.
        Assert.False(card.HasAction(CheckInCard.NothingChangedVerb));
        Assert.False(card.HasAction(CheckInCard.SkipVerb));

        // The delegate sees it was their own answer.
        Assert.Contains("Answered on Mon 9 Mar 2026 at 10:00 (UTC) by you.", (await CheckinCardAsync(host, Grace)).Texts());
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ChangingOneNumberOnThePrefilledCardKeepsEverythingElseAndAuditsTheAnswerAsGiven(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var useCase = await SeedUseCaseAsync(host);
        await InvokeAsync(host, Ada, CheckInCard.AnswerVerb, FirstCardData(useCase.Id, inputs =>
        {
            inputs[AnswerFields.Win] = Win;
            inputs[AnswerFields.ShareWin] = "true";
            inputs[AnswerFields.Blocker] = Blocker;
            inputs[AnswerFields.QualityIncidents] = "1";
            inputs[AnswerFields.QualityIncidentNote] = "One invoice routed to the wrong approver";
        }));
        var first = (await RowAsync(host, useCase.Id, ThisWeek)).AnswerJson;

        var card = await CheckinCardAsync(host, Ada);
        var (_, receipt) = await InvokeAsync(host, Ada, CheckInCard.AnswerVerb,
            card.Submit(CheckInCard.AnswerVerb, inputs => inputs[AnswerFields.Tasks] = "260"));

        Assert.Contains("Answer updated", receipt.ToJsonString());
        var row = await RowAsync(host, useCase.Id, ThisWeek);
        var stored = AnswerJson.TryDeserialize(row.AnswerJson)!;
        Assert.Equal(AnswerJson.Serialize(AnswerJson.TryDeserialize(first)! with { Tasks = 260 }), AnswerJson.Serialize(stored));
        Assert.Equal(Win, stored.Win);
        Assert.True(stored.ShareWinWithLeadership);
        Assert.Equal(Blocker, stored.Blocker);
        Assert.Equal(2, row.AnswerRevision);
        var audit = Assert.Single(await AuditAsync(host, useCase.Id, ThisWeek));
        Assert.Equal(first, audit.OldValue);
        Assert.Equal(row.AnswerJson, audit.NewValue);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AFieldTheCardDoesNotSendKeepsItsStoredValueAndAFieldSentEmptyIsCleared(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var useCase = await SeedUseCaseAsync(host);
        // Evidence and where the freed time went are on the card, prefilled from the stored answer.
        await InvokeAsync(host, Ada, CheckInCard.AnswerVerb, FirstCardData(useCase.Id, inputs =>
        {
            inputs[AnswerFields.MinutesSavedSource] = "measured";
            inputs[AnswerFields.MinutesSavedConfidence] = "high";
            inputs[AnswerFields.FreedTime] = "capacity";
            inputs[AnswerFields.Win] = Win;
            inputs[AnswerFields.Blocker] = Blocker;
        }));

        var card = await CheckinCardAsync(host, Ada);
        Assert.Equal("capacity", card.Inputs()[AnswerFields.FreedTime]);
        Assert.Equal("measured", card.Inputs()[AnswerFields.MinutesSavedSource]);
        Assert.Equal("high", card.Inputs()[AnswerFields.MinutesSavedConfidence]);
        var data = card.Submit(CheckInCard.AnswerVerb, inputs =>
        {
            inputs[AnswerFields.Exceptions] = "9";
            inputs[AnswerFields.Blocker] = "";
        });
        data.Remove(AnswerFields.Win); // a client that leaves inputs out
        data.Remove(AnswerFields.FreedTime);
        data.Remove(AnswerFields.MinutesSavedSource);
        await InvokeAsync(host, Ada, CheckInCard.AnswerVerb, data);

        var stored = AnswerJson.TryDeserialize((await RowAsync(host, useCase.Id, ThisWeek)).AnswerJson)!;
        Assert.Equal(9, stored.Exceptions);
        Assert.Equal(new EvidenceGrade(EvidenceSource.Measured, EvidenceConfidence.High), stored.MinutesSavedEvidence);
        Assert.Equal(FreedTime.Capacity, stored.FreedTime);
        Assert.Equal(Win, stored.Win);
        Assert.Null(stored.Blocker); // emptied on the card: the owner removed it
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnOldCardsDataSentAgainIsRefusedWithTheCurrentCardAndNothingIsStored(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var useCase = await SeedUseCaseAsync(host);
        var mondaysCard = FirstCardData(useCase.Id, inputs => inputs[AnswerFields.Win] = Win);
        await InvokeAsync(host, Ada, CheckInCard.AnswerVerb, mondaysCard);
        var secondCard = (await CheckinCardAsync(host, Ada)).Submit(CheckInCard.AnswerVerb, inputs => inputs[AnswerFields.Tasks] = "260");
        await InvokeAsync(host, Ada, CheckInCard.AnswerVerb, secondCard);
        var before = await RowAsync(host, useCase.Id, ThisWeek);
        var auditBefore = (await AuditAsync(host, useCase.Id, ThisWeek)).Count;

        // Monday's card again, with other figures; then the second card (revision 1) with yet others.
        mondaysCard[AnswerFields.Tasks] = "999";
        secondCard[AnswerFields.Tasks] = "111";
        foreach (var replay in new[] { mondaysCard, secondCard })
        {
            var (type, value) = await InvokeAsync(host, Ada, CheckInCard.AnswerVerb, replay);

            Assert.Equal("application/vnd.microsoft.card.adaptive", type);
            var current = new CheckInCardReader(value);
            Assert.Contains(current.Texts(), t => t.StartsWith("That card was out of date", StringComparison.Ordinal) && t.Contains("nothing was stored", StringComparison.Ordinal));
            Assert.Equal("260", current.Inputs()[AnswerFields.Tasks]);
            Assert.Equal(Win, current.Inputs()[AnswerFields.Win]);
            Assert.Equal(2, current.Data(CheckInCard.AnswerVerb)[CheckInCard.RevisionKey]!.GetValue<int>());
            var after = await RowAsync(host, useCase.Id, ThisWeek);
            Assert.Equal(before.AnswerJson, after.AnswerJson);
            Assert.Equal(2, after.AnswerRevision);
            Assert.Equal(auditBefore, (await AuditAsync(host, useCase.Id, ThisWeek)).Count);
        }

        // "Nothing changed" from Monday's card would put last week over this week: refused the same way.
        var (_, nothingChanged) = await InvokeAsync(host, Ada, CheckInCard.NothingChangedVerb, CheckInInputs.Data(useCase.Id, ThisWeek.ToString(), new Dictionary<string, string?>()));
        Assert.Contains("That card was out of date", nothingChanged.ToJsonString());
        Assert.Equal(before.AnswerJson, (await RowAsync(host, useCase.Id, ThisWeek)).AnswerJson);

        // The refusal's own card is current: sending it stores.
        var (_, updated) = await InvokeAsync(host, Ada, CheckInCard.AnswerVerb,
            new CheckInCardReader((await InvokeAsync(host, Ada, CheckInCard.AnswerVerb, mondaysCard)).Value)
                .Submit(CheckInCard.AnswerVerb, inputs => inputs[AnswerFields.Tasks] = "270"));
        Assert.Contains("Answer updated", updated.ToJsonString());
        Assert.Equal(270, AnswerJson.TryDeserialize((await RowAsync(host, useCase.Id, ThisWeek)).AnswerJson)!.Tasks);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task OfConcurrentSubmissionsFromTheSameCardExactlyOneIsStored(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var useCase = await SeedUseCaseAsync(host);

        // Round 0 races first answers (no row yet: the unique row decides); later rounds race edits (the revision decides).
        for (var round = 0; round < 4; round++)
        {
            var card = round == 0 ? null : await CheckinCardAsync(host, Ada);
            var submissions = Enumerable.Range(0, 4).Select(i =>
            {
                var tasks = (1000 * (round + 1) + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return card is null
                    ? FirstCardData(useCase.Id, inputs => inputs[AnswerFields.Tasks] = tasks)
                    : card.Submit(CheckInCard.AnswerVerb, inputs => inputs[AnswerFields.Tasks] = tasks);
            }).ToList();

            var results = await Task.WhenAll(submissions.Select(d => InvokeAsync(host, Ada, CheckInCard.AnswerVerb, d)));

            var winners = results.Where(r => r.Value.ToJsonString() is var json && (json.Contains("Thanks, check-in stored") || json.Contains("Answer updated"))).ToList();
            Assert.Single(winners);
            Assert.Equal(3, results.Count(r => r.Value.ToJsonString().Contains("That card was out of date")));
            var row = await RowAsync(host, useCase.Id, ThisWeek);
            Assert.Equal(round + 1, row.AnswerRevision);
            var won = submissions[Array.FindIndex(results, r => winners.Contains(r))][AnswerFields.Tasks]!.GetValue<string>();
            Assert.Equal(int.Parse(won, System.Globalization.CultureInfo.InvariantCulture), AnswerJson.TryDeserialize(row.AnswerJson)!.Tasks);
            Assert.Equal(round, (await AuditAsync(host, useCase.Id, ThisWeek)).Count(a => a.Field == "answer"));
        }
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ASkipRacingAnAnswerNeverHidesTheAnswer(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        for (var round = 0; round < 4; round++)
        {
            var useCase = await SeedUseCaseAsync(host);
            // The week's card was sent: the row exists, unanswered.
            await host.WithScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<ValueBotDbContext>();
                db.Add(new CheckIn { UseCaseId = useCase.Id, Week = ThisWeek, Status = CheckInStatus.Sent, CreatedAt = Now.UtcDateTime, UpdatedAt = Now.UtcDateTime });
                return await db.SaveChangesAsync();
            });

            var empty = new Dictionary<string, string?>();
            await Task.WhenAll(
                InvokeAsync(host, Ada, CheckInCard.AnswerVerb, FirstCardData(useCase.Id, _ => { })),
                InvokeAsync(host, Grace, CheckInCard.SkipVerb, CheckInInputs.Data(useCase.Id, ThisWeek.ToString(), empty)));

            var row = await RowAsync(host, useCase.Id, ThisWeek);
            // Whichever came first, a stored answer is never under a "skipped" status.
            Assert.Equal(CheckInStatus.Answered, row.Status);
            Assert.Equal(200, AnswerJson.TryDeserialize(row.AnswerJson)!.Tasks);
        }
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task OnlyWeeksThatHaveBegunAndFollowTheStartTakeAnswersOrSkips(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var useCase = await SeedUseCaseAsync(host);
        var refusals = new Dictionary<string, string>
        {
            ["1900-W01"] = "was not measured yet in week 1900-W01: its first week is 2026-W02",
            ["2025-W52"] = "was not measured yet in week 2025-W52",
            ["2026-W01"] = "was not measured yet in week 2026-W01",
            ["2026-W12"] = "Week 2026-W12 has not begun yet",
            ["2099-W01"] = "Week 2099-W01 has not begun yet",
        };

        foreach (var (week, refusal) in refusals)
        {
            foreach (var verb in new[] { CheckInCard.AnswerVerb, CheckInCard.SkipVerb, CheckInCard.NothingChangedVerb, CheckInCard.HandToDelegateVerb })
            {
                var (type, value) = await InvokeAsync(host, Ada, verb, CheckInInputs.Data(useCase.Id, week, CheckInInputs.Valid()));

                Assert.Equal("application/vnd.microsoft.activity.message", type);
                Assert.Contains(refusal, value.GetValue<string>());
                Assert.Contains("Nothing was stored", value.GetValue<string>());
            }
        }

        Assert.Empty(await RowsAsync(host));
        Assert.Empty(await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<AuditEntry>().AsNoTracking()
            .Where(a => a.Entity == CheckInStore.AuditEntity).ToListAsync()));

        // The first week, a week that closed unanswered (a late answer) and this week do.
        foreach (var week in new[] { "2026-W02", "2026-W10", "2026-W11" })
        {
            var (type, value) = await InvokeAsync(host, Ada, CheckInCard.AnswerVerb, CheckInInputs.Data(useCase.Id, week, CheckInInputs.Valid()));
            Assert.Equal("application/vnd.microsoft.card.adaptive", type);
            Assert.Contains("Thanks, check-in stored", value.ToJsonString());
        }

        Assert.Equal(3, (await RowsAsync(host)).Count(r => r.Status == CheckInStatus.Answered));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AClosedWeekIsAnsweredLateButNotSkippedAndAWeekBeforeRegistrationWithoutALaunchDateIsRefused(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        var launched = await SeedUseCaseAsync(host);
        var registeredToday = await SeedUseCaseAsync(host, launched: false);

        var (skipType, skip) = await InvokeAsync(host, Ada, CheckInCard.SkipVerb, CheckInInputs.Data(launched.Id, LastWeek.ToString(), new Dictionary<string, string?>()));
        Assert.Equal("application/vnd.microsoft.activity.message", skipType);
        Assert.Contains("has closed, so it can no longer be skipped", skip.GetValue<string>());
        Assert.Empty(await RowsAsync(host));

        var (_, late) = await InvokeAsync(host, Ada, CheckInCard.AnswerVerb, CheckInInputs.Data(launched.Id, LastWeek.ToString(), CheckInInputs.Valid()));
        Assert.Contains("Thanks, check-in stored", late.ToJsonString());
        Assert.Equal(CheckInStatus.Answered, (await RowAsync(host, launched.Id, LastWeek)).Status);

        var (_, before) = await InvokeAsync(host, Ada, CheckInCard.AnswerVerb, CheckInInputs.Data(registeredToday.Id, LastWeek.ToString(), CheckInInputs.Valid()));
        Assert.Contains("was not measured yet in week 2026-W10: its first week is 2026-W11", before.GetValue<string>());
        Assert.DoesNotContain(await RowsAsync(host), r => r.UseCaseId == registeredToday.Id);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ACardForAnAnsweredWeekThatHasClosedSaysSoAndAChangeFromItIsRefused(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        Guid useCaseId;
        await using (var monday = await StartAsync(database))
        {
            useCaseId = (await SeedUseCaseAsync(monday)).Id;
            await InvokeAsync(monday, Ada, CheckInCard.AnswerVerb, FirstCardData(useCaseId, inputs => inputs[AnswerFields.Win] = Win));
        }

        // Saturday: the week closed on Friday 12:00.
        await using var saturday = await StartAsync(database, new DateTimeOffset(2026, 3, 14, 10, 0, 0, TimeSpan.Zero));
        var before = await RowAsync(saturday, useCaseId, ThisWeek);
        var card = await CheckinCardAsync(saturday, Ada);
        Assert.Contains(card.Texts(), t => t.StartsWith("This week has closed", StringComparison.Ordinal));
        Assert.Equal(Win, card.Inputs()[AnswerFields.Win]);

        var (type, value) = await InvokeAsync(saturday, Ada, CheckInCard.AnswerVerb, card.Submit(CheckInCard.AnswerVerb, inputs => inputs[AnswerFields.Tasks] = "260"));

        Assert.Equal("application/vnd.microsoft.activity.message", type);
        Assert.Contains("is closed and already answered; the stored answer stays", value.GetValue<string>());
        Assert.Equal(before.AnswerJson, (await RowAsync(saturday, useCaseId, ThisWeek)).AnswerJson);
        Assert.Empty(await AuditAsync(saturday, useCaseId, ThisWeek));
    }

    [Fact]
    public async Task ARevisionThatIsNotACountIsRefusedAsBadRequest()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await StartAsync(database);
        var useCase = await SeedUseCaseAsync(host);
        foreach (var revision in new JsonNode?[] { "one", -1, 1.5, null })
        {
            var data = CheckInInputs.Data(useCase.Id, ThisWeek.ToString(), CheckInInputs.Valid());
            data[CheckInCard.RevisionKey] = revision;

            var response = await SendAsync(host, CardAction(Ada, CheckInCard.AnswerVerb, data));

            // The Universal Actions error shape: HTTP 200 carrying statusCode 400.
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(400, body["statusCode"]!.GetValue<int>());
            Assert.Equal("application/vnd.microsoft.error", body["type"]!.GetValue<string>());
        }

        Assert.Empty(await RowsAsync(host));
    }

    /// <summary>Monday's card for this week (revision 0, no answer yet) as sent, with <paramref name="change"/> applied.</summary>
    private static JsonObject FirstCardData(Guid useCaseId, Action<Dictionary<string, string?>> change)
    {
        var inputs = CheckInInputs.Valid();
        change(inputs);
        var data = CheckInInputs.Data(useCaseId, ThisWeek.ToString(), inputs);
        data[CheckInCard.RevisionKey] = 0;
        return data;
    }

    private static async Task<CheckInCardReader> CheckinCardAsync(ValueBotTestHost host, User user)
    {
        var sentBefore = host.Connector.Requests.Count(r => r.Method == "POST");
        (await SendAsync(host, Message(user, "checkin"))).EnsureSuccessStatusCode();
        var sent = host.Connector.Requests.Where(r => r.Method == "POST").Skip(sentBefore).Single();
        return CheckInCardReader.FromActivity(sent.Body);
    }

    private static Task<HttpResponseMessage> SendAsync(ValueBotTestHost host, Activity activity)
    {
        activity.ServiceUrl ??= host.ServiceUrl;
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        return host.PostAsync(activity, host.Issuer.CreateBotFrameworkToken(
            ValueBotTestHost.AppId, activity.ServiceUrl, notBefore: now.AddHours(-1), expires: now.AddHours(1)));
    }

    private static async Task<(string Type, JsonNode Value)> InvokeAsync(ValueBotTestHost host, User user, string verb, JsonObject data) =>
        await ReadInvokeResponseAsync(await SendAsync(host, CardAction(user, verb, data.DeepClone().AsObject())));

    private static Task<ValueBotTestHost> StartAsync(TestDatabase database, DateTimeOffset? now = null) =>
        ValueBotTestHost.StartAsync(database.ConnectionString, time: new FixedTime(now ?? Now));

    private static async Task<UseCase> SeedUseCaseAsync(ValueBotTestHost host, bool launched = true)
    {
        var useCase = new UseCase
        {
            Id = Guid.NewGuid(),
            Name = "Invoice triage",
            ValueModel = ValueModel.ProcessReengineering,
            Owner = new PersonRef(Ada.AadObjectId, Ada.Name),
            Delegate = new PersonRef(Grace.AadObjectId, Grace.Name),
            TargetUsers = 100,
            LaunchDate = launched ? Launched : null,
            Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0.1m, 20m),
            PlannedRunCostPerMonth = new Money(1300m, "EUR"),
        };
        await host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().CreateAsync(useCase, "test", CancellationToken.None));
        return useCase;
    }

    private static Answer LastWeeksAnswer() => new()
    {
        ActiveUsers = 70,
        Tasks = 180,
        MinutesSavedPerTask = 6m,
        ReworkShare = 0.1m,
        MinutesPerCorrection = 5m,
        Exceptions = 4,
        Win = "Last week's win",
        RunCost = RunCost.Zero("EUR") with { LicencesAndTokens = new Money(300m, "EUR") },
    };

    private static Task<List<CheckIn>> RowsAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<CheckIn>().AsNoTracking().ToListAsync());

    private static async Task<CheckIn> RowAsync(ValueBotTestHost host, Guid useCaseId, IsoWeek week) =>
        Assert.Single(await RowsAsync(host), r => r.UseCaseId == useCaseId && r.Week == week);

    private static Task<IReadOnlyList<AuditEntry>> AuditAsync(ValueBotTestHost host, Guid useCaseId, IsoWeek week) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<CheckInStore>().AuditTrailAsync(useCaseId, week, CancellationToken.None));

    // Not FakeTimeProvider: the host's outbox sender and rate limiter wait on this clock's timers, which must fire in real time.
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
