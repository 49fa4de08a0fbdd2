namespace ValueBot.Web.Delivery;

/// <summary>How one outbox message ended.</summary>
/// <param name="MessageId">The outbox row id.</param>
/// <param name="DedupeKey">What the message was for, e.g. <c>checkin:42:2026-W47</c>.</param>
/// <param name="Kind">The message kind.</param>
/// <param name="ConversationId">Where it went.</param>
/// <param name="State">Sent, Undeliverable, Failed, Withdrawn or InDoubt (no clear answer came back; it may have arrived).</param>
/// <param name="SentActivityId">Teams' id of the sent activity, when Sent.</param>
/// <param name="Error">Why it was not sent, otherwise null.</param>
public sealed record DeliveryReport(long MessageId, string DedupeKey, string Kind, string ConversationId, OutboxState State, string? SentActivityId, string? Error);

/// <summary>
/// Told when an outbox message reaches a final state, after that state is stored — for example so that a
/// check-in whose owner removed the bot (403/404) is marked undeliverable. Register any number as singletons;
/// a throwing observer is logged and does not affect delivery.
/// </summary>
public interface IDeliveryObserver
{
    Task OnDeliveryFinishedAsync(DeliveryReport report, CancellationToken cancellationToken);
}

/// <summary>
/// Asked just before a claimed batch goes out which of its messages are no longer wanted (for example a check-in card
/// whose week was answered meanwhile); those end <see cref="OutboxState.Withdrawn"/> and are not sent. Register any
/// number as singletons; one that throws is logged and withdraws nothing.
/// </summary>
public interface IOutboxGate
{
    Task<IReadOnlySet<string>> WithdrawnAsync(IReadOnlyCollection<string> dedupeKeys, CancellationToken cancellationToken);
}
