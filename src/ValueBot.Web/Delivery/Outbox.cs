using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ValueBot.Teams.Schema;
using ValueBot.Web.Persistence;

namespace ValueBot.Web.Delivery;

/// <summary>What <see cref="Outbox.EnqueueAsync"/> did.</summary>
public enum EnqueueResult
{
    /// <summary>The message was added and will be sent.</summary>
    Queued,

    /// <summary>A message with the same dedupe key is already queued or was sent; nothing changed.</summary>
    AlreadyQueued,
}

/// <summary>
/// Adds proactive messages to the durable outbox; <see cref="OutboxSender"/> delivers them. Scoped: it writes
/// through the request's <see cref="ValueBotDbContext"/>, so when the caller has begun a transaction on that
/// context the enqueue commits or rolls back with the caller's own changes.
/// </summary>
public sealed class Outbox(ValueBotDbContext db, TimeProvider time)
{
    /// <summary>A message for a new activity in a conversation; <paramref name="expiresAt"/>: when it is no longer worth sending.</summary>
    public static OutboxMessage Message(string dedupeKey, string kind, string serviceUrl, string conversationId, string? tenantId, Activity activity, string? updateActivityId = null, DateTimeOffset? expiresAt = null) => new()
    {
        ExpiresAt = expiresAt?.UtcDateTime,
        DedupeKey = dedupeKey,
        Kind = kind,
        ServiceUrl = serviceUrl,
        ConversationId = conversationId,
        TenantId = tenantId,
        ActivityJson = JsonSerializer.Serialize(activity, TeamsJsonContext.Default.Activity),
        UpdateActivityId = updateActivityId,
    };

    /// <summary>
    /// Queues <paramref name="message"/> unless one with its dedupe key exists. Uses <c>INSERT … ON CONFLICT
    /// (dedupe_key) DO NOTHING</c> on both engines: the unique index decides, and on PostgreSQL a duplicate does not
    /// abort the caller's transaction as a caught unique violation would.
    /// </summary>
    public async Task<EnqueueResult> EnqueueAsync(OutboxMessage message, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var due = message.NextAttemptAt == default ? now : DateTime.SpecifyKind(message.NextAttemptAt, DateTimeKind.Utc);
        var pending = nameof(OutboxState.Pending);
        DateTime? expires = message.ExpiresAt is { } e ? DateTime.SpecifyKind(e, DateTimeKind.Utc) : null;
        var rows = await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO outbox_messages (dedupe_key, kind, tenant_id, service_url, conversation_id, activity_json,
                update_activity_id, state, attempts, next_attempt_at, expires_at, created_at, updated_at)
            VALUES ({message.DedupeKey}, {message.Kind}, {message.TenantId}, {message.ServiceUrl}, {message.ConversationId},
                {message.ActivityJson}, {message.UpdateActivityId}, {pending}, 0, {due}, {expires}, {now}, {now})
            ON CONFLICT (dedupe_key) DO NOTHING
            """, cancellationToken);
        return rows == 1 ? EnqueueResult.Queued : EnqueueResult.AlreadyQueued;
    }

    /// <summary>The message with this dedupe key, or null.</summary>
    public Task<OutboxMessage?> FindAsync(string dedupeKey, CancellationToken cancellationToken = default) =>
        db.Set<OutboxMessage>().AsNoTracking().SingleOrDefaultAsync(m => m.DedupeKey == dedupeKey, cancellationToken);
}
