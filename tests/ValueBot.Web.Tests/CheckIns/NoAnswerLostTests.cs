using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Evidence;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.CheckIns.CheckInWorld;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.CheckIns;

/// <summary>
/// Answering a week again, through the real /api/messages endpoint: the card comes back with the week's own stored
/// answer, a change keeps what was not changed, an old card never overwrites a newer answer, and only weeks that can
/// take an answer take one.
/// </summary>
public sealed class NoAnswerLostTests
{
    private const string Win = "Month-end close took two days instead of four";
    private const string Blocker = "Need read access to the vendor master data";

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task CheckinForAnAnsweredWeekIsPrefilledWithItsOwnAnswerAndSaysWhenAndByWhom(string engine)
    {
        await using var world = await StartAsync(engine);
        var useCase = await world.SeedUseCaseAsync();
        await world.SeedAnswerAsync(useCase.Id, LastWeek, LastWeeksAnswer(tasks: 180) with { Win = "Last week's win" });
        var (type, _) = await world.InvokeAsync(Grace, CheckInCard.AnswerVerb, FirstCardData(useCase.Id, inputs =>
        {
            inputs[AnswerFields.Tasks] = "240";
            inputs[AnswerFields.Win] = Win;
            inputs[AnswerFields.ShareWin] = "true";
            inputs[AnswerFields.Blocker] = Blocker;
            inputs[AnswerFields.OwnersCall] = "atRisk";
        }));
        Assert.Equal(CardReader.ContentType, type);

        var card = await world.CheckinCardAsync(Ada);

        Assert.Equal("240", card.Input(AnswerFields.Tasks).Value); // this week's, not last week's 180
        Assert.Equal("50", card.Input(AnswerFields.ActiveUsers).Value);
        Assert.Equal(Win, card.Input(AnswerFields.Win).Value);
        Assert.Equal("true", card.Input(AnswerFields.ShareWin).Value);
        Assert.Equal(Blocker, card.Input(AnswerFields.Blocker).Value);
        Assert.Equal("atRisk", card.Input(AnswerFields.OwnersCall).Value);
        Assert.Contains("Answered on Mon 9 Mar 2026 at 10:00 (UTC) by Grace Hopper (delegate).", card.Texts());
        Assert.Equal(1, card.Data(CheckInCard.AnswerVerb)[CheckInCard.RevisionKey]!.GetValue<int>());
        // Repeating last week or skipping would throw this week's answer away: neither is offered.
        Assert.False(card.HasAction(CheckInCard.NothingChangedVerb));
        Assert.False(card.HasAction(CheckInCard.SkipVerb));

        // The delegate sees it was their own answer.
        Assert.Contains("Answered on Mon 9 Mar 2026 at 10:00 (UTC) by you.", (await world.CheckinCardAsync(Grace)).Texts());
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ChangingOneNumberOnThePrefilledCardKeepsEverythingElseAndAuditsTheAnswerAsGiven(string engine)
    {
        await using var world = await StartAsync(engine);
        var useCase = await world.SeedUseCaseAsync();
        await world.InvokeAsync(Ada, CheckInCard.AnswerVerb, FirstCardData(useCase.Id, inputs =>
        {
            inputs[AnswerFields.Win] = Win;
            inputs[AnswerFields.ShareWin] = "true";
            inputs[AnswerFields.Blocker] = Blocker;
            inputs[AnswerFields.QualityIncidents] = "1";
            inputs[AnswerFields.QualityIncidentNote] = "One invoice routed to the wrong approver";
        }));
        var first = (await world.RowAsync(useCase.Id, ThisWeek)).AnswerJson;

        var card = await world.CheckinCardAsync(Ada);
        var (_, receipt) = await world.InvokeAsync(Ada, CheckInCard.AnswerVerb,
            card.Submit(CheckInCard.AnswerVerb, inputs => inputs[AnswerFields.Tasks] = "260"));

        Assert.Equal("Answer updated: Invoice triage, week 2026-W11", new CardReader(receipt).Heading);
        var row = await world.RowAsync(useCase.Id, ThisWeek);
        var stored = AnswerJson.TryDeserialize(row.AnswerJson)!;
        Assert.Equal(AnswerJson.Serialize(AnswerJson.TryDeserialize(first)! with { Tasks = 260 }), AnswerJson.Serialize(stored));
        Assert.Equal(Win, stored.Win);
        Assert.True(stored.ShareWinWithLeadership);
        Assert.Equal(Blocker, stored.Blocker);
        Assert.Equal(2, row.AnswerRevision);
        var audit = Assert.Single(await world.AuditAsync(useCase.Id, ThisWeek));
        Assert.Equal(first, audit.OldValue);
        Assert.Equal(row.AnswerJson, audit.NewValue);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AFieldTheCardDoesNotSendKeepsItsStoredValueAndAFieldSentEmptyIsCleared(string engine)
    {
        await using var world = await StartAsync(engine);
        var useCase = await world.SeedUseCaseAsync();
        // Evidence and where the freed time went are on the card, prefilled from the stored answer.
        await world.InvokeAsync(Ada, CheckInCard.AnswerVerb, FirstCardData(useCase.Id, inputs =>
        {
            inputs[AnswerFields.MinutesSavedSource] = "measured";
            inputs[AnswerFields.MinutesSavedConfidence] = "high";
            inputs[AnswerFields.FreedTime] = "capacity";
            inputs[AnswerFields.Win] = Win;
            inputs[AnswerFields.Blocker] = Blocker;
        }));

        var card = await world.CheckinCardAsync(Ada);
        Assert.Equal("capacity", card.Input(AnswerFields.FreedTime).Value);
        Assert.Equal("measured", card.Input(AnswerFields.MinutesSavedSource).Value);
        Assert.Equal("high", card.Input(AnswerFields.MinutesSavedConfidence).Value);
        var data = card.Submit(CheckInCard.AnswerVerb, inputs =>
        {
            inputs[AnswerFields.Exceptions] = "9";
            inputs[AnswerFields.Blocker] = "";
        });
        data.Remove(AnswerFields.Win); // a client that leaves inputs out
        data.Remove(AnswerFields.FreedTime);
        data.Remove(AnswerFields.MinutesSavedSource);
        await world.InvokeAsync(Ada, CheckInCard.AnswerVerb, data);

        var stored = AnswerJson.TryDeserialize((await world.RowAsync(useCase.Id, ThisWeek)).AnswerJson)!;
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
        await using var world = await StartAsync(engine);
        var useCase = await world.SeedUseCaseAsync();
        var mondaysCard = FirstCardData(useCase.Id, inputs => inputs[AnswerFields.Win] = Win);
        await world.InvokeAsync(Ada, CheckInCard.AnswerVerb, mondaysCard);
        var secondCard = (await world.CheckinCardAsync(Ada)).Submit(CheckInCard.AnswerVerb, inputs => inputs[AnswerFields.Tasks] = "260");
        await world.InvokeAsync(Ada, CheckInCard.AnswerVerb, secondCard);
        var before = await world.RowAsync(useCase.Id, ThisWeek);
        var auditBefore = (await world.AuditAsync(useCase.Id, ThisWeek)).Count;

        // Monday's card again, with other figures; then the second card (revision 1) with yet others.
        mondaysCard[AnswerFields.Tasks] = "999";
        secondCard[AnswerFields.Tasks] = "111";
        foreach (var replay in new[] { mondaysCard, secondCard })
        {
            var (type, value) = await world.InvokeAsync(Ada, CheckInCard.AnswerVerb, replay);

            Assert.Equal(CardReader.ContentType, type);
            var current = new CardReader(value);
            Assert.Contains(current.Texts(), t => t.StartsWith("That card was out of date", StringComparison.Ordinal) && t.Contains("nothing was stored", StringComparison.Ordinal));
            Assert.Equal("260", current.Input(AnswerFields.Tasks).Value);
            Assert.Equal(Win, current.Input(AnswerFields.Win).Value);
            Assert.Equal(2, current.Data(CheckInCard.AnswerVerb)[CheckInCard.RevisionKey]!.GetValue<int>());
            var after = await world.RowAsync(useCase.Id, ThisWeek);
            Assert.Equal(before.AnswerJson, after.AnswerJson);
            Assert.Equal(2, after.AnswerRevision);
            Assert.Equal(auditBefore, (await world.AuditAsync(useCase.Id, ThisWeek)).Count);
        }

        // "Nothing changed" from Monday's card would put last week over this week: refused the same way.
        var (_, nothingChanged) = await world.InvokeAsync(Ada, CheckInCard.NothingChangedVerb, CheckInInputs.Data(useCase.Id, ThisWeek.ToString(), new Dictionary<string, string?>()));
        Assert.Contains(new CardReader(nothingChanged).Texts(), t => t.StartsWith("That card was out of date", StringComparison.Ordinal));
        Assert.Equal(before.AnswerJson, (await world.RowAsync(useCase.Id, ThisWeek)).AnswerJson);

        // The refusal's own card is current: sending it stores.
        var (_, updated) = await world.InvokeAsync(Ada, CheckInCard.AnswerVerb,
            new CardReader((await world.InvokeAsync(Ada, CheckInCard.AnswerVerb, mondaysCard)).Value)
                .Submit(CheckInCard.AnswerVerb, inputs => inputs[AnswerFields.Tasks] = "270"));
        Assert.Equal("Answer updated: Invoice triage, week 2026-W11", new CardReader(updated).Heading);
        Assert.Equal(270, AnswerJson.TryDeserialize((await world.RowAsync(useCase.Id, ThisWeek)).AnswerJson)!.Tasks);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task OfConcurrentSubmissionsFromTheSameCardExactlyOneIsStored(string engine)
    {
        await using var world = await StartAsync(engine);
        var useCase = await world.SeedUseCaseAsync();

        // Round 0 races first answers (no row yet: the unique row decides); later rounds race edits (the revision decides).
        for (var round = 0; round < 4; round++)
        {
            var card = round == 0 ? null : await world.CheckinCardAsync(Ada);
            var submissions = Enumerable.Range(0, 4).Select(i =>
            {
                var tasks = (1000 * (round + 1) + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return card is null
                    ? FirstCardData(useCase.Id, inputs => inputs[AnswerFields.Tasks] = tasks)
                    : card.Submit(CheckInCard.AnswerVerb, inputs => inputs[AnswerFields.Tasks] = tasks);
            }).ToList();

            var results = await Task.WhenAll(submissions.Select(d => world.InvokeAsync(Ada, CheckInCard.AnswerVerb, d)));

            var winners = results.Where(r => new CardReader(r.Value).Heading is var heading
                && (heading.StartsWith("Thanks, check-in stored", StringComparison.Ordinal) || heading.StartsWith("Answer updated", StringComparison.Ordinal))).ToList();
            Assert.Single(winners);
            Assert.Equal(3, results.Count(r => new CardReader(r.Value).Texts().Any(t => t.StartsWith("That card was out of date", StringComparison.Ordinal))));
            var row = await world.RowAsync(useCase.Id, ThisWeek);
            Assert.Equal(round + 1, row.AnswerRevision);
            var won = submissions[Array.FindIndex(results, r => winners.Contains(r))][AnswerFields.Tasks]!.GetValue<string>();
            Assert.Equal(int.Parse(won, System.Globalization.CultureInfo.InvariantCulture), AnswerJson.TryDeserialize(row.AnswerJson)!.Tasks);
            Assert.Equal(round, (await world.AuditAsync(useCase.Id, ThisWeek)).Count(a => a.Field == "answer"));
        }
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ASkipRacingAnAnswerNeverHidesTheAnswer(string engine)
    {
        await using var world = await StartAsync(engine);
        for (var round = 0; round < 4; round++)
        {
            var useCase = await world.SeedUseCaseAsync();
            // The week's card was sent: the row exists, unanswered.
            await world.Host.WithScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<ValueBotDbContext>();
                db.Add(new CheckIn { UseCaseId = useCase.Id, Week = ThisWeek, Status = CheckInStatus.Sent, CreatedAt = Now.UtcDateTime, UpdatedAt = Now.UtcDateTime });
                return await db.SaveChangesAsync();
            });

            var empty = new Dictionary<string, string?>();
            await Task.WhenAll(
                world.InvokeAsync(Ada, CheckInCard.AnswerVerb, FirstCardData(useCase.Id, _ => { })),
                world.InvokeAsync(Grace, CheckInCard.SkipVerb, CheckInInputs.Data(useCase.Id, ThisWeek.ToString(), empty)));

            var row = await world.RowAsync(useCase.Id, ThisWeek);
            // Whichever came first, a stored answer is never under a "skipped" status.
            Assert.Equal(CheckInStatus.Answered, row.Status);
            Assert.Equal(200, AnswerJson.TryDeserialize(row.AnswerJson)!.Tasks);
        }
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task OnlyWeeksThatHaveBegunAndFollowTheStartTakeAnswersOrSkips(string engine)
    {
        await using var world = await StartAsync(engine);
        var useCase = await world.SeedUseCaseAsync();
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
                var (type, value) = await world.InvokeAsync(Ada, verb, CheckInInputs.Data(useCase.Id, week, CheckInInputs.Valid()));

                Assert.Equal("application/vnd.microsoft.activity.message", type);
                Assert.Contains(refusal, value.GetValue<string>());
                Assert.Contains("Nothing was stored", value.GetValue<string>());
            }
        }

        Assert.Empty(await world.RowsAsync());
        Assert.Empty(await world.Host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<AuditEntry>().AsNoTracking()
            .Where(a => a.Entity == CheckInStore.AuditEntity).ToListAsync()));

        // The first week, a week that closed unanswered (a late answer) and this week do.
        foreach (var week in new[] { "2026-W02", "2026-W10", "2026-W11" })
        {
            var (type, value) = await world.InvokeAsync(Ada, CheckInCard.AnswerVerb, CheckInInputs.Data(useCase.Id, week, CheckInInputs.Valid()));
            Assert.Equal(CardReader.ContentType, type);
            Assert.Equal($"Thanks, check-in stored: Invoice triage, week {week}", new CardReader(value).Heading);
        }

        Assert.Equal(3, (await world.RowsAsync()).Count(r => r.Status == CheckInStatus.Answered));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AClosedWeekIsAnsweredLateButNotSkippedAndAWeekBeforeRegistrationWithoutALaunchDateIsRefused(string engine)
    {
        await using var world = await StartAsync(engine);
        var launched = await world.SeedUseCaseAsync();
        var registeredToday = await world.SeedUseCaseAsync(registeredToday: true);

        var (skipType, skip) = await world.InvokeAsync(Ada, CheckInCard.SkipVerb, CheckInInputs.Data(launched.Id, LastWeek.ToString(), new Dictionary<string, string?>()));
        Assert.Equal("application/vnd.microsoft.activity.message", skipType);
        Assert.Contains("has closed, so it can no longer be skipped", skip.GetValue<string>());
        Assert.Empty(await world.RowsAsync());

        var (_, late) = await world.InvokeAsync(Ada, CheckInCard.AnswerVerb, CheckInInputs.Data(launched.Id, LastWeek.ToString(), CheckInInputs.Valid()));
        Assert.Equal("Thanks, check-in stored: Invoice triage, week 2026-W10", new CardReader(late).Heading);
        Assert.Equal(CheckInStatus.Answered, (await world.RowAsync(launched.Id, LastWeek)).Status);

        var (_, before) = await world.InvokeAsync(Ada, CheckInCard.AnswerVerb, CheckInInputs.Data(registeredToday.Id, LastWeek.ToString(), CheckInInputs.Valid()));
        Assert.Contains("was not measured yet in week 2026-W10: its first week is 2026-W11", before.GetValue<string>());
        Assert.DoesNotContain(await world.RowsAsync(), r => r.UseCaseId == registeredToday.Id);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ACardForAnAnsweredWeekThatHasClosedSaysSoAndAChangeFromItIsRefused(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        Guid useCaseId;
        await using (var monday = await StartAsync(database, Now))
        {
            useCaseId = (await monday.SeedUseCaseAsync()).Id;
            await monday.InvokeAsync(Ada, CheckInCard.AnswerVerb, FirstCardData(useCaseId, inputs => inputs[AnswerFields.Win] = Win));
        }

        // Saturday: the week closed on Friday 12:00.
        await using var saturday = await StartAsync(database, new DateTimeOffset(2026, 3, 14, 10, 0, 0, TimeSpan.Zero));
        var before = await saturday.RowAsync(useCaseId, ThisWeek);
        var card = await saturday.CheckinCardAsync(Ada);
        Assert.Contains(card.Texts(), t => t.StartsWith("This week has closed", StringComparison.Ordinal));
        Assert.Equal(Win, card.Input(AnswerFields.Win).Value);

        var (type, value) = await saturday.InvokeAsync(Ada, CheckInCard.AnswerVerb, card.Submit(CheckInCard.AnswerVerb, inputs => inputs[AnswerFields.Tasks] = "260"));

        Assert.Equal("application/vnd.microsoft.activity.message", type);
        Assert.Contains("is closed and already answered; the stored answer stays", value.GetValue<string>());
        Assert.Equal(before.AnswerJson, (await saturday.RowAsync(useCaseId, ThisWeek)).AnswerJson);
        Assert.Empty(await saturday.AuditAsync(useCaseId, ThisWeek));
    }

    [Fact]
    public async Task ARevisionThatIsNotACountIsRefusedAsBadRequest()
    {
        await using var world = await StartAsync("sqlite");
        var useCase = await world.SeedUseCaseAsync();
        foreach (var revision in new JsonNode?[] { "one", -1, 1.5, null })
        {
            var data = CheckInInputs.Data(useCase.Id, ThisWeek.ToString(), CheckInInputs.Valid());
            data[CheckInCard.RevisionKey] = revision;

            var response = await world.SendAsync(CardAction(Ada, CheckInCard.AnswerVerb, data));

            // The Universal Actions error shape: HTTP 200 carrying statusCode 400.
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(400, body["statusCode"]!.GetValue<int>());
            Assert.Equal("application/vnd.microsoft.error", body["type"]!.GetValue<string>());
        }

        Assert.Empty(await world.RowsAsync());
    }
}
