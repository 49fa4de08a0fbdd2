using System.Diagnostics.Metrics;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Delivery;

namespace ValueBot.Web.Observability;

/// <summary>
/// ValueBot's own counters, on the meter <see cref="ValueBotTelemetry.MeterName"/>. A singleton: feature code calls
/// the methods, <see cref="DeliveryMetricsObserver"/> counts what the outbox delivered.
/// </summary>
public sealed class ValueBotMetrics
{
    /// <summary>The outbox message kind of a weekly check-in card.</summary>
    public const string CheckInKind = "checkin";

    private readonly Counter<long> _checkInsSent;
    private readonly Counter<long> _answersStored;
    private readonly Counter<long> _deliveries;
    private readonly Meter _meter;

    public ValueBotMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ValueBotTelemetry.MeterName);
        _meter = meter;
        _checkInsSent = meter.CreateCounter<long>(ValueBotTelemetry.CheckInsSent, "{check-in}", "Check-in cards sent to owners");
        _answersStored = meter.CreateCounter<long>(ValueBotTelemetry.AnswersStored, "{answer}", "Check-in answers written to the database");
        _deliveries = meter.CreateCounter<long>(ValueBotTelemetry.Deliveries, "{message}", "Outbox messages that reached a final state");
    }

    /// <summary>A check-in card went out: <c>command</c> (the owner typed checkin) or <c>scheduled</c> (the outbox sent it).</summary>
    public void CheckInSent(string trigger) => _checkInsSent.Add(1, new KeyValuePair<string, object?>("trigger", trigger));

    /// <summary>An answer was written (a first answer or a replacement; an identical repeat writes nothing and is not counted).</summary>
    public void AnswerStored(AnswerOutcome outcome)
    {
        if (outcome is AnswerOutcome.Stored or AnswerOutcome.Replaced)
        {
            _answersStored.Add(1, new KeyValuePair<string, object?>("outcome", outcome == AnswerOutcome.Stored ? "stored" : "replaced"));
        }
    }

    /// <summary>
    /// Gauges of the outbox as the sender last saw it: messages not finished yet, and the age in seconds of the oldest
    /// of them (0 when none). Read from a snapshot, never from the database inside the metrics callback.
    /// </summary>
    public void ObserveOutbox(Func<OutboxBacklog?> backlog, TimeProvider time)
    {
        _meter.CreateObservableGauge(ValueBotTelemetry.OutboxBacklog, () => backlog()?.Unfinished ?? 0, "{message}", "Outbox messages pending or being sent");
        _meter.CreateObservableGauge(
            ValueBotTelemetry.OutboxOldestPendingAge,
            () => backlog()?.OldestQueuedAt is { } oldest ? Math.Max(0, (time.GetUtcNow().UtcDateTime - oldest).TotalSeconds) : 0,
            "s",
            "How long the oldest unfinished outbox message has been waiting");
    }

    /// <summary>An outbox message ended Sent, Undeliverable or Failed.</summary>
    public void DeliveryFinished(string kind, OutboxState state) => _deliveries.Add(
        1,
        new KeyValuePair<string, object?>("kind", kind),
        new KeyValuePair<string, object?>("outcome", state.ToString().ToLowerInvariant()));
}

/// <summary>Counts every finished outbox delivery, and the check-in cards among those sent.</summary>
internal sealed class DeliveryMetricsObserver(ValueBotMetrics metrics) : IDeliveryObserver
{
    public Task OnDeliveryFinishedAsync(DeliveryReport report, CancellationToken cancellationToken)
    {
        metrics.DeliveryFinished(report.Kind, report.State);
        if (report.State == OutboxState.Sent && report.Kind == ValueBotMetrics.CheckInKind)
        {
            metrics.CheckInSent("scheduled");
        }

        return Task.CompletedTask;
    }
}
