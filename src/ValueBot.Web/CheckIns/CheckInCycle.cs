using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Periods;
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
    ITeamsAppInstaller installer,
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
        // Runs every minute over the whole registry: the measured use cases (a stopped one gets no more check-ins) and
        // everyone ValueBot knows, once each.
        var records = await db.Set<UseCaseRecord>().AsNoTracking()
            .Where(u => u.RetiredAt == null && u.OwnerAadObjectId != null && u.Stage != Stage.Stopped)
            .ToListAsync(cancellationToken);
        if (records.Count == 0)
        {
            return new CheckInCycleReport(0, 0, 0, 0, 0);
        }

        var people = await db.Set<Person>().AsNoTracking().ToDictionaryAsync(p => p.AadObjectId, StringComparer.OrdinalIgnoreCase, cancellationToken);
        var useCases = records.Select(r => r.ToUseCase(people)).ToList();
        var chats = await installations.PersonalByUserAsync(cancellationToken);
        var plans = useCases.Select(u =>
        {
            var zoneId = people.GetValueOrDefault(u.Owner!.AadObjectId)?.TimeZone;
            var zone = calendar.ZoneOf(zoneId);
            return new Plan(u, zone, calendar.Cadence.DueWeekAt(now, zone, u.CheckInSchedule));
        }).ToList();

        var weeks = plans.SelectMany(p => new[] { p.Due, p.Due.Previous() }).Distinct().ToList();
        var rows = (await db.Set<CheckIn>().AsNoTracking()
                .Where(c => weeks.Contains(c.Week))
                .ToListAsync(cancellationToken))
            .ToDictionary(c => (c.UseCaseId, c.Week));

        await RepairDeliveredAsync(rows.Values.Where(r => r.Status == CheckInStatus.Scheduled).ToList(), cancellationToken);

        int scheduled = 0, reminded = 0, missed = 0, escalated = 0;
        var unreachable = new List<(UseCase UseCase, IsoWeek Week, string Reason)>();
        var closed = new List<(Plan Plan, CheckIn Row)>();
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
                    && (row.SentAt is null || Utc(row.SentAt.Value) < remindAt)
                    && ownerChat is not null
                    && await RemindAsync(plan, row, ownerChat, rows, cancellationToken))
                {
                    reminded++;
                }
            }
        }

        if (closed.Count > 0)
        {
            escalated = await EscalateAsync(closed, people, chats, unreachable, now, cancellationToken);
        }

        await ReportUnreachableAsync(unreachable, chats, cancellationToken);
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
            Activity.CreateCardMessage(CheckInCard.Build(useCase, week, previous)));

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
        var banner = $"Reminder: this week's check-in is still open until {local:dddd HH:mm} ({plan.Zone.Id}).";
        var message = Outbox.Message($"reminder:{useCase.Id:D}:{row.Week}", ReminderKind, chat.ServiceUrl, chat.ConversationId, chat.TenantId,
            Activity.CreateCardMessage(CheckInCard.Build(useCase, row.Week, previous, banner: banner)));

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

    /// <summary>Tells every admin with a 1:1 chat which owners (or managers) ValueBot could not reach in this run.</summary>
    private async Task ReportUnreachableAsync(List<(UseCase UseCase, IsoWeek Week, string Reason)> unreachable, IReadOnlyDictionary<string, Installation> chats, CancellationToken cancellationToken)
    {
        if (unreachable.Count == 0)
        {
            return;
        }

        foreach (var (useCase, week, reason) in unreachable)
        {
            Log.Unreachable(logger, useCase.Id, week.ToString(), reason);
        }

        const int listed = 25;
        var lines = unreachable.Take(listed).Select(u => $"- {u.UseCase.Name} ({u.UseCase.Owner?.DisplayName}), week {u.Week}: {u.Reason}").ToList();
        if (unreachable.Count > listed)
        {
            lines.Add($"- and {unreachable.Count - listed} more (see the admin API's use cases and the log)");
        }

        var text = "I could not reach these people this week, so their check-ins count as not reported until they install ValueBot "
            + "(or an admin enables Graph proactive installation):\n\n" + string.Join("\n", lines);
        var first = unreachable.Min(u => u.UseCase.Id);
        foreach (var adminId in admins.ObjectIds)
        {
            if (!chats.TryGetValue(adminId, out var chat))
            {
                continue;
            }

            var message = Outbox.Message($"unreachable:{adminId}:{unreachable[0].Week}:{first:D}:{unreachable.Count}", UnreachableKind,
                chat.ServiceUrl, chat.ConversationId, chat.TenantId, Activity.CreateCardMessage(CheckInCard.Notice("Check-ins that could not be delivered", text)));
            await outbox.EnqueueAsync(message, cancellationToken);
        }
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
        foreach (var message in finished)
        {
            var row = byKey[message.DedupeKey];
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
