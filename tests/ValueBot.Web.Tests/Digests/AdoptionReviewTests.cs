using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Delivery;
using ValueBot.Web.Digests;
using ValueBot.Web.Evidence;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Digests.DigestWorld;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Digests;

/// <summary>
/// DOMAIN.md "Evidence", manager confirmation, through the real host: Confirm and Dispute on the manager digest the
/// publisher queued, clicked as Teams sends them to /api/messages, recorded in adoption_reviews and audited.
/// </summary>
public sealed class AdoptionReviewTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task TheManagerConfirmsOnceAuditedTheCardUpdatesInPlaceAndADisputeIsAFigureInDoubt(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        await SendAsync(host, ChannelMessage(Ada, "post digests here"));
        await host.WithScopeAsync(sp => sp.GetRequiredService<DigestPublisher>().PublishWeeklyAsync(Week, CancellationToken.None));

        // Invoice triage: Grace answered 80 active users of 100 target users in W11.
        var digest = await ManagerDigestAsync(host, Week);
        Assert.Contains("Adoption of week 2026-W11: 80 of 100 target users (80 %), as Grace Hopper reported it. Does it match what you see?", Texts(digest.ToJsonString()), StringComparison.Ordinal);
        Assert.Contains("Once a month you confirm or dispute the adoption figure", Texts(digest.ToJsonString()), StringComparison.Ordinal);
        var confirm = ActionData(digest, AdoptionReviewCards.ConfirmVerb, Invoices);
        Assert.Equal("2026-W11", confirm[AdoptionReviewCards.FigureWeekKey]!.GetValue<string>());

        var (type, card) = await InvokeAsync(host, Mia, AdoptionReviewCards.ConfirmVerb, Invoices, confirm);
        var (_, again) = await InvokeAsync(host, Mia, AdoptionReviewCards.ConfirmVerb, Invoices, confirm);

        Assert.Equal("application/vnd.microsoft.card.adaptive", type);
        var updated = card.AsObject();
        Assert.Contains("80 of 100 target users (80 %), as Grace Hopper reported it — **confirmed by you on 2026-03-13**.", Texts(updated.ToJsonString()), StringComparison.Ordinal);
        Assert.Null(ActionDataOrNull(updated, AdoptionReviewCards.ConfirmVerb, Invoices));
        var disputeInstead = ActionData(updated, AdoptionReviewCards.DisputeVerb, Invoices);
        // The other use cases still ask.
        Assert.NotNull(ActionDataOrNull(updated, AdoptionReviewCards.ConfirmVerb, Claims));
        Assert.Equal(updated.ToJsonString(), again.ToJsonString());
        var review = Assert.Single(await ReviewsAsync(host));
        Assert.Equal((Invoices, "2026-W11", AdoptionReviews.Confirmed, 80, Mia.AadObjectId, Mia.Name), (review.UseCaseId, review.Week, review.Verdict, review.ActiveUsers, review.ManagerAadObjectId, review.ManagerName));
        var audit = Assert.Single(await AuditAsync(host, Invoices));
        Assert.Equal((null, "confirmed: week 2026-W11, 80 of 100 active users"), (audit.OldValue, audit.NewValue));
        Assert.Contains(Mia.AadObjectId, audit.ChangedBy, StringComparison.Ordinal);

        // A change of mind is allowed in the month, written over the verdict and audited from → to.
        var (_, disputed) = await InvokeAsync(host, Mia, AdoptionReviewCards.DisputeVerb, Invoices, disputeInstead);
        Assert.Contains("— **disputed by you on 2026-03-13**; marked in every view until Grace Hopper answers again.", Texts(disputed.ToJsonString()), StringComparison.Ordinal);
        Assert.NotNull(ActionDataOrNull(disputed.AsObject(), AdoptionReviewCards.ConfirmVerb, Invoices));
        Assert.Equal(AdoptionReviews.Disputed, Assert.Single(await ReviewsAsync(host)).Verdict);
        var trail = await AuditAsync(host, Invoices);
        Assert.Equal(2, trail.Count);
        Assert.Equal(("confirmed: week 2026-W11, 80 of 100 active users", "disputed: week 2026-W11, 80 of 100 active users"), (trail[1].OldValue, trail[1].NewValue));

        // Shown: the evaluation API, the metrics CSV, and the next leadership digest's figures in doubt.
        var token = Admin.AdminClient.Token(host, expires: Now.AddHours(1), notBefore: Now.AddHours(-1));
        var evaluation = await Admin.AdminClient.JsonAsync(await Admin.AdminClient.SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{Invoices}/evaluation", token: token));
        Assert.Equal(("2026-W11", "disputed", Mia.Name), (evaluation["adoptionReview"]!["week"]!.GetValue<string>(), evaluation["adoptionReview"]!["verdict"]!.GetValue<string>(), evaluation["adoptionReview"]!["managerName"]!.GetValue<string>()));
        Assert.Contains(evaluation["warnings"]!.AsArray(), w => w!["ruleId"]!.GetValue<string>() == "adoption-disputed");
        var csv = await (await Admin.AdminClient.SendAsync(host, HttpMethod.Get, "/api/admin/metrics/export", token: token)).Content.ReadAsStringAsync();
        var header = csv.Split('\n')[0].Trim().Split(',');
        var row = csv.Split('\n').Single(l => l.Contains(Invoices.ToString("D"), StringComparison.Ordinal) && l.Contains("2026-W11", StringComparison.Ordinal)).Trim().Split(',');
        Assert.Equal("disputed", row[Array.IndexOf(header, "adoptionReview")]);

        await host.WithScopeAsync(sp => sp.GetRequiredService<DigestPublisher>().PublishWeeklyAsync(Week.Next(), CancellationToken.None));
        var leadership = await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<OutboxMessage>().AsNoTracking()
            .SingleAsync(m => m.DedupeKey == DigestPublisher.LeadershipKey(Week.Next())));
        var text = Texts(leadership.ActivityJson);
        Assert.Contains("Figures in doubt (disputed by the manager, unconfirmed outliers, reported ≠ measured) (1)", text, StringComparison.Ordinal);
        // (Card text escapes Markdown: the parentheses arrive as \( and \).)
        Assert.Contains("**Invoice triage** — <at>Grace Hopper</at>: Mia Manager disputed the adoption figure of week 2026-W11 \\(80 of 100 target users\\); it stays disputed until the owner answers again.", text, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task OnlyTheOwnersManagerInTheMonthOnTheAnswerTheCardShowedRecordsAVerdict(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        await SendAsync(host, Message(Mia, "digest"));
        var request = await host.Connector.WaitForRequestAsync(r => r.Method == "POST" && r.Route.Count == 3 && r.Route[1] == Mia.ConversationId
            && r.Body.Contains(AdoptionReviewCards.ConfirmVerb, StringComparison.Ordinal));
        var digest = JsonNode.Parse(request.Body)!["attachments"]![0]!["content"]!.AsObject();
        var confirm = ActionData(digest, AdoptionReviewCards.ConfirmVerb, Invoices);

        // Not the manager: the owner, an admin, a stranger.
        foreach (var user in new[] { Grace, Ada, Eve })
        {
            var (type, refused) = await InvokeAsync(host, user, AdoptionReviewCards.ConfirmVerb, Invoices, confirm);
            Assert.Equal("application/vnd.microsoft.activity.message", type);
            Assert.Equal("Only Grace Hopper's manager can confirm or dispute the adoption figures of Invoice triage. Nothing was recorded.", refused.GetValue<string>());
        }

        // A card of February's digest: that month is closed.
        var february = confirm.DeepClone().AsObject();
        february[DigestCards.WeekKey] = "2026-W09";
        var (_, closed) = await ReadInvokeResponseAsync(await SendAsync(host, CardAction(Mia, AdoptionReviewCards.ConfirmVerb, february)));
        Assert.Equal("This card asked for the confirmation of February 2026, which is closed. Nothing was recorded; this month's manager digest asks again.", closed.GetValue<string>());

        // A card whose figure is not the stored answer's (forged, or from an answer replaced since) records nothing.
        var forged = confirm.DeepClone().AsObject();
        forged[AdoptionReviewCards.FigureKey] = "0123456789abcdef01234567";
        var (_, notShown) = await InvokeAsync(host, Mia, AdoptionReviewCards.ConfirmVerb, Invoices, forged);
        Assert.Equal("Grace Hopper changed the answer for week 2026-W11 since this card was sent (now 80 of 100 target users). Nothing was recorded; the next digest shows the figure as it stands.", notShown.GetValue<string>());

        // Grace's W11 answer is replaced after the card was sent, as an edit before the deadline writes it (the week is
        // closed now, so the store would refuse the edit itself): new answer, next revision.
        await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<CheckIn>()
            .Where(c => c.UseCaseId == Invoices && c.Week == Week)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.AnswerJson, AnswerJson.Serialize(Answer(60) with { Win = WinStory, ShareWinWithLeadership = true }))
                .SetProperty(c => c.AnswerRevision, c => c.AnswerRevision + 1)));
        var (_, changed) = await InvokeAsync(host, Mia, AdoptionReviewCards.DisputeVerb, Invoices, confirm);
        Assert.Equal("Grace Hopper changed the answer for week 2026-W11 since this card was sent (now 60 of 100 target users). Nothing was recorded; the next digest shows the figure as it stands.", changed.GetValue<string>());

        // Bob's Contract review showed week W09's figure; he answers W11 late: the card's figure is no longer the latest.
        var contracts = ActionData(digest, AdoptionReviewCards.DisputeVerb, Contracts);
        Assert.Equal("2026-W09", contracts[AdoptionReviewCards.FigureWeekKey]!.GetValue<string>());
        await host.WithScopeAsync(sp => sp.GetRequiredService<CheckInStore>().RecordAnswerAsync(Contracts, Week, Answer(65), Bob.AadObjectId, CancellationToken.None));
        var (_, stale) = await InvokeAsync(host, Mia, AdoptionReviewCards.DisputeVerb, Contracts, contracts);
        Assert.Equal("Bob Builder has answered week 2026-W11 since this card was sent, so the figure it showed (week 2026-W09) is no longer the latest. Nothing was recorded; the next digest shows the current figure.", stale.GetValue<string>());

        // A card without its figure is a bad request.
        var bare = new JsonObject { [DigestCards.UseCaseIdKey] = Invoices.ToString("D"), [DigestCards.WeekKey] = Week.ToString() };
        var bad = await SendAsync(host, CardAction(Mia, AdoptionReviewCards.ConfirmVerb, bare));
        Assert.Equal(400, JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["statusCode"]!.GetValue<int>());

        Assert.Empty(await ReviewsAsync(host));
        Assert.DoesNotContain(await AuditAsync(host, Invoices), a => a.Field == AdoptionReviewRoutes.AuditField);

        // The card of the answer as it stands now records.
        var fresh = ActionData(await ManagerCardAsync(host), AdoptionReviewCards.ConfirmVerb, Invoices);
        var (_, recorded) = await InvokeAsync(host, Mia, AdoptionReviewCards.ConfirmVerb, Invoices, fresh);
        Assert.Contains("60 of 100 target users (60 %), as Grace Hopper reported it — **confirmed by you on 2026-03-13**.", Texts(recorded.ToJsonString()), StringComparison.Ordinal);
        Assert.Equal(60, Assert.Single(await ReviewsAsync(host)).ActiveUsers);
    }

    private static async Task<JsonObject> ManagerDigestAsync(ValueBotTestHost host, ValueBot.Domain.Periods.IsoWeek week)
    {
        var row = await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<OutboxMessage>().AsNoTracking()
            .SingleAsync(m => m.DedupeKey == DigestPublisher.ManagerKey(Mia.AadObjectId, week)));
        return JsonNode.Parse(row.ActivityJson)!["attachments"]![0]!["content"]!.AsObject();
    }

    /// <summary>Mia's digest of the week as the publisher would compose it now.</summary>
    private static async Task<JsonObject> ManagerCardAsync(ValueBotTestHost host)
    {
        await host.WithScopeAsync(sp => sp.GetRequiredService<DigestPublisher>().PublishWeeklyAsync(Week, CancellationToken.None));
        return await ManagerDigestAsync(host, Week);
    }

    private static JsonObject ActionData(JsonObject card, string verb, Guid useCaseId) =>
        ActionDataOrNull(card, verb, useCaseId) ?? throw new Xunit.Sdk.XunitException($"The card has no {verb} action for {useCaseId}.");

    /// <summary>The data of the card's Action.Execute with <paramref name="verb"/> for the use case, as Teams would send it back.</summary>
    private static JsonObject? ActionDataOrNull(JsonObject card, string verb, Guid useCaseId) =>
        new CardReader(card).Actions()
            .FirstOrDefault(a => a.Type == "Action.Execute" && a.Verb == verb && a.Data?[DigestCards.UseCaseIdKey]?.GetValue<string>() == useCaseId.ToString("D"))
            ?.Data!.DeepClone().AsObject();

    private static Task<List<AdoptionReviewRecord>> ReviewsAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<AdoptionReviewRecord>().AsNoTracking().ToListAsync());

    private static async Task<List<AuditEntry>> AuditAsync(ValueBotTestHost host, Guid useCaseId) =>
        (await host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().AuditTrailAsync(useCaseId, CancellationToken.None)))
            .Where(a => a.Field == AdoptionReviewRoutes.AuditField).ToList();
}
