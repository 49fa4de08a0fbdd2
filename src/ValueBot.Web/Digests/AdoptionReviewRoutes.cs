using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Digests;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Periods;
using ValueBot.Teams.Cards;
using ValueBot.Teams.Routing;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Evidence;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Digests;

/// <summary>
/// Confirm and Dispute on the manager digest (DOMAIN.md "Evidence", manager confirmation). Only the owner's manager (as the
/// registry records it, the rule the manager digest is sent by) may give a verdict, only in the month the card asked for,
/// and only while the owner's answer is the one the card showed. A repeated click writes nothing; a changed verdict is
/// written over the old one. Every write is audited on the use case; the digest card comes back updated in place.
/// </summary>
public sealed class AdoptionReviewRoutes(
    UseCaseRegistry registry, DigestStore store, AdoptionConfirmations confirmations, IOptions<DigestOptions> digestOptions,
    ValueBotDbContext db, TimeProvider time) : IBotRoutes
{
    public const string AuditField = "adoptionReview";

    public static void Map(BotRouter router)
    {
        router.OnVerb<AdoptionReviewRoutes>(AdoptionReviewCards.ConfirmVerb, r => r.ConfirmAsync);
        router.OnVerb<AdoptionReviewRoutes>(AdoptionReviewCards.DisputeVerb, r => r.DisputeAsync);
    }

    public Task<CardActionResult> ConfirmAsync(TurnContext turn, CardActionData action, CancellationToken ct) =>
        ReviewAsync(turn, action, AdoptionVerdict.Confirmed, ct);

    public Task<CardActionResult> DisputeAsync(TurnContext turn, CardActionData action, CancellationToken ct) =>
        ReviewAsync(turn, action, AdoptionVerdict.Disputed, ct);

    private async Task<CardActionResult> ReviewAsync(TurnContext turn, CardActionData action, AdoptionVerdict verdict, CancellationToken ct)
    {
        if (!Guid.TryParse(action.GetString(DigestCards.UseCaseIdKey), out var id)
            || !IsoWeek.TryParse(action.GetString(DigestCards.WeekKey), out var week)
            || !IsoWeek.TryParse(action.GetString(AdoptionReviewCards.FigureWeekKey), out var figureWeek)
            || action.GetString(AdoptionReviewCards.FigureKey) is not { Length: > 0 and <= 64 } shownFigure)
        {
            return CardActionResult.Error(400, "BadRequest", "This card does not name a use case, a week and the figure it showed.");
        }

        if (turn.Activity.From?.AadObjectId is not { Length: > 0 } caller)
        {
            return CardActionResult.Error(400, "BadRequest", "The action does not say who clicked it.");
        }

        var stored = await registry.GetAsync(id, ct);
        if (stored is null || stored.UseCase.Retired)
        {
            return CardActionResult.Message("This use case is no longer measured. Nothing was recorded.");
        }

        var useCase = stored.UseCase;
        var name = CardText.Escape(useCase.Name);
        if (useCase.Owner is not { } owner)
        {
            return CardActionResult.Message($"{name} has no owner, so there is no adoption figure to confirm. Nothing was recorded.");
        }

        var ownerName = CardText.Escape(owner.DisplayName);
        var manager = await db.Set<Person>().AsNoTracking().Where(p => p.AadObjectId == owner.AadObjectId).Select(p => p.ManagerAadObjectId).FirstOrDefaultAsync(ct);
        if (manager != caller)
        {
            return CardActionResult.Message($"Only {ownerName}'s manager can confirm or dispute the adoption figures of {name}. Nothing was recorded.");
        }

        var current = registry.CurrentWeek;
        if (!ManagerConfirmation.IsOpen(week, current))
        {
            return CardActionResult.Message($"This card asked for the confirmation of {MonthName(week)}, which is closed. Nothing was recorded; this month's manager digest asks again.");
        }

        // The figure must still be the latest answered week's, from the very answer the card showed.
        var answered = await db.Set<CheckIn>().AsNoTracking()
            .Where(c => c.UseCaseId == id && c.Status == CheckInStatus.Answered)
            .Select(c => new { c.Week, c.AnsweredAt, c.AnswerRevision, c.AnswerJson })
            .ToListAsync(ct);
        var latest = answered.Where(c => c.Week <= current).MaxBy(c => c.Week);
        var answer = AnswerJson.TryDeserialize(latest?.AnswerJson);
        if (latest is null || answer is null)
        {
            return CardActionResult.Message($"{name} has no answered week to confirm. Nothing was recorded.");
        }

        if (latest.Week != figureWeek)
        {
            return CardActionResult.Message($"{ownerName} has answered week {latest.Week} since this card was sent, so the figure it showed (week {figureWeek}) is no longer the latest. Nothing was recorded; the next digest shows the current figure.");
        }

        var figure = new AdoptionFigure(latest.Week, answer.ActiveUsers, useCase.TargetUsers);
        if (AdoptionConfirmations.Fingerprint(id, figure, latest.AnsweredAt, latest.AnswerRevision) != shownFigure)
        {
            return CardActionResult.Message($"{ownerName} changed the answer for week {figureWeek} since this card was sent (now {figure.ActiveUsers:#,0} of {figure.TargetUsers:#,0} target users). Nothing was recorded; the next digest shows the figure as it stands.");
        }

        var from = turn.Activity.From!;
        await RecordAsync(id, figure, latest.AnsweredAt, verdict, caller, from.Name is { Length: > 0 } n ? n : caller, ct);

        // The digest card is updated in place: the verdict, by whom and when, where the buttons were.
        return CardActionResult.Card(await ManagerCardAsync(caller, week, ct));
    }

    /// <summary>Writes the verdict unless the same one already stands for this answer; audited with the old and the new verdict.</summary>
    private async Task RecordAsync(
        Guid id, AdoptionFigure figure, DateTime? answeredAt, AdoptionVerdict verdict, string caller, string callerName,
        CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var text = verdict == AdoptionVerdict.Disputed ? AdoptionReviews.Disputed : AdoptionReviews.Confirmed;
        var week = figure.Week.ToString();
        for (var attempt = 0; ; attempt++)
        {
            var row = await db.Set<AdoptionReviewRecord>().SingleOrDefaultAsync(r => r.UseCaseId == id && r.Week == week, ct);
            var stands = row is not null && WeekEvidence.StillStands(row, answeredAt) && row.ActiveUsers == figure.ActiveUsers;
            if (row is not null && stands && row.Verdict == text)
            {
                // A second click (or a replay of the first): recorded once.
                return;
            }

            var old = row is not null && stands ? Described(row.Verdict, week, row.ActiveUsers, figure.TargetUsers) : null;
            if (row is null)
            {
                row = new AdoptionReviewRecord
                {
                    UseCaseId = id, Week = week, Verdict = text, ManagerAadObjectId = caller, ManagerName = callerName,
                };
                db.Add(row);
            }

            row.Verdict = text;
            row.ActiveUsers = figure.ActiveUsers;
            row.AnsweredAt = answeredAt;
            row.ManagerAadObjectId = caller;
            row.ManagerName = callerName;
            row.ReviewedAt = now;
            db.Add(new AuditEntry
            {
                Entity = AuditEntry.UseCaseEntity,
                EntityId = id.ToString("D"),
                Field = AuditField,
                OldValue = old,
                NewValue = Described(text, week, figure.ActiveUsers, figure.TargetUsers),
                ChangedBy = $"{callerName} ({caller})",
                ChangedAt = now,
            });
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Two clicks raced to create the row (its key is the use case and week): look again at the one that won.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>"confirmed: week 2026-W11, 80 of 100 active users".</summary>
    private static string Described(string verdict, string week, int activeUsers, int targetUsers) =>
        string.Create(CultureInfo.InvariantCulture, $"{verdict}: week {week}, {activeUsers} of {targetUsers} active users");

    /// <summary>The manager digest of <paramref name="week"/> for <paramref name="manager"/>, as it stands now.</summary>
    private async Task<ValueBot.Teams.Cards.AdaptiveCard> ManagerCardAsync(string manager, IsoWeek week, CancellationToken ct)
    {
        var snapshot = await store.LoadAsync(week, ct);
        var mine = DigestComposer.Lines(snapshot.UseCases, week, registry.OrganisationPolicy)
            .Where(l => snapshot.ManagerOf(l.UseCase.Owner?.AadObjectId) == manager).ToList();
        var asks = await confirmations.ForAsync(mine, week, ct);
        return DigestCards.Manager(DigestComposer.ForManager(snapshot.Ref(manager), mine, week), digestOptions.Value, asks);
    }

    private static string MonthName(IsoWeek week) => ManagerConfirmation.MonthOf(week).ToString("MMMM yyyy", CultureInfo.InvariantCulture);
}
