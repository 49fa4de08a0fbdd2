using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Scheduling;

/// <summary>
/// Pure date logic of the weekly rhythm. No clock: callers pass the instant and the time zone,
/// and get UTC instants back. Local times that do not exist (spring-forward gap) move forward by the gap;
/// local times that occur twice (fall-back) take the first occurrence.
/// </summary>
public sealed class Cadence(CadenceSettings settings)
{
    public static Cadence Default { get; } = new(CadenceSettings.Default);

    public CadenceSettings Settings { get; } = settings;

    /// <summary>When the week's check-in is sent; the use case's own schedule wins over the default.</summary>
    public DateTimeOffset SendAt(IsoWeek week, TimeZoneInfo zone, CheckInSchedule? schedule = null) =>
        schedule is null
            ? At(week, Settings.CheckIn, zone)
            : At(week, new WeeklyMoment(schedule.Day, schedule.LocalTime), zone);

    public DateTimeOffset ReminderAt(IsoWeek week, TimeZoneInfo zone) => At(week, Settings.Reminder, zone);

    /// <summary>The week closes: after this instant an unanswered check-in is missed.</summary>
    public DateTimeOffset DeadlineAt(IsoWeek week, TimeZoneInfo zone) => At(week, Settings.Deadline, zone);

    public DateTimeOffset DigestAt(IsoWeek week, TimeZoneInfo zone) => At(week, Settings.Digest, zone);

    /// <summary>
    /// Why a check-in sent on <paramref name="schedule"/> could never be answered in its week: it would go out at or after
    /// the week closes (<see cref="CadenceSettings.Deadline"/>), when an unanswered check-in is already missed. Null
    /// when the schedule works. Both are local times of the same owner, so the zone does not matter.
    /// </summary>
    public string? WhyNeverAnswered(CheckInSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var week = IsoWeek.FromDate(new DateOnly(2026, 1, 5));
        var deadline = Settings.Deadline;
        if (At(week, new WeeklyMoment(schedule.Day, schedule.LocalTime), TimeZoneInfo.Utc) < At(week, deadline, TimeZoneInfo.Utc))
        {
            return null;
        }

        var closes = $"{deadline.Day} {deadline.LocalTime:HH\\:mm}";
        return $"A check-in sent on {schedule.Day} at {schedule.LocalTime:HH\\:mm} would arrive after its week closes ({closes}, when an unanswered "
            + $"check-in becomes missed), so it could never be answered. Pick a day and time before {closes}.";
    }

    /// <summary>The ISO week the instant falls in, by the local calendar of the zone.</summary>
    public static IsoWeek WeekAt(DateTimeOffset instant, TimeZoneInfo zone) =>
        IsoWeek.FromDate(LocalDate(instant, zone));

    /// <summary>
    /// The ISO week whose check-in is due at the instant: the latest week whose send time has passed.
    /// Before this week's send time that is still last week.
    /// </summary>
    public IsoWeek DueWeekAt(DateTimeOffset instant, TimeZoneInfo zone, CheckInSchedule? schedule = null)
    {
        var week = WeekAt(instant, zone);
        return instant >= SendAt(week, zone, schedule) ? week : week.Previous();
    }

    /// <summary>Between the send time and the deadline: the reminder and "still open" period.</summary>
    public bool IsOpen(IsoWeek week, DateTimeOffset instant, TimeZoneInfo zone, CheckInSchedule? schedule = null) =>
        instant >= SendAt(week, zone, schedule) && instant < DeadlineAt(week, zone);

    public bool IsPastDeadline(IsoWeek week, DateTimeOffset instant, TimeZoneInfo zone) =>
        instant >= DeadlineAt(week, zone);

    /// <summary>The UTC instant of a day of the given ISO week at a local time in the zone.</summary>
    public static DateTimeOffset At(IsoWeek week, WeeklyMoment moment, TimeZoneInfo zone) =>
        ToUtc(week.Day(moment.Day), moment.LocalTime, zone);

    public static DateTimeOffset ToUtc(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsInvalidTime(local))
        {
            // Read a skipped time with the offset in force just before the gap: 02:30 becomes 03:30 summer time.
            offset = zone.GetUtcOffset(local.AddHours(-6));
        }
        else if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            offset = offsets.Max();
        }
        else
        {
            offset = zone.GetUtcOffset(local);
        }

        return new DateTimeOffset(local - offset, TimeSpan.Zero);
    }

    /// <summary>The first Monday of a month: the monthly financial review.</summary>
    public static DateOnly FirstMondayOfMonth(int year, int month)
    {
        var first = new DateOnly(year, month, 1);
        return first.AddDays(((int)DayOfWeek.Monday - (int)first.DayOfWeek + 7) % 7);
    }

    public static bool IsFirstMondayOfMonth(DateOnly date) =>
        date.DayOfWeek == DayOfWeek.Monday && date.Day <= 7;

    /// <summary>
    /// The first week of a quarter (1–4): the ISO week starting on the first Monday of the quarter's first month,
    /// so that it never begins in the previous quarter. This is the stage-gate review week.
    /// </summary>
    public static IsoWeek FirstWeekOfQuarter(int year, int quarter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quarter, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quarter, 4);
        return IsoWeek.FromDate(FirstMondayOfMonth(year, (quarter - 1) * 3 + 1));
    }

    public static bool IsFirstWeekOfQuarter(IsoWeek week)
    {
        var monday = week.Start;
        return monday.Day <= 7 && (monday.Month - 1) % 3 == 0;
    }

    /// <summary>The week of the monthly financial review: the week that starts on the month's first Monday.</summary>
    public static bool IsFirstWeekOfMonth(IsoWeek week) => week.Start.Day <= 7;

    private static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
}
