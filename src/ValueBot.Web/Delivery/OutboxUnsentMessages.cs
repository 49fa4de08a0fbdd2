using ValueBot.Teams.Connector;

namespace ValueBot.Web.Delivery;

/// <summary>
/// A turn's message that could not be sent during the turn (no outbound token in time, throttled, refused before Teams
/// acted on it) goes to the outbox: the sender delivers it once Teams takes it, and the dedupe key keeps a redelivered
/// activity from queuing it twice.
/// </summary>
public sealed class OutboxUnsentMessages(Outbox outbox) : IUnsentMessages
{
    /// <summary>The outbox kind of these messages.</summary>
    public const string Kind = "turn";

    public async Task<bool> QueueAsync(UnsentMessage message, CancellationToken cancellationToken) =>
        await outbox.EnqueueAsync(Outbox.Message(message.DedupeKey, Kind, message.ServiceUrl, message.ConversationId, message.TenantId,
            message.Activity, message.UpdateActivityId), cancellationToken) == EnqueueResult.Queued;
}
