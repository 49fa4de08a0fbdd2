using ValueBot.Domain.Periods;

namespace ValueBot.Domain.CheckIns;

/// <summary>Why a week cannot take an answer or a skip; <see cref="Open"/> when it can.</summary>
public enum WeekStanding
{
    /// <summary>Due (or due now): it may be answered, late answers included.</summary>
    Open,

    /// <summary>The week has not begun yet anywhere: nothing to report.</summary>
    Future,

    /// <summary>The week ends before the use case launched or was registered: no check-in was ever due for it.</summary>
    BeforeStart,
}

/// <summary>
/// Which weeks a use case's check-in may be answered for: from the week it started (the earlier of its launch and its
/// registration in ValueBot) up to the current week. A week that closed without an answer still takes one, late
/// (DOMAIN.md: late answers count for the week the card was about); whether a stored answer may still be changed is
/// the deadline's business, not this one's.
/// </summary>
public static class AnswerWindow
{
    /// <summary>The first week a check-in could be about.</summary>
    public static IsoWeek FirstWeek(DateOnly? launchDate, DateOnly registeredOn) =>
        IsoWeek.FromDate(launchDate is { } launch && launch < registeredOn ? launch : registeredOn);

    public static WeekStanding Standing(IsoWeek week, IsoWeek firstWeek, IsoWeek currentWeek) =>
        week > currentWeek ? WeekStanding.Future
        : week < firstWeek ? WeekStanding.BeforeStart
        : WeekStanding.Open;

    /// <summary>
    /// The current week for answers: the latest ISO week that has begun somewhere on Earth (UTC+14), so nobody whose
    /// Monday has come is told their week lies in the future, whatever zone the server or the owner is in.
    /// </summary>
    public static IsoWeek CurrentWeek(DateTimeOffset now) =>
        IsoWeek.FromDate(DateOnly.FromDateTime(now.UtcDateTime.AddHours(14)));
}
