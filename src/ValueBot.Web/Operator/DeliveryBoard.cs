using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Schema;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Delivery;
using ValueBot.Web.Installations;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;
using ValueBot.Web.People;

namespace ValueBot.Web.Operator;

public enum SendAgainOutcome
{
    /// <summary>The card is in the outbox again.</summary>
    Queued,

    /// <summary>Not safe or not possible now; nothing changed.</summary>
    Refused,

    /// <summary>No such use case.</summary>
    NotFound,
}

/// <summary>What a "send again" did, in words for the admin.</summary>
public sealed record SendAgainResult(SendAgainOutcome Outcome, string Explanation);

/// <summary>
/// The operator's view of a week's check-ins (the Teams command <c>delivery</c>, <c>GET /api/admin/delivery</c> and the
/// tab's Delivery page all read it here) and the one "send again" they share.
/// <para>
/// Send again is offered for a check-in that is in doubt (handed to Teams without a clear answer) or undeliverable,
/// and refused when the card is known to have arrived — answered, accepted by Teams, or repeated by a reminder Teams
/// accepted —, when the week is closed, and when the owner has no chat with ValueBot. It goes through the outbox like
/// every card: the row moves back to <c>scheduled</c> with a conditional write and the card is queued under a key
/// derived from the message it replaces, in one transaction, so two clicks (or a click and the check-in cycle) queue
/// it once.
/// </para>
/// </summary>
public sealed class DeliveryBoard(
    ValueBotDbContext db, InstallationStore installations, CheckInStore checkIns, CheckInCalendar calendar, Outbox outbox,
    UseCaseRegistry registry, KnownPeople knownPeople, TimeProvider time)
{
    /// <summary>The last part of a card's key when an admin queued it again: <c>checkin:{id}:{week}:again-{id of the message it replaces}</c>.</summary>
    public const string SendAgainMarker = "again-";

    private sealed record UseCaseFacts(Guid Id, string Name, string? OwnerAadObjectId, Stage Stage, DateTime? RetiredAt);

    /// <summary>What the outbox knows of a check-in's cards: the latest problem's text and whether a reminder arrived.</summary>
    private sealed record CardHistory(string? Problem, DateTime? ReminderArrivedAt);

    public async Task<WeekDelivery> ReadAsync(IsoWeek week, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var useCases = await db.Set<UseCaseRecord>().AsNoTracking().Where(u => u.RetiredAt == null)
            .Select(u => new UseCaseFacts(u.Id, u.Name, u.OwnerAadObjectId, u.Stage, u.RetiredAt)).ToListAsync(cancellationToken);
        var people = (await db.Set<Person>().AsNoTracking().ToListAsync(cancellationToken))
            .DistinctBy(p => p.AadObjectId, StringComparer.OrdinalIgnoreCase).ToDictionary(p => p.AadObjectId, StringComparer.OrdinalIgnoreCase);
        var rows = (await db.Set<CheckIn>().AsNoTracking().Where(c => c.Week == week).ToListAsync(cancellationToken)).ToDictionary(c => c.UseCaseId);
        var chats = await installations.PersonalByUserAsync(cancellationToken);
        var histories = await HistoriesAsync(week, rows.Values.Where(r => r.Status == CheckInStatus.Undeliverable || IsInDoubt(r)).ToList(), cancellationToken);

        var lines = new List<DeliveryLine>(useCases.Count);
        foreach (var u in useCases.OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase).ThenBy(u => u.Id))
        {
            var row = rows.GetValueOrDefault(u.Id);
            if (row is null && u.Stage == Stage.Stopped)
            {
                continue; // no more check-ins: not part of the week
            }

            var person = u.OwnerAadObjectId is { } o ? people.GetValueOrDefault(o) : null;
            var chat = u.OwnerAadObjectId is { } owner ? chats.GetValueOrDefault(owner) : null;
            lines.Add(Line(u, row, person, chat, histories.GetValueOrDefault(u.Id), week, now));
        }

        return new WeekDelivery(week, lines);
    }

    /// <summary>Queues the week's check-in card for its owner once more, when <see cref="SendAgainCheck"/> allows it; otherwise changes nothing.</summary>
    public async Task<SendAgainResult> SendAgainAsync(Guid useCaseId, IsoWeek week, string requestedBy, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var facts = await db.Set<UseCaseRecord>().AsNoTracking().Where(u => u.Id == useCaseId)
            .Select(u => new UseCaseFacts(u.Id, u.Name, u.OwnerAadObjectId, u.Stage, u.RetiredAt)).SingleOrDefaultAsync(cancellationToken);
        if (facts is null)
        {
            return new(SendAgainOutcome.NotFound, $"No use case has the id {useCaseId:D}.");
        }

        var row = await checkIns.FindAsync(useCaseId, week, cancellationToken);
        var person = facts.OwnerAadObjectId is { } o ? await knownPeople.FindAsync(o, cancellationToken) : null;
        var chat = facts.OwnerAadObjectId is { } owner ? await installations.FindPersonalAsync(owner, cancellationToken) : null;
        var history = row is null ? null : (await HistoriesAsync(week, [row], cancellationToken)).GetValueOrDefault(useCaseId);
        var line = Line(facts, row, person, chat, history, week, now);
        if (!line.SendAgain.Allowed || row is null || chat is null || await registry.GetAsync(useCaseId, cancellationToken) is not { } stored)
        {
            return new(SendAgainOutcome.Refused, line.SendAgain.Explanation);
        }

        var zone = ZoneOf(row, person, chat);
        var deadline = calendar.DeadlineOf(week, row, zone);
        var local = TimeZoneInfo.ConvertTime(deadline, zone);
        var previous = await checkIns.PreviousAnswerAsync(useCaseId, week, cancellationToken);
        var banner = $"Sent again by a ValueBot admin, in case this week's first check-in card did not reach you. Open until {local.ToString("dddd HH:mm", CultureInfo.InvariantCulture)} ({zone.Id}).";
        // Derived from the newest card queued for this check-in, so both of two clicks on the same state name the same message.
        var replaced = await CardMessagesOf(useCaseId, week).MaxAsync(m => (long?)m.Id, cancellationToken) ?? 0;
        var message = Outbox.Message($"{CheckInCycle.CheckInKey(useCaseId, week)}:{SendAgainMarker}{replaced}", CheckInCycle.CheckInKind,
            chat.ServiceUrl, chat.ConversationId, chat.TenantId, Activity.CreateCardMessage(CheckInCard.Build(stored.UseCase, week, previous, banner: banner)),
            expiresAt: deadline);

        var at = now.UtcDateTime;
        var wasInDoubt = line.State == DeliveryState.InDoubt;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var same = db.Set<CheckIn>().Where(c => c.Id == row.Id);
        same = wasInDoubt
            ? same.Where(c => c.Status == CheckInStatus.Sent && c.InDoubtAt != null)
            : same.Where(c => c.Status == CheckInStatus.Undeliverable);
        // The delivery observer applies the new card's outcome to a row that is scheduled, as for the first card.
        var claimed = await same.ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Status, CheckInStatus.Scheduled)
            .SetProperty(c => c.UndeliverableReason, (string?)null)
            .SetProperty(c => c.InDoubtAt, (DateTime?)null)
            .SetProperty(c => c.DeliveryReportedAt, (DateTime?)null)
            .SetProperty(c => c.ConversationId, chat.ConversationId)
            .SetProperty(c => c.UpdatedAt, at), cancellationToken);
        if (claimed != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new(SendAgainOutcome.Refused, "It changed meanwhile (sent again by someone else, answered, or closed). Nothing was sent.");
        }

        if (await outbox.EnqueueAsync(message, cancellationToken) != EnqueueResult.Queued)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new(SendAgainOutcome.Refused, "That card was already sent again. Nothing was sent twice.");
        }

        db.Add(new AuditEntry
        {
            Entity = CheckInStore.AuditEntity, EntityId = CheckInStore.EntityId(useCaseId, week), Field = "send_again",
            OldValue = line.State.Words(), NewValue = "queued", ChangedBy = requestedBy, ChangedAt = at,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(SendAgainOutcome.Queued, $"Queued: {line.Owner} gets the check-in card for {facts.Name} again in a moment.");
    }

    private DeliveryLine Line(UseCaseFacts u, CheckIn? row, Person? person, Installation? chat, CardHistory? history, IsoWeek week, DateTimeOffset now)
    {
        var owner = person?.DisplayName ?? u.OwnerAadObjectId ?? "no owner";
        var state = StateOf(row);
        string? reason = null, label = null;
        if (state == DeliveryState.Undeliverable)
        {
            var read = CheckInDeliveries.ReadReason(row!.UndeliverableReason);
            (reason, label) = (read.Text, read.Label);
        }
        else if (state == DeliveryState.InDoubt)
        {
            reason = history?.Problem ?? "Teams gave no clear answer: the card may or may not have arrived.";
        }

        return new DeliveryLine(u.Id, u.Name, u.OwnerAadObjectId, owner, state, reason, label, row?.SentAt, Check(u, row, state, person, chat, history, week, now));
    }

    /// <summary>Whether sending the card again is safe and possible now; the first reason that says no wins.</summary>
    private SendAgainCheck Check(UseCaseFacts u, CheckIn? row, DeliveryState state, Person? person, Installation? chat, CardHistory? history, IsoWeek week, DateTimeOffset now)
    {
        switch (state)
        {
            case DeliveryState.Answered:
                return SendAgainCheck.No("Answered: the card arrived. Nothing to send.");
            case DeliveryState.Skipped:
                return SendAgainCheck.No("The owner skipped this week.");
            case DeliveryState.Missed:
                return SendAgainCheck.No("The week closed without an answer (missed).");
            case DeliveryState.Queued:
                return SendAgainCheck.No("Already on its way: queued, Teams has not answered yet.");
            case DeliveryState.NotYetDue:
                return SendAgainCheck.No("Not due yet: the check-in cycle sends it at the owner's send time.");
            case DeliveryState.Sent:
                return SendAgainCheck.No("Teams confirmed the card arrived; the reminder follows if it stays unanswered.");
        }

        if (state == DeliveryState.InDoubt && history?.ReminderArrivedAt is { } reminded)
        {
            return SendAgainCheck.No($"The reminder repeated the card and Teams confirmed it arrived ({Utc(reminded)}).");
        }

        if (u.RetiredAt is not null || u.Stage == Stage.Stopped)
        {
            return SendAgainCheck.No("The use case is stopped or retired: no more check-ins.");
        }

        if (u.OwnerAadObjectId is null)
        {
            return SendAgainCheck.No("The use case has no owner: name one first.");
        }

        if (person?.HasLeft == true || row?.UndeliverableReason == CheckInCycle.OwnerLeftReason)
        {
            return SendAgainCheck.No("The owner has left the organisation: name a new owner.");
        }

        var deadline = calendar.DeadlineOf(week, row, ZoneOf(row, person, chat));
        if (now >= deadline)
        {
            return SendAgainCheck.No($"The week closed at {Utc(deadline.UtcDateTime)}.");
        }

        if (chat is null)
        {
            return SendAgainCheck.No(row?.UndeliverableReason == CheckInCycle.NotInstalledReason
                ? "ValueBot is not installed for the owner: the card goes by itself once they install it."
                : "The owner has no chat with ValueBot (they removed or blocked it): it can be sent again once they install it again.");
        }

        return state == DeliveryState.InDoubt
            ? SendAgainCheck.Yes("Teams gave no clear answer. Sending again may show a second card if the first did arrive; the card says why it came again.")
            : SendAgainCheck.Yes("Teams did not take the card, and the owner has a chat with ValueBot now.");
    }

    private static DeliveryState StateOf(CheckIn? row) => row?.Status switch
    {
        null => DeliveryState.NotYetDue,
        CheckInStatus.Scheduled => DeliveryState.Queued,
        CheckInStatus.Sent when row.InDoubtAt is not null => DeliveryState.InDoubt,
        CheckInStatus.Sent => DeliveryState.Sent,
        CheckInStatus.Answered => DeliveryState.Answered,
        CheckInStatus.Skipped => DeliveryState.Skipped,
        CheckInStatus.Missed => DeliveryState.Missed,
        _ => DeliveryState.Undeliverable,
    };

    private static bool IsInDoubt(CheckIn row) => row.Status == CheckInStatus.Sent && row.InDoubtAt is not null;

    private TimeZoneInfo ZoneOf(CheckIn? row, Person? person, Installation? chat) =>
        calendar.ZoneOf(row?.TimeZone ?? person?.TimeZone ?? chat?.TimeZone);

    /// <summary>Every card queued for a check-in: the cycle's, and those queued again after a reinstall or by an admin.</summary>
    private IQueryable<OutboxMessage> CardMessagesOf(Guid useCaseId, IsoWeek week)
    {
        var key = CheckInCycle.CheckInKey(useCaseId, week);
        var again = key + ":";
        return db.Set<OutboxMessage>().AsNoTracking().Where(m => m.DedupeKey == key || m.DedupeKey.StartsWith(again));
    }

    /// <summary>For the check-ins in trouble: what the newest card's failure said, and whether a reminder (which repeats the card) arrived.</summary>
    private async Task<Dictionary<Guid, CardHistory>> HistoriesAsync(IsoWeek week, IReadOnlyList<CheckIn> troubled, CancellationToken cancellationToken)
    {
        if (troubled.Count == 0)
        {
            return [];
        }

        var ids = troubled.Select(r => r.UseCaseId).ToHashSet();
        var weekPart = ":" + week;
        var problems = await db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.Kind == CheckInCycle.CheckInKind && m.DedupeKey.Contains(weekPart)
                && (m.State == OutboxState.InDoubt || m.State == OutboxState.Undeliverable || m.State == OutboxState.Failed))
            .Select(m => new { m.Id, m.DedupeKey, m.LastError })
            .ToListAsync(cancellationToken);
        var latest = new Dictionary<Guid, (long Id, string? Error)>();
        foreach (var m in problems)
        {
            if (CheckInDeliveries.TryParseKey(m.DedupeKey, out var id, out var w, out _) && w == week && ids.Contains(id)
                && (!latest.TryGetValue(id, out var seen) || seen.Id < m.Id))
            {
                latest[id] = (m.Id, m.LastError);
            }
        }

        var reminderKeys = troubled.Where(IsInDoubt).Select(r => $"reminder:{r.UseCaseId:D}:{week}").ToList();
        var reminders = reminderKeys.Count == 0
            ? []
            : await db.Set<OutboxMessage>().AsNoTracking().Where(m => reminderKeys.Contains(m.DedupeKey) && m.State == OutboxState.Sent)
                .Select(m => new { m.DedupeKey, m.UpdatedAt }).ToListAsync(cancellationToken);
        var reminded = new Dictionary<Guid, DateTime>();
        foreach (var r in reminders)
        {
            if (CheckInDeliveries.TryParseCardKey(r.DedupeKey, out var id, out _))
            {
                reminded[id] = r.UpdatedAt;
            }
        }

        return ids.ToDictionary(id => id, id => new CardHistory(
            latest.TryGetValue(id, out var problem) ? problem.Error : null,
            reminded.TryGetValue(id, out var at) ? at : null));
    }

    private static string Utc(DateTime value) => value.ToString("ddd d MMM HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
