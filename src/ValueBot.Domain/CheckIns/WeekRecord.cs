using ValueBot.Domain.Evidence;
using ValueBot.Domain.Periods;

namespace ValueBot.Domain.CheckIns;

/// <summary>
/// What is known about one use case in one ISO week. An answer is present only when answered. <see cref="Measured"/>:
/// Graph's Copilot usage of the target group that week; <see cref="Review"/>: the manager's verdict on the answer's
/// adoption figure (a dispute is dropped when the owner answers the week again).
/// </summary>
public readonly record struct WeekRecord(
    IsoWeek Week, CheckInStatus Status, Answer? Answer, bool HadOwner = true,
    MeasuredUsage? Measured = null, ManagerReview? Review = null)
{
    public static WeekRecord Answered(IsoWeek week, Answer answer, bool hadOwner = true) =>
        new(week, CheckInStatus.Answered, answer, hadOwner);

    /// <summary>Answered weeks are the only ones with data; every other week is "no data".</summary>
    public bool HasData => Status == CheckInStatus.Answered && Answer is not null;

    /// <summary>Due: the check-in should have been answered. Skipped weeks and still-open ones are not due.</summary>
    public bool IsDue => Status is CheckInStatus.Answered or CheckInStatus.Missed or CheckInStatus.Undeliverable;

    /// <summary>Due but not answered (missed, or the card could not even be delivered).</summary>
    public bool IsMissed => Status is CheckInStatus.Missed or CheckInStatus.Undeliverable;
}
