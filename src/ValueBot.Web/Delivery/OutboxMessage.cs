using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ValueBot.Web.Delivery;

/// <summary>Where a proactive message is in its life: queued, being sent under a lease, or finished.</summary>
public enum OutboxState
{
    Pending,
    Sending,
    Sent,
    Undeliverable,
    Failed,

    /// <summary>
    /// A send went on the wire and no clear answer came back (its sender died, the request timed out, the connection
    /// dropped, or Teams answered 500/502/504): Teams may or may not have the message. A new post is not repeated,
    /// since a duplicate is worse than a loss the next reminder makes good.
    /// </summary>
    InDoubt,

    /// <summary>Not sent because it was no longer wanted when its turn came (an owner answered before their card went out).</summary>
    Withdrawn,
}

/// <summary>
/// One proactive message to deliver to a Teams conversation, kept until Teams accepted it or it was given up.
/// <see cref="DedupeKey"/> says what the message is for (for example <c>checkin:42:2026-W47</c>); the outbox holds at
/// most one message per key, so enqueueing the same thing twice sends it once.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    public required string DedupeKey { get; set; }

    /// <summary>What the message is (<c>checkin</c>, <c>digest</c>…), for observers and metrics.</summary>
    public required string Kind { get; set; }

    /// <summary>The tenant whose rate limit the send counts against.</summary>
    public string? TenantId { get; set; }

    public required string ServiceUrl { get; set; }

    public required string ConversationId { get; set; }

    /// <summary>The activity to send, serialized with the Teams JSON context.</summary>
    public required string ActivityJson { get; set; }

    /// <summary>When set, the message replaces this earlier activity in place (PUT) instead of posting a new one.</summary>
    public string? UpdateActivityId { get; set; }

    public OutboxState State { get; set; } = OutboxState.Pending;

    public int Attempts { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntil { get; set; }

    public string? SentActivityId { get; set; }

    /// <summary>When the current attempt's request was handed to the connector; cleared when it is handed back.</summary>
    public DateTime? OnWireAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>Teams' error code of the last failure (<c>ConversationBlockedByUser</c>, <c>MessageWritesBlocked</c>…), if it gave one.</summary>
    public string? ErrorCode { get; set; }

    /// <summary>
    /// After this the message is no use (a check-in past its deadline): transient failures are retried with growing
    /// backoff until then, and it is given up (Failed) when it passes. Null: <see cref="DeliveryOptions.GiveUpAfter"/>
    /// from when it was queued.
    /// </summary>
    public DateTime? ExpiresAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.State).HasConversion<string>();
        builder.HasIndex(m => m.DedupeKey).IsUnique();
    }
}
