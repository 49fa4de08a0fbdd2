using ValueBot.Domain.Periods;

namespace ValueBot.Web.Operator;

/// <summary>Where one use case's check-in of a week stands, as the operator sees it.</summary>
public enum DeliveryState
{
    /// <summary>In the outbox, not yet answered by Teams.</summary>
    Queued,

    /// <summary>Teams accepted the card.</summary>
    Sent,

    /// <summary>Handed to Teams without a clear answer: it may or may not have arrived.</summary>
    InDoubt,

    Answered,
    Skipped,
    Missed,

    /// <summary>Teams refused it for certain, or it could not be sent at all; <see cref="DeliveryLine.Reason"/> says why.</summary>
    Undeliverable,

    /// <summary>No check-in row yet: the owner's send time has not come.</summary>
    NotYetDue,
}

/// <summary>Whether an admin may send a check-in card again, and why (or why not), in words for the admin.</summary>
public sealed record SendAgainCheck(bool Allowed, string Explanation)
{
    public static SendAgainCheck Yes(string why) => new(true, why);

    public static SendAgainCheck No(string why) => new(false, why);
}

/// <summary>One use case's check-in of the week.</summary>
/// <param name="Reason">For an undeliverable check-in the reason Teams gave (or why it was not sent); for one in doubt what happened.</param>
/// <param name="ReasonLabel">For an undeliverable check-in the short reason it is counted under (Teams' code where it gave one).</param>
public sealed record DeliveryLine(
    Guid UseCaseId,
    string UseCase,
    string? OwnerAadObjectId,
    string Owner,
    DeliveryState State,
    string? Reason,
    string? ReasonLabel,
    DateTime? SentAt,
    SendAgainCheck SendAgain);

/// <summary>A week's delivery of check-ins: every use case measured that week, with counts per state.</summary>
public sealed record WeekDelivery(IsoWeek Week, IReadOnlyList<DeliveryLine> Lines)
{
    /// <summary>The states in the order they are shown.</summary>
    public static readonly DeliveryState[] States =
    [
        DeliveryState.Queued, DeliveryState.Sent, DeliveryState.Answered, DeliveryState.Skipped, DeliveryState.Missed,
        DeliveryState.Undeliverable, DeliveryState.InDoubt, DeliveryState.NotYetDue,
    ];

    /// <summary>The states an operator has to look at, with who is in them.</summary>
    public static readonly DeliveryState[] Problems = [DeliveryState.Undeliverable, DeliveryState.InDoubt, DeliveryState.Missed];

    public int Count(DeliveryState state) => Lines.Count(l => l.State == state);

    /// <summary>The undeliverable check-ins counted by reason, most frequent first.</summary>
    public IReadOnlyList<(string Reason, int Count)> UndeliverableByReason() =>
        Lines.Where(l => l.State == DeliveryState.Undeliverable)
            .GroupBy(l => l.ReasonLabel ?? "unknown", StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count()))
            .OrderByDescending(g => g.Item2).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();

    /// <summary>The check-ins in a problem state, grouped in the order of <see cref="Problems"/>.</summary>
    public IReadOnlyList<DeliveryLine> ProblemLines() =>
        Problems.SelectMany(state => Lines.Where(l => l.State == state)).ToList();
}

public static class DeliveryStateNames
{
    /// <summary>The state in words, as the tab, the card and the CSV show it.</summary>
    public static string Words(this DeliveryState state) => state switch
    {
        DeliveryState.InDoubt => "in doubt",
        DeliveryState.NotYetDue => "not yet due",
        _ => state.ToString().ToLowerInvariant(),
    };

    /// <summary>The state as the admin API names it (camelCase).</summary>
    public static string ApiName(this DeliveryState state) => state switch
    {
        DeliveryState.InDoubt => "inDoubt",
        DeliveryState.NotYetDue => "notYetDue",
        _ => state.ToString().ToLowerInvariant(),
    };
}
