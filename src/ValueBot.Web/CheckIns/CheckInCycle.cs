using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Periods;
using ValueBot.Domain.Scheduling;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Schema;
using ValueBot.Web.AdminCards;
using ValueBot.Web.Delivery;
using ValueBot.Web.Installations;
using ValueBot.Web.People;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.CheckIns;

/// <summary>What one run of the cycle did.</summary>
public sealed record CheckInCycleReport(int Scheduled, int Reminded, int Missed, int Escalated, int Unreachable)
{
    public override string ToString() =>
        $"{Scheduled} scheduled, {Reminded} reminded, {Missed} missed, {Escalated} escalated, {Unreachable} unreachable";
}

/// <summary>
/// The weekly loop, run by the scheduler every minute or so. Each run compares the clock with every measured use
/// case's week in its owner's time zone and does what is due and not yet done: queue the check-in once its send time
/// has passed, remind on Wednesday only those who have not answered, mark unanswered check-ins missed at the
/// deadline, and tell the owner's manager after two missed in a row. Every step is guarded by a conditional write
/// (a unique row per use case and week, a column set once), so a run may be repeated, run late after downtime, or
/// run on two instances at once, and each thing still happens once. Cards go through the durable outbox.
/// </summary>
public sealed partial class CheckInCycle(
    ValueBotDbContext db,
    Outbox outbox,
    CheckInStore store,
    CheckInDeliveries deliveries,
    InstallationStore installations,
    CheckInCalendar calendar,
    GraphTeamsAppInstaller installer,
    TeamsAdmins admins,
    TimeProvider time,
    Microsoft.Extensions.Options.IOptions<ScheduleOptions> options,
    ILogger<CheckInCycle> logger)
{
    public const string CheckInKind = "checkin";
    public const string ReminderKind = "checkin-reminder";
    public const string EscalationKind = "checkin-escalation";
    public const string UnreachableKind = "checkin-unreachable";

    /// <summary>Why a check-in could not even be queued: the owner has no 1:1 chat with ValueBot.</summary>
    public const string NotInstalledReason = "not-installed";

    /// <summary>Why a check-in was not sent: the owner has left the organisation.</summary>
    public const string OwnerLeftReason = "owner-left";

    public static string CheckInKey(Guid useCaseId, IsoWeek week) => $"checkin:{useCaseId:D}:{week}";

    public async Task<CheckInCycleReport> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Only the use cases whose next send, reminder or close instant has come (the agenda, one index range read);
        // an idle tick reads nothing else but the admins' chats when they are configured.
        var agenda = new CheckInAgenda(db, calendar, time);
        await agenda.SettleAsync(cancellationToken);
        var due = await agenda.DueAsync(now, cancellationToken);
        if (due.Count == 0)
        {
            await ReportDeliveryTroubleAsync([], WeeksInPlay(now), [], cancellationToken);
            return new CheckInCycleReport(0, 0, 0, 0, 0);
        }

        var dueIds = due.Select(d => d.UseCaseId).ToList();
        // The measured use cases among them (a stopped one gets no more check-ins) and the people they involve.
        var records = await db.Set<UseCaseRecord>().AsNoTracking()
            .Where(u => dueIds.Contains(u.Id) && u.RetiredAt == null && u.OwnerAadObjectId != null && u.Stage != Stage.Stopped)
            .ToListAsync(cancellationToken);
        var people = await PeopleAsync(records.Select(r => r.OwnerAadObjectId!), cancellationToken);
        var managerIds = people.Values.Select(p => p.ManagerAadObjectId).OfType<string>().Where(id => !people.ContainsKey(id)).ToList();
        foreach (var (id, manager) in await PeopleAsync(managerIds, cancellationToken))
        {
            people.TryAdd(id, manager);
        }

        var useCases = records.Select(r => r.ToUseCase(people)).ToList();
        var chats = await installations.PersonalByUsersAsync(
            records.Select(r => r.OwnerAadObjectId!).Concat(people.Values.Select(p => p.ManagerAadObjectId).OfType<string>()).Concat(admins.ObjectIds),
            cancellationToken);
        var plans = useCases.Select(u =>
        {
            // The zone on the person, else the one their chat reported before they were registered.
            var zoneId = people.GetValueOrDefault(u.Owner!.AadObjectId)?.TimeZone ?? chats.GetValueOrDefault(u.Owner.AadObjectId)?.TimeZone;
            var zone = calendar.ZoneOf(zoneId);
            return new Plan(u, zone, calendar.Cadence.DueWeekAt(now, zone, u.CheckInSchedule));
        }).ToList();

        var weeks = plans.SelectMany(p => new[] { p.Due, p.Due.Previous() }).Distinct().ToList();
        var ids = plans.Select(p => p.UseCase.Id).ToList();
        var rows = (await db.Set<CheckIn>().AsNoTracking()
                .Where(c => ids.Contains(c.UseCaseId) && weeks.Contains(c.Week))
                .ToListAsync(cancellationToken))
            .ToDictionary(c => (c.UseCaseId, c.Week));

        await RepairDeliveredAsync(rows.Values.Where(r => r.Status == CheckInStatus.Scheduled).ToList(), cancellationToken);

        int scheduled = 0, reminded = 0, missed = 0, escalated = 0;
        var unreachable = new List<(UseCase UseCase, IsoWeek Week, string Reason)>();
        var closed = new List<(Plan Plan, CheckIn Row)>();
        var queued = new HashSet<Guid>();
        foreach (var plan in plans)
        {
            foreach (var week in new[] { plan.Due.Previous(), plan.Due })
            {
                var row = rows.GetValueOrDefault((plan.UseCase.Id, week));
                var deadline = calendar.DeadlineOf(week, row, plan.Zone);
                if (now >= deadline)
                {
                    if (row is { Status: CheckInStatus.Scheduled or CheckInStatus.Sent } && await MarkMissedAsync(row, now, cancellationToken))
                    {
                        missed++;
                        closed.Add((plan, row));
                    }

                    continue;
                }

                if (week != plan.Due)
                {
                    continue;
                }

                var ownerChat = chats.GetValueOrDefault(plan.UseCase.Owner!.AadObjectId);
                if (row is null || row is { Status: CheckInStatus.Undeliverable, UndeliverableReason: NotInstalledReason } && ownerChat is not null)
                {
                    var outcome = await ScheduleAsync(plan, week, deadline, row, ownerChat, rows, cancellationToken);
                    if (outcome == ScheduleOutcome.Queued)
                    {
                        scheduled++;
                        queued.Add(plan.UseCase.Id);
                    }
                    else if (outcome == ScheduleOutcome.Unreachable)
                    {
                        unreachable.Add((plan.UseCase, week, plan.UseCase.Owner!.HasLeftOrganisation
                            ? "the owner has left the organisation: name a new owner"
                            : "ValueBot is not installed for the owner"));
                    }
                }
                else if (row is { Status: CheckInStatus.Sent, RemindedAt: null }
                    && calendar.Cadence.ReminderAt(week, plan.Zone) is var remindAt
                    && now >= remindAt
                    && (row.SentAt is null || Utc(row.SentAt.Value) < remindAt || row.InDoubtAt is not null)
                    && ownerChat is not null
                    && await RemindAsync(plan, row, ownerChat, rows, cancellationToken))
                {
                    reminded++;
                }
            }
        }

        var managers = new List<(UseCase UseCase, IsoWeek Week, string Reason)>();
        if (closed.Count > 0)
        {
            escalated = await EscalateAsync(closed, people, chats, managers, now, cancellationToken);
        }

        unreachable.AddRange(managers);
        foreach (var (useCase, week, reason) in unreachable)
        {
            Log.Unreachable(logger, useCase.Id, week.ToString(), reason);
        }

        await ReportDeliveryTroubleAsync(useCases, WeeksInPlay(now).Union(weeks).ToList(), managers, cancellationToken);
        var measured = plans.ToDictionary(p => p.UseCase.Id);
        await agenda.PlanAsync(due.Select(entry => (entry, measured.TryGetValue(entry.UseCaseId, out var plan)
            ? NextLookAt(plan, rows, queued.Contains(plan.UseCase.Id), now)
            : (DateTime?)null)), cancellationToken);
        var report = new CheckInCycleReport(scheduled, reminded, missed, escalated, unreachable.Count);
        if (scheduled + reminded + missed + escalated + unreachable.Count > 0)
        {
            Log.Ran(logger, report.ToString());
        }

        return report;
    }

    private enum ScheduleOutcome
    {
        Queued,
        AlreadyThere,
        Unreachable,
    }

    private sealed record Plan(UseCase UseCase, TimeZoneInfo Zone, IsoWeek Due);

    /// <summary>Creates the week's row and queues its card in one transaction; the unique (use case, week) row decides who wins a race.</summary>
    private async Task<ScheduleOutcome> ScheduleAsync(
        Plan plan, IsoWeek week, DateTimeOffset deadline, CheckIn? existing, Installation? ownerChat,
        IReadOnlyDictionary<(Guid, IsoWeek), CheckIn> rows, CancellationToken cancellationToken)
    {
        var useCase = plan.UseCase;
        // Someone who left the organisation is not messaged (nor installed for): the week is undeliverable and the
        // admins hear of it, as the use case now needs a new owner.
        var hasLeft = useCase.Owner!.HasLeftOrganisation;
        var chat = hasLeft ? null : ownerChat ?? await OpenChatThroughGraphAsync(useCase.Owner.AadObjectId, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var id = useCase.Id.ToString("D");
        var weekText = week.ToString();
        var deadlineUtc = deadline.UtcDateTime;
        if (chat is null)
        {
            if (existing is not null)
            {
                return ScheduleOutcome.AlreadyThere;
            }

            var undeliverable = CheckInStatus.Undeliverable.ToString().ToLowerInvariant();
            var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO check_ins (use_case_id, week, status, time_zone, deadline_at, undeliverable_reason, created_at, updated_at)
                VALUES ({id}, {weekText}, {undeliverable}, {plan.Zone.Id}, {deadlineUtc}, {(hasLeft ? OwnerLeftReason : NotInstalledReason)}, {now}, {now})
                ON CONFLICT (use_case_id, week) DO NOTHING
                """, cancellationToken);
            return inserted == 1 ? ScheduleOutcome.Unreachable : ScheduleOutcome.AlreadyThere;
        }

        var previous = LastWeeksAnswer(rows, useCase.Id, week) ?? await store.PreviousAnswerAsync(useCase.Id, week, cancellationToken);
        var message = Outbox.Message(CheckInKey(useCase.Id, week), CheckInKind, chat.ServiceUrl, chat.ConversationId, chat.TenantId,
            Activity.CreateCardMessage(CheckInCard.Build(useCase, week, previous)), expiresAt: deadline);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        int claimed;
        if (existing is null)
        {
            var status = CheckInStatus.Scheduled.ToString().ToLowerInvariant();
            claimed = await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO check_ins (use_case_id, week, status, conversation_id, time_zone, deadline_at, created_at, updated_at)
                VALUES ({id}, {weekText}, {status}, {chat.ConversationId}, {plan.Zone.Id}, {deadlineUtc}, {now}, {now})
                ON CONFLICT (use_case_id, week) DO NOTHING
                """, cancellationToken);
        }
        else
        {
            // The owner installed ValueBot after this week was found unreachable: send after all.
            claimed = await db.Set<CheckIn>()
                .Where(c => c.Id == existing.Id && c.Status == CheckInStatus.Undeliverable && c.UndeliverableReason == NotInstalledReason)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.Status, CheckInStatus.Scheduled)
                    .SetProperty(c => c.UndeliverableReason, (string?)null)
                    .SetProperty(c => c.ConversationId, chat.ConversationId)
                    .SetProperty(c => c.UpdatedAt, now), cancellationToken);
        }

        if (claimed == 1)
        {
            await outbox.EnqueueAsync(message, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed == 1 ? ScheduleOutcome.Queued : ScheduleOutcome.AlreadyThere;
    }

    private async Task<bool> RemindAsync(Plan plan, CheckIn row, Installation chat, IReadOnlyDictionary<(Guid, IsoWeek), CheckIn> rows, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var useCase = plan.UseCase;
        var previous = LastWeeksAnswer(rows, useCase.Id, row.Week);
        var deadline = calendar.DeadlineOf(row.Week, row, plan.Zone);
        var local = TimeZoneInfo.ConvertTime(deadline, plan.Zone);
        var banner = row.InDoubtAt is not null
            ? $"In case this week's first check-in card did not reach you: here it is again, open until {local:dddd HH:mm} ({plan.Zone.Id})."
            : $"Reminder: this week's check-in is still open until {local:dddd HH:mm} ({plan.Zone.Id}).";
        var message = Outbox.Message($"reminder:{useCase.Id:D}:{row.Week}", ReminderKind, chat.ServiceUrl, chat.ConversationId, chat.TenantId,
            Activity.CreateCardMessage(CheckInCard.Build(useCase, row.Week, previous, banner: banner)), expiresAt: deadline);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.Set<CheckIn>()
            .Where(c => c.Id == row.Id && c.RemindedAt == null && c.Status == CheckInStatus.Sent)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RemindedAt, now).SetProperty(c => c.UpdatedAt, now), cancellationToken);
        if (claimed == 1)
        {
            await outbox.EnqueueAsync(message, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed == 1;
    }

    private async Task<bool> MarkMissedAsync(CheckIn row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = now.UtcDateTime;
        return await db.Set<CheckIn>()
            .Where(c => c.Id == row.Id && (c.Status == CheckInStatus.Scheduled || c.Status == CheckInStatus.Sent))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CheckInStatus.Missed).SetProperty(c => c.UpdatedAt, at), cancellationToken) == 1;
    }

    /// <summary>
    /// For each check-in just marked missed: when the owner's previous due check-in (skipped weeks are not due) was
    /// missed too, the owner's manager gets one message naming the use case.
    /// </summary>
    private async Task<int> EscalateAsync(
        List<(Plan Plan, CheckIn Row)> closed, Dictionary<string, Person> people, IReadOnlyDictionary<string, Installation> chats,
        List<(UseCase UseCase, IsoWeek Week, string Reason)> unreachable, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The few weeks before each closed one (skipped weeks are passed over), loaded for all of them at once.
        var ids = closed.Select(c => c.Row.UseCaseId).Distinct().ToList();
        var weeks = closed.SelectMany(c => Enumerable.Range(1, 4).Select(back => c.Row.Week.AddWeeks(-back))).Distinct().ToList();
        var history = (await db.Set<CheckIn>().AsNoTracking().Where(c => weeks.Contains(c.Week) && ids.Contains(c.UseCaseId)).ToListAsync(cancellationToken))
            .ToLookup(c => c.UseCaseId);
        var escalated = 0;
        foreach (var (plan, row) in closed)
        {
            var before = history[row.UseCaseId]
                .Where(c => c.Week < row.Week && c.Status != CheckInStatus.Skipped)
                .OrderByDescending(c => c.Week)
                .FirstOrDefault();
            if (before?.Status != CheckInStatus.Missed)
            {
                continue;
            }

            var owner = plan.UseCase.Owner!;
            var managerId = people.GetValueOrDefault(owner.AadObjectId)?.ManagerAadObjectId;
            if (managerId is null || !chats.TryGetValue(managerId, out var chat))
            {
                unreachable.Add((plan.UseCase, row.Week, managerId is null
                    ? $"{owner.DisplayName} missed two check-ins in a row and has no manager on record"
                    : $"{owner.DisplayName} missed two check-ins in a row; their manager has not installed ValueBot"));
                Log.NoManager(logger, plan.UseCase.Id, row.Week.ToString());
                continue;
            }

            var managerName = people.GetValueOrDefault(managerId)?.DisplayName ?? "there";
            var card = CheckInCard.Notice(
                $"{owner.DisplayName} missed two check-ins in a row: {plan.UseCase.Name}",
                $"Hi {managerName}, the weekly check-ins for {plan.UseCase.Name} were not answered in weeks {before.Week} and {row.Week}. "
                + "Without answers its net value is unknown and the use case shows as unclear accountability. A word with the owner, or naming a delegate, usually fixes it.");
            var message = Outbox.Message($"escalation:{row.UseCaseId:D}:{row.Week}", EscalationKind, chat.ServiceUrl, chat.ConversationId, chat.TenantId,
                Activity.CreateCardMessage(card));
            var at = now.UtcDateTime;
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var claimed = await db.Set<CheckIn>()
                .Where(c => c.Id == row.Id && c.EscalatedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.EscalatedAt, at).SetProperty(c => c.UpdatedAt, at), cancellationToken);
            if (claimed == 1)
            {
                await outbox.EnqueueAsync(message, cancellationToken);
                escalated++;
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return escalated;
    }

    /// <summary>
    /// Tells every admin with a 1:1 chat, once per run and completely, about the check-ins that could not be delivered
    /// and were not reported yet — not installed, owner left, blocked (with Teams' code), undeliverable, given up at the
    /// deadline, in doubt — and the managers who could not be told of two missed check-ins. Each check-in is claimed for
    /// the report with a conditional write, so two instances do not both report it.
    /// </summary>
    private async Task ReportDeliveryTroubleAsync(
        IReadOnlyList<UseCase> useCases, List<IsoWeek> weeks, List<(UseCase UseCase, IsoWeek Week, string Reason)> managers,
        CancellationToken cancellationToken)
    {
        if (admins.ObjectIds.Count == 0)
        {
            return;
        }

        // Two index reads (partial indexes of migration 15 hold only the unreported ones), then the admins' chats.
        var candidates = await db.Set<CheckIn>().AsNoTracking()
            .Where(c => c.DeliveryReportedAt == null && c.Status == CheckInStatus.Undeliverable && weeks.Contains(c.Week))
            .Select(c => c.Id)
            .ToListAsync(cancellationToken);
        candidates.AddRange(await db.Set<CheckIn>().AsNoTracking()
            .Where(c => c.DeliveryReportedAt == null && c.InDoubtAt != null && weeks.Contains(c.Week) && c.Status == CheckInStatus.Sent)
            .Select(c => c.Id)
            .ToListAsync(cancellationToken));
        if (candidates.Count == 0 && managers.Count == 0)
        {
            return;
        }

        var chats = await installations.PersonalByUsersAsync(admins.ObjectIds, cancellationToken);
        var adminChats = admins.ObjectIds.Select(id => chats.GetValueOrDefault(id)).OfType<Installation>().ToList();
        if (adminChats.Count == 0)
        {
            return; // reported once an admin can be reached: nothing is marked reported meanwhile
        }

        var now = time.GetUtcNow().UtcDateTime;
        var stamp = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var mine = new List<CheckIn>();
        if (candidates.Count > 0)
        {
            await db.Set<CheckIn>().Where(c => candidates.Contains(c.Id) && c.DeliveryReportedAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.DeliveryReportedAt, stamp), cancellationToken);
            mine = await db.Set<CheckIn>().AsNoTracking().Where(c => candidates.Contains(c.Id) && c.DeliveryReportedAt == stamp).ToListAsync(cancellationToken);
        }

        // What Teams said about each card in doubt: the latest message of the check-in decides (an admin's "send again"
        // is queued under the first card's key plus a suffix). Cards in doubt are few, so one look-up each is fine.
        var doubts = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in mine.Where(c => c.InDoubtAt != null).Select(c => CheckInKey(c.UseCaseId, c.Week)))
        {
            var prefix = key + ":";
            doubts[key] = await db.Set<OutboxMessage>().AsNoTracking()
                .Where(m => m.DedupeKey == key || m.DedupeKey.StartsWith(prefix))
                .OrderByDescending(m => m.Id).Select(m => m.LastError).FirstOrDefaultAsync(cancellationToken);
        }

        var byId = useCases.ToDictionary(u => u.Id);
        var others = mine.Select(c => c.UseCaseId).Where(id => !byId.ContainsKey(id)).Distinct().ToList();
        if (others.Count > 0)
        {
            var records = await db.Set<UseCaseRecord>().AsNoTracking().Where(u => others.Contains(u.Id)).ToListAsync(cancellationToken);
            var people = await PeopleAsync(records.Select(r => r.OwnerAadObjectId).OfType<string>(), cancellationToken);
            foreach (var record in records)
            {
                byId[record.Id] = record.ToUseCase(people);
            }
        }

        string Line(Guid id, IsoWeek week, string reason) =>
            byId.TryGetValue(id, out var u) ? $"- {u.Name} ({u.Owner?.DisplayName}), week {week}: {reason}" : $"- use case {id:D}, week {week}: {reason}";

        var sections = new List<(string Title, List<string> Lines)>
        {
            ("Blocked (Teams will not take messages for them; they must unblock or re-enable ValueBot)", []),
            ("Not reachable", []),
            ("Given up (retried until the week's deadline)", []),
            ("In doubt (Teams gave no clear answer and may have the card; the reminder repeats it, marked as a repeat)", []),
            ("Managers who could not be told of two missed check-ins", managers.Select(m => $"- {m.UseCase.Name}, week {m.Week}: {m.Reason}").ToList()),
        };
        foreach (var row in mine.OrderBy(r => r.Week).ThenBy(r => byId.GetValueOrDefault(r.UseCaseId)?.Name, StringComparer.OrdinalIgnoreCase))
        {
            if (row.Status == CheckInStatus.Sent)
            {
                sections[3].Lines.Add(Line(row.UseCaseId, row.Week, doubts.GetValueOrDefault(CheckInKey(row.UseCaseId, row.Week)) ?? "no clear answer from Teams"));
                continue;
            }

            var reason = CheckInDeliveries.ReadReason(row.UndeliverableReason);
            sections[reason.Kind switch { UndeliverableKind.Blocked => 0, UndeliverableKind.GivenUp or UndeliverableKind.Failed => 2, _ => 1 }]
                .Lines.Add(Line(row.UseCaseId, row.Week, reason.Text));
        }

        // Complete, never cut: a long report is split over several cards of at most 60 lines each.
        var lines = sections.Where(s => s.Lines.Count > 0).SelectMany(s => new[] { $"**{s.Title}**" }.Concat(s.Lines)).ToList();
        var parts = lines.Chunk(60).ToList();
        var total = mine.Count + managers.Count;
        for (var part = 0; part < parts.Count; part++)
        {
            var intro = part == 0
                ? $"I could not reach these people ({total}), so their check-ins count as not reported until they are reachable:\n\n"
                : $"(continued, part {part + 1} of {parts.Count})\n\n";
            var card = CheckInCard.Notice("Check-ins that could not be delivered", intro + string.Join("\n", parts[part]));
            foreach (var chat in adminChats)
            {
                await outbox.EnqueueAsync(Outbox.Message($"delivery-report:{chat.AadObjectId}:{stamp:O}:{part}", UnreachableKind,
                    chat.ServiceUrl, chat.ConversationId, chat.TenantId, Activity.CreateCardMessage(card)), cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Check-ins still "scheduled" whose outbox message already finished: the process stopped between the outbox
    /// result and the delivery observer. Applies the result now.
    /// </summary>
    private async Task RepairDeliveredAsync(List<CheckIn> scheduled, CancellationToken cancellationToken)
    {
        if (scheduled.Count == 0)
        {
            return;
        }

        var byKey = scheduled.ToDictionary(r => CheckInKey(r.UseCaseId, r.Week), StringComparer.Ordinal);
        var keys = byKey.Keys.ToList();
        var finished = await db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => keys.Contains(m.DedupeKey) && m.State != OutboxState.Pending && m.State != OutboxState.Sending)
            .ToListAsync(cancellationToken);
        foreach (var first in finished)
        {
            // The card may have been queued again since (by an admin, or after a reinstall): the latest one decides.
            var prefix = first.DedupeKey + ":";
            var message = await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.DedupeKey.StartsWith(prefix))
                .OrderByDescending(m => m.Id).FirstOrDefaultAsync(cancellationToken) ?? first;
            if (message.State is OutboxState.Pending or OutboxState.Sending)
            {
                continue;
            }

            var row = byKey[first.DedupeKey];
            await deliveries.ApplyAsync(row.UseCaseId, row.Week, message.State, message.SentActivityId, message.ConversationId, message.LastError, cancellationToken);
            row.Status = message.State is OutboxState.Sent or OutboxState.InDoubt ? CheckInStatus.Sent : CheckInStatus.Undeliverable;
            row.SentAt ??= message.UpdatedAt;
        }
    }

    /// <summary>
    /// Installs ValueBot for someone who never opened it (Graph, when configured) and returns the new 1:1 chat;
    /// null when Graph is not configured or the installation failed (logged).
    /// </summary>
    private async Task<Installation?> OpenChatThroughGraphAsync(string aadObjectId, CancellationToken cancellationToken)
    {
        var install = await installer.InstallForUserAsync(aadObjectId, cancellationToken);
        if (install is InstallResult.NotConfigured)
        {
            return null;
        }

        if (install is not InstallResult.Installed)
        {
            Log.InstallFailed(logger, aadObjectId, install.ToString());
            return null;
        }

        var chat = await installer.GetChatIdAsync(aadObjectId, cancellationToken);
        if (chat is not ChatIdResult.Found found)
        {
            Log.InstallFailed(logger, aadObjectId, chat.ToString());
            return null;
        }

        var known = await db.Installations.AsNoTracking().Where(i => i.RemovedAt == null)
            .OrderByDescending(i => i.UpdatedAt).Select(i => new { i.ServiceUrl, i.TenantId }).FirstOrDefaultAsync(cancellationToken);
        // Not stored: Teams sends the installation event for the new chat, and that records it.
        return new Installation
        {
            ConversationId = found.ChatId,
            Scope = "personal",
            ServiceUrl = known?.ServiceUrl ?? options.Value.ProactiveServiceUrl,
            TenantId = known?.TenantId,
            AadObjectId = aadObjectId,
        };
    }

    /// <summary>The people with the given Entra object ids (compared without case, as everywhere), by object id.</summary>
    private async Task<Dictionary<string, Person>> PeopleAsync(IEnumerable<string> aadObjectIds, CancellationToken cancellationToken)
    {
        var ids = aadObjectIds.Select(id => id.ToLowerInvariant()).Distinct().ToList();
        if (ids.Count == 0)
        {
            return new Dictionary<string, Person>(StringComparer.OrdinalIgnoreCase);
        }

        var found = await db.Set<Person>().AsNoTracking().Where(p => ids.Contains(p.AadObjectId.ToLower())).ToListAsync(cancellationToken);
        return found.DistinctBy(p => p.AadObjectId, StringComparer.OrdinalIgnoreCase).ToDictionary(p => p.AadObjectId, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Every ISO week some owner's check-in may be due in, or the week before it: local time is at most 12 hours
    /// behind and 14 ahead of UTC, and the due week is that week or, before its send time, the one before.
    /// </summary>
    private static List<IsoWeek> WeeksInPlay(DateTimeOffset now)
    {
        var first = Cadence.WeekAt(now.AddHours(-12), TimeZoneInfo.Utc).AddWeeks(-2);
        var last = Cadence.WeekAt(now.AddHours(14), TimeZoneInfo.Utc);
        var weeks = new List<IsoWeek>();
        for (var week = first; week <= last; week = week.Next())
        {
            weeks.Add(week);
        }

        return weeks;
    }

    /// <summary>
    /// When the cycle next has to look at a use case: the earliest of the next week's send time, this week's reminder
    /// and the close of this and last week that are still ahead. A card still waiting to go out after the reminder
    /// time is looked at every tick until it has gone (it may go in doubt, and the reminder then repeats it).
    /// </summary>
    private DateTime NextLookAt(Plan plan, IReadOnlyDictionary<(Guid, IsoWeek), CheckIn> rows, bool queuedNow, DateTimeOffset now)
    {
        var useCase = plan.UseCase;
        var next = calendar.Cadence.SendAt(plan.Due.Next(), plan.Zone, useCase.CheckInSchedule);
        var row = rows.GetValueOrDefault((useCase.Id, plan.Due));
        var deadline = calendar.DeadlineOf(plan.Due, row, plan.Zone);
        var remindAt = calendar.Cadence.ReminderAt(plan.Due, plan.Zone);
        var waiting = queuedNow || row is { Status: CheckInStatus.Scheduled };
        if (waiting && now >= remindAt && now < deadline)
        {
            return now.UtcDateTime;
        }

        foreach (var instant in new[] { remindAt, deadline, calendar.DeadlineOf(plan.Due.Previous(), rows.GetValueOrDefault((useCase.Id, plan.Due.Previous())), plan.Zone) })
        {
            if (instant > now && instant < next)
            {
                next = instant;
            }
        }

        return next.UtcDateTime;
    }

    /// <summary>The answer of the week before, from the rows already loaded (what the card is prefilled with).</summary>
    private static Answer? LastWeeksAnswer(IReadOnlyDictionary<(Guid, IsoWeek), CheckIn> rows, Guid useCaseId, IsoWeek week) =>
        rows.GetValueOrDefault((useCaseId, week.Previous())) is { Status: CheckInStatus.Answered } last ? AnswerJson.TryDeserialize(last.AnswerJson) : null;

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Check-in cycle: {Report}")]
        public static partial void Ran(ILogger logger, string report);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Check-in of use case {UseCaseId} for {Week} cannot be delivered: {Reason}")]
        public static partial void Unreachable(ILogger logger, Guid useCaseId, string week, string reason);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Use case {UseCaseId} missed two check-ins up to {Week}, but no manager can be told")]
        public static partial void NoManager(ILogger logger, Guid useCaseId, string week);

        [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Proactive installation for {AadObjectId} did not give a chat: {Outcome}")]
        public static partial void InstallFailed(ILogger logger, string aadObjectId, string outcome);
    }
}
