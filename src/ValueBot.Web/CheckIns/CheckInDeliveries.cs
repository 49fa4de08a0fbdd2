using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Periods;
using ValueBot.Web.Delivery;
using ValueBot.Web.Installations;
using ValueBot.Web.People;
using ValueBot.Web.Persistence;

namespace ValueBot.Web.CheckIns;

/// <summary>Writes what the outbox learnt about a check-in card onto its <c>check_ins</c> row.</summary>
public sealed class CheckInDeliveries(ValueBotDbContext db, TimeProvider time)
{
    /// <summary>
    /// Sent → <c>sent</c> with Teams' activity id; in doubt → <c>sent</c> too (the owner can answer) with
    /// <see cref="CheckIn.InDoubtAt"/> set, so the reminder makes it good; Undeliverable or Failed → <c>undeliverable</c>
    /// with the reason Teams gave; Withdrawn (answered before it went out) changes nothing. Only a row still
    /// <c>scheduled</c> changes, so an answer that raced ahead of the delivery report is never overwritten.
    /// </summary>
    public async Task ApplyAsync(Guid useCaseId, IsoWeek week, OutboxState state, string? activityId, string conversationId, string? error, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var row = db.Set<CheckIn>().Where(c => c.UseCaseId == useCaseId && c.Week == week && c.Status == CheckInStatus.Scheduled);
        if (state == OutboxState.Withdrawn)
        {
            return;
        }

        if (state == OutboxState.InDoubt)
        {
            await row.ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, CheckInStatus.Sent)
                .SetProperty(c => c.SentAt, now)
                .SetProperty(c => c.InDoubtAt, now)
                .SetProperty(c => c.ConversationId, conversationId)
                .SetProperty(c => c.UpdatedAt, now), cancellationToken);
            return;
        }

        if (state is OutboxState.Sent)
        {
            await row.ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, CheckInStatus.Sent)
                .SetProperty(c => c.SentAt, now)
                .SetProperty(c => c.ActivityId, activityId)
                .SetProperty(c => c.ConversationId, conversationId)
                .SetProperty(c => c.UpdatedAt, now), cancellationToken);
            return;
        }

        var reason = state == OutboxState.Undeliverable ? "blocked or gone: " + error : "failed: " + error;
        await row.ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Status, CheckInStatus.Undeliverable)
            .SetProperty(c => c.UndeliverableReason, reason)
            .SetProperty(c => c.UpdatedAt, now), cancellationToken);
    }

    /// <summary>
    /// Parses <c>checkin:{use case id}:{week}</c> and the keys of the same card queued again
    /// (<c>…:again-{n}</c> by an admin, <c>…:reinstalled</c> after a Graph reinstall, or both).
    /// </summary>
    public static bool TryParseKey(string dedupeKey, out Guid useCaseId, out IsoWeek week, out bool isRetry)
    {
        useCaseId = default;
        week = default;
        var parts = dedupeKey.Split(':');
        isRetry = parts.Length > 3 && parts[^1] == RetryMarker;
        return parts.Length is >= 3 and <= 5 && parts[0] == CheckInCycle.CheckInKind
            && Guid.TryParse(parts[1], out useCaseId) && IsoWeek.TryParse(parts[2], out week);
    }

    public const string RetryMarker = "reinstalled";

    /// <summary>What a stored <see cref="CheckIn.UndeliverableReason"/> means, for the admins' report and the delivery view.</summary>
    public static UndeliverableReason ReadReason(string? stored)
    {
        var text = stored ?? "";
        if (text == CheckInCycle.NotInstalledReason)
        {
            return new(UndeliverableKind.NotInstalled, "not installed", "ValueBot is not installed for the owner (install it, or enable Graph proactive installation)");
        }

        if (text == CheckInCycle.OwnerLeftReason)
        {
            return new(UndeliverableKind.OwnerLeft, "owner left", "the owner has left the organisation: name a new owner");
        }

        if (ValueBot.Teams.Connector.ConnectorResult<object>.StopSendingCodes.FirstOrDefault(code => text.Contains(code, StringComparison.OrdinalIgnoreCase)) is { } code)
        {
            return new(UndeliverableKind.Blocked, code, $"{code} — {text}");
        }

        if (text.StartsWith("failed:", StringComparison.Ordinal))
        {
            return text.Contains("gave up", StringComparison.Ordinal)
                ? new(UndeliverableKind.GivenUp, "given up", text)
                : new(UndeliverableKind.Failed, "refused", text);
        }

        return new(UndeliverableKind.Removed, "removed or gone", text.Length == 0 ? "no reason recorded" : text);
    }

    /// <summary>Parses the key of a check-in card or its reminder (<c>checkin:…</c>, <c>reminder:…</c>, <c>resend:…</c>).</summary>
    public static bool TryParseCardKey(string dedupeKey, out Guid useCaseId, out IsoWeek week)
    {
        useCaseId = default;
        week = default;
        var parts = dedupeKey.Split(':');
        return parts.Length >= 3 && parts[0] is CheckInCycle.CheckInKind or "reminder" or "resend"
            && Guid.TryParse(parts[1], out useCaseId) && IsoWeek.TryParse(parts[2], out week);
    }
}

/// <summary>Why a check-in is undeliverable, in the admins' groups.</summary>
public enum UndeliverableKind
{
    /// <summary>The owner has no chat with ValueBot and Graph could not open one.</summary>
    NotInstalled,

    /// <summary>The owner has left the organisation.</summary>
    OwnerLeft,

    /// <summary>Teams said it will not take messages for the chat (a stop-sending code).</summary>
    Blocked,

    /// <summary>A 403/404 without a stop-sending code: ValueBot was removed from the chat, or the user is gone.</summary>
    Removed,

    /// <summary>Transient failures retried until the week's deadline.</summary>
    GivenUp,

    /// <summary>Teams refused the card for another reason (a 400, say).</summary>
    Failed,
}

/// <summary>An undeliverable check-in's reason: its group, a short label to count by (Teams' code where it gave one) and the full text.</summary>
public sealed record UndeliverableReason(UndeliverableKind Kind, string Label, string Text);

/// <summary>
/// Withdraws a check-in card (or its reminder) whose week was answered, skipped or closed while it waited in the
/// outbox, so an owner who answered through <c>checkin</c> first is not sent a blank card. One query per claimed batch.
/// </summary>
internal sealed class CheckInOutboxGate(IServiceScopeFactory scopes) : IOutboxGate
{
    public async Task<IReadOnlySet<string>> WithdrawnAsync(IReadOnlyCollection<string> dedupeKeys, CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<(Guid, IsoWeek), List<string>>();
        foreach (var key in dedupeKeys)
        {
            if (CheckInDeliveries.TryParseCardKey(key, out var useCaseId, out var week))
            {
                (wanted.TryGetValue((useCaseId, week), out var keys) ? keys : wanted[(useCaseId, week)] = []).Add(key);
            }
        }

        if (wanted.Count == 0)
        {
            return new HashSet<string>();
        }

        await using var scope = scopes.CreateAsyncScope();
        var ids = wanted.Keys.Select(k => k.Item1).Distinct().ToList();
        var weeks = wanted.Keys.Select(k => k.Item2).Distinct().ToList();
        var closed = await scope.ServiceProvider.GetRequiredService<ValueBotDbContext>().Set<CheckIn>().AsNoTracking()
            .Where(c => ids.Contains(c.UseCaseId) && weeks.Contains(c.Week)
                && (c.Status == CheckInStatus.Answered || c.Status == CheckInStatus.Skipped || c.Status == CheckInStatus.Missed))
            .Select(c => new { c.UseCaseId, c.Week })
            .ToListAsync(cancellationToken);
        return closed.SelectMany(c => wanted.GetValueOrDefault((c.UseCaseId, c.Week)) ?? []).ToHashSet(StringComparer.Ordinal);
    }
}

/// <summary>
/// Listens to the outbox for check-in cards. A 403/404 means the owner removed or blocked ValueBot: the installation
/// is marked removed and, when Graph proactive installation is configured, ValueBot installs itself again and
/// sends the card once more to the new chat; otherwise (or if that fails too) the check-in is undeliverable.
/// </summary>
internal sealed partial class CheckInDeliveryObserver(IServiceScopeFactory scopes, ILogger<CheckInDeliveryObserver> logger) : IDeliveryObserver
{
    public async Task OnDeliveryFinishedAsync(DeliveryReport report, CancellationToken cancellationToken)
    {
        if (report.Kind != CheckInCycle.CheckInKind || !CheckInDeliveries.TryParseKey(report.DedupeKey, out var useCaseId, out var week, out var isRetry))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        if (report.State == OutboxState.Undeliverable)
        {
            await services.GetRequiredService<InstallationStore>().RecordRemovedAsync(report.ConversationId, cancellationToken);
            if (!isRetry && await ResendAfterReinstallAsync(services, report, useCaseId, week, cancellationToken))
            {
                return;
            }
        }

        await services.GetRequiredService<CheckInDeliveries>()
            .ApplyAsync(useCaseId, week, report.State, report.SentActivityId, report.ConversationId, report.Error, cancellationToken);
    }

    private async Task<bool> ResendAfterReinstallAsync(IServiceProvider services, DeliveryReport report, Guid useCaseId, IsoWeek week, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<ValueBotDbContext>();
        var original = await services.GetRequiredService<Outbox>().FindAsync(report.DedupeKey, cancellationToken);
        var ownerId = await db.Set<UseCases.UseCaseRecord>().AsNoTracking()
            .Where(u => u.Id == useCaseId).Select(u => u.OwnerAadObjectId).SingleOrDefaultAsync(cancellationToken);
        if (original is null || ownerId is null)
        {
            return false;
        }

        var installer = services.GetRequiredService<GraphTeamsAppInstaller>();
        var install = await installer.InstallForUserAsync(ownerId, cancellationToken);
        if (install is not InstallResult.Installed)
        {
            if (install is not InstallResult.NotConfigured)
            {
                Log.ReinstallFailed(logger, ownerId, install.ToString());
            }

            return false;
        }

        if (await installer.GetChatIdAsync(ownerId, cancellationToken) is not ChatIdResult.Found chat)
        {
            Log.ReinstallFailed(logger, ownerId, "no chat after installation");
            return false;
        }

        var retry = new OutboxMessage
        {
            DedupeKey = report.DedupeKey + ":" + CheckInDeliveries.RetryMarker,
            Kind = CheckInCycle.CheckInKind,
            ServiceUrl = original.ServiceUrl,
            ConversationId = chat.ChatId,
            TenantId = original.TenantId,
            ActivityJson = original.ActivityJson,
        };
        await services.GetRequiredService<Outbox>().EnqueueAsync(retry, cancellationToken);
        Log.Reinstalled(logger, ownerId, week.ToString());
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Reinstalled ValueBot for {AadObjectId} through Graph; the check-in for {Week} is sent again once")]
        public static partial void Reinstalled(ILogger logger, string aadObjectId, string week);

        [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Could not reinstall ValueBot for {AadObjectId}: {Outcome}")]
        public static partial void ReinstallFailed(ILogger logger, string aadObjectId, string outcome);
    }
}
