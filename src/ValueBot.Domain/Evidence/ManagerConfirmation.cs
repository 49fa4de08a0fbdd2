using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Evidence;

/// <summary>The adoption figure a manager is asked about: active users of the target users in the latest answered week.</summary>
public sealed record AdoptionFigure(IsoWeek Week, int ActiveUsers, int TargetUsers)
{
    /// <summary>A ÷ N; null when the use case has no target users.</summary>
    public decimal? Adoption => TargetUsers > 0 ? (decimal)ActiveUsers / TargetUsers : null;
}

/// <summary>A verdict a manager gave on the figure of <paramref name="FigureWeek"/>.</summary>
/// <param name="Stands">Whether it is still about the stored answer (the owner has not answered that week again since).</param>
public sealed record GivenVerdict(
    IsoWeek FigureWeek, AdoptionVerdict Verdict, string ManagerAadObjectId, string ManagerName, DateTimeOffset ReviewedAt, bool Stands);

/// <summary>How a use case's adoption figure stands in a month's confirmation.</summary>
public enum ConfirmationState
{
    /// <summary>Not reviewed this month: Confirm and Dispute are offered.</summary>
    Open,

    /// <summary>The figure shown was confirmed this month (a change to Dispute is still offered).</summary>
    Confirmed,

    /// <summary>The figure shown was disputed this month (a change to Confirm is still offered).</summary>
    Disputed,

    /// <summary>Confirmed this month, but about an answer the owner has replaced since: nothing more to do until next month.</summary>
    ConfirmedEarlierAnswer,
}

/// <summary>What the manager digest shows for one use case's adoption figure.</summary>
public sealed record ConfirmationAsk(AdoptionFigure Figure, ConfirmationState State, GivenVerdict? Verdict)
{
    /// <summary>Whether the card offers buttons: an open figure, or a verdict on this very figure that may be changed.</summary>
    public bool TakesVerdict => State is ConfirmationState.Open or ConfirmationState.Confirmed or ConfirmationState.Disputed;
}

/// <summary>
/// DOMAIN.md "Evidence", manager confirmation: once a month the manager confirms or disputes each of their reports' adoption
/// figures with one click, in the manager digest. A month's confirmation is asked in the manager digests of the ISO weeks
/// starting in that month (as the monthly financial review counts weeks), about the latest answered week's figure, until
/// the manager has given a verdict that month. A dispute marks the figure until the owner answers again; the owner's new
/// answer is then open to confirmation again in the same month.
/// </summary>
public static class ManagerConfirmation
{
    /// <summary>The month whose confirmation a week's manager digest asks for: the month the week's Monday falls in.</summary>
    public static DateOnly MonthOf(IsoWeek week) => new(week.Start.Year, week.Start.Month, 1);

    /// <summary>The first ISO week of <paramref name="month"/>'s confirmation: the week of the month's first Monday.</summary>
    public static IsoWeek FirstWeekOf(DateOnly month)
    {
        var first = IsoWeek.FromDate(new DateOnly(month.Year, month.Month, 1));
        return first.Start.Month == month.Month ? first : first.Next();
    }

    /// <summary>
    /// Whether a card of <paramref name="cardWeek"/>'s digest may still record a verdict in <paramref name="currentWeek"/>:
    /// only within the same month (next month's digests ask again) and never for a week still to come.
    /// </summary>
    public static bool IsOpen(IsoWeek cardWeek, IsoWeek currentWeek) =>
        cardWeek <= currentWeek && MonthOf(cardWeek) == MonthOf(currentWeek);

    /// <summary>Whether a verdict given at <paramref name="reviewedAt"/> (UTC) counts for <paramref name="month"/>'s confirmation.</summary>
    public static bool CountsFor(DateTimeOffset reviewedAt, DateOnly month) =>
        MonthOf(IsoWeek.FromDate(DateOnly.FromDateTime(reviewedAt.UtcDateTime))) == month;

    /// <summary>The latest answered week up to <paramref name="week"/>'s adoption figure; null when nothing was answered.</summary>
    public static AdoptionFigure? FigureOf(UseCase useCase, IEnumerable<WeekRecord> history, IsoWeek week)
    {
        ArgumentNullException.ThrowIfNull(useCase);
        ArgumentNullException.ThrowIfNull(history);
        WeekRecord? latest = null;
        foreach (var record in history)
        {
            if (record.HasData && record.Week <= week && (latest is not { } l || record.Week > l.Week))
            {
                latest = record;
            }
        }

        return latest is { } found ? new AdoptionFigure(found.Week, found.Answer!.ActiveUsers, useCase.TargetUsers) : null;
    }

    /// <summary>
    /// What the digest of a week in <paramref name="month"/> shows for <paramref name="figure"/>, given the latest verdict on
    /// the use case (any week's figure); null when there is no figure to confirm.
    /// </summary>
    public static ConfirmationAsk? Ask(AdoptionFigure? figure, GivenVerdict? latestVerdict, DateOnly month)
    {
        if (figure is null)
        {
            return null;
        }

        if (latestVerdict is not { } verdict || !CountsFor(verdict.ReviewedAt, month))
        {
            return new ConfirmationAsk(figure, ConfirmationState.Open, null);
        }

        if (verdict.FigureWeek == figure.Week && verdict.Stands)
        {
            return new ConfirmationAsk(figure, verdict.Verdict == AdoptionVerdict.Disputed ? ConfirmationState.Disputed : ConfirmationState.Confirmed, verdict);
        }

        // The owner answered again since: after a dispute that answer is what the manager asked for, so it is open again;
        // after a confirmation the month's confirmation is done.
        return verdict.Verdict == AdoptionVerdict.Disputed
            ? new ConfirmationAsk(figure, ConfirmationState.Open, verdict)
            : new ConfirmationAsk(figure, ConfirmationState.ConfirmedEarlierAnswer, verdict);
    }
}
