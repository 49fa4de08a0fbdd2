using ValueBot.Domain.Periods;
using ValueBot.Domain.Scheduling;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Tests.Scheduling;

public class CadenceTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Auckland = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");
    private static readonly Cadence Cadence = Cadence.Default;

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void SendsMondayNineLocalAsUtc()
    {
        Assert.Equal(Utc(2026, 11, 16, 8), Cadence.SendAt(IsoWeek.Create(2026, 47), Berlin));
    }

    [Fact]
    public void FollowsBerlinAcrossTheEndOfSummerTimeInOctober()
    {
        // Summer time ends Sunday 25 October 2026: Monday 19th is UTC+2, Monday 26th is UTC+1.
        var before = IsoWeek.FromDate(new DateOnly(2026, 10, 19));

        Assert.Equal(Utc(2026, 10, 19, 7), Cadence.SendAt(before, Berlin));
        Assert.Equal(Utc(2026, 10, 26, 8), Cadence.SendAt(before.Next(), Berlin));
    }

    [Fact]
    public void FollowsNewYorkAcrossTheStartOfDaylightTimeInMarch()
    {
        // Daylight time starts Sunday 8 March 2026.
        var before = IsoWeek.FromDate(new DateOnly(2026, 3, 2));

        Assert.Equal(Utc(2026, 3, 2, 14), Cadence.SendAt(before, NewYork));
        Assert.Equal(Utc(2026, 3, 9, 13), Cadence.SendAt(before.Next(), NewYork));
        Assert.Equal(Utc(2026, 3, 13, 16), Cadence.DeadlineAt(before.Next(), NewYork));
    }

    [Fact]
    public void InAZoneEastOfUtcMondayNineLocalIsSundayUtc()
    {
        var week = IsoWeek.Create(2026, 47);

        var send = Cadence.SendAt(week, Auckland);

        Assert.Equal(Utc(2026, 11, 15, 20), send);
        Assert.Equal(DayOfWeek.Sunday, send.DayOfWeek);
        Assert.Equal(week, Cadence.WeekAt(send, Auckland));
        Assert.Equal(IsoWeek.Create(2026, 46), Cadence.WeekAt(send, TimeZoneInfo.Utc));
    }

    [Fact]
    public void ComputesReminderDeadlineAndDigestOfTheWeek()
    {
        var week = IsoWeek.Create(2026, 47);

        Assert.Equal(Utc(2026, 11, 18, 8), Cadence.ReminderAt(week, Berlin));
        Assert.Equal(Utc(2026, 11, 20, 11), Cadence.DeadlineAt(week, Berlin));
        Assert.Equal(Utc(2026, 11, 20, 14), Cadence.DigestAt(week, Berlin));
    }

    [Fact]
    public void UsesTheUseCasesOwnSchedule()
    {
        var schedule = new CheckInSchedule(DayOfWeek.Tuesday, new TimeOnly(14, 30));

        Assert.Equal(Utc(2026, 11, 17, 13, 30), Cadence.SendAt(IsoWeek.Create(2026, 47), Berlin, schedule));
    }

    [Fact]
    public void ALocalTimeSkippedBySpringForwardMovesForwardByTheGap()
    {
        // 02:30 does not exist in Berlin on 29 March 2026; it is read as 03:30 summer time.
        Assert.Equal(Utc(2026, 3, 29, 1, 30), Cadence.ToUtc(new DateOnly(2026, 3, 29), new TimeOnly(2, 30), Berlin));
    }

    [Fact]
    public void ALocalTimeRepeatedByFallBackTakesTheFirstOccurrence()
    {
        // 02:30 happens twice in Berlin on 25 October 2026; the first is 00:30 UTC.
        Assert.Equal(Utc(2026, 10, 25, 0, 30), Cadence.ToUtc(new DateOnly(2026, 10, 25), new TimeOnly(2, 30), Berlin));
    }

    [Fact]
    public void BeforeMondaysSendTimeLastWeekIsStillTheDueWeek()
    {
        var week = IsoWeek.Create(2026, 47);

        Assert.Equal(week.Previous(), Cadence.DueWeekAt(Utc(2026, 11, 16, 7, 59), Berlin));
        Assert.Equal(week, Cadence.DueWeekAt(Utc(2026, 11, 16, 8), Berlin));
        Assert.Equal(week, Cadence.DueWeekAt(Utc(2026, 11, 22, 22, 59), Berlin));
        Assert.Equal(week.Previous(), Cadence.DueWeekAt(Utc(2026, 11, 15, 19, 59), Auckland));
        Assert.Equal(week, Cadence.DueWeekAt(Utc(2026, 11, 15, 20), Auckland));
    }

    [Fact]
    public void IsOpenFromSendUntilTheDeadline()
    {
        var week = IsoWeek.Create(2026, 47);

        Assert.False(Cadence.IsOpen(week, Utc(2026, 11, 16, 7), Berlin));
        Assert.True(Cadence.IsOpen(week, Utc(2026, 11, 16, 8), Berlin));
        Assert.True(Cadence.IsOpen(week, Utc(2026, 11, 20, 10, 59), Berlin));
        Assert.False(Cadence.IsOpen(week, Utc(2026, 11, 20, 11), Berlin));
        Assert.True(Cadence.IsPastDeadline(week, Utc(2026, 11, 20, 11), Berlin));
    }

    [Theory]
    [InlineData(2026, 6, 1)]
    [InlineData(2026, 11, 2)]
    [InlineData(2026, 3, 2)]
    public void FindsTheFirstMondayOfTheMonth(int year, int month, int day)
    {
        var monday = Cadence.FirstMondayOfMonth(year, month);

        Assert.Equal(new DateOnly(year, month, day), monday);
        Assert.True(Cadence.IsFirstMondayOfMonth(monday));
        Assert.False(Cadence.IsFirstMondayOfMonth(monday.AddDays(7)));
    }

    [Fact]
    public void TheFirstWeekOfTheQuarterStartsOnItsFirstMonday()
    {
        // 1 January 2027 is a Friday; the first Monday is 4 January, week 2027-W01.
        Assert.Equal(IsoWeek.Create(2027, 1), Cadence.FirstWeekOfQuarter(2027, 1));
        // 1 April 2026 is a Wednesday; the first Monday is 6 April.
        Assert.Equal(IsoWeek.FromDate(new DateOnly(2026, 4, 6)), Cadence.FirstWeekOfQuarter(2026, 2));
        Assert.True(Cadence.IsFirstWeekOfQuarter(IsoWeek.FromDate(new DateOnly(2026, 4, 6))));
        Assert.False(Cadence.IsFirstWeekOfQuarter(IsoWeek.FromDate(new DateOnly(2026, 5, 4))));
    }
}
