using ValueBot.Teams.Schema;

namespace ValueBot.Teams.Connector;

/// <summary>A message of a turn that Teams clearly did not take during the turn, to be sent later.</summary>
/// <param name="DedupeKey">Unique per inbound activity and message, so that Teams redelivering the activity queues nothing twice.</param>
/// <param name="ServiceUrl">The conversation's serviceUrl.</param>
/// <param name="ConversationId">The conversation.</param>
/// <param name="TenantId">The conversation's tenant, if known.</param>
/// <param name="Activity">The message.</param>
/// <param name="UpdateActivityId">For an update in place: the activity it replaces.</param>
public sealed record UnsentMessage(string DedupeKey, string ServiceUrl, string ConversationId, string? TenantId, Activity Activity, string? UpdateActivityId);

/// <summary>
/// Where <see cref="Routing.TurnContext"/> puts a message it could not send during the turn (no outbound token in time,
/// throttled, or refused before Teams acted on it): the host's durable outbox, which sends it later. Without one
/// registered the turn simply returns the failure.
/// </summary>
public interface IUnsentMessages
{
    /// <summary>Queues the message; false when one with its dedupe key is already queued.</summary>
    Task<bool> QueueAsync(UnsentMessage message, CancellationToken cancellationToken);
}
