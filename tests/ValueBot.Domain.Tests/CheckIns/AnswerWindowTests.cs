using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Periods;

namespace ValueBot.Domain.Tests.CheckIns;

public sealed class AnswerWindowTests
{
    private static readonly IsoWeek First = IsoWeek.Parse("2026-W02");
    private static readonly IsoWeek Current = IsoWeek.Parse("2026-W11");

    [Theory]
    [InlineData("2026-W02", WeekStanding.Open)]
    [InlineData("2026-W10", WeekStanding.Open)]
    [InlineData("2026-W11", WeekStanding.Open)]
    [InlineData("2026-W01", WeekStanding.BeforeStart)]
    [InlineData("1900-W01", WeekStanding.BeforeStart)]
    [InlineData("2026-W12", WeekStanding.Future)]
    [InlineData("2099-W01", WeekStanding.Future)]
    public void AWeekIsOpenFromTheFirstWeekToTheCurrentOne(string week, WeekStanding expected) =>
        Assert.Equal(expected, AnswerWindow.Standing(IsoWeek.Parse(week), First, Current));

    [Fact]
    public void TheFirstWeekIsTheEarlierOfLaunchAndRegistration()
    {
        Assert.Equal(IsoWeek.Parse("2026-W02"), AnswerWindow.FirstWeek(new DateOnly(2026, 1, 5), new DateOnly(2026, 3, 9)));
        Assert.Equal(IsoWeek.Parse("2026-W11"), AnswerWindow.FirstWeek(new DateOnly(2026, 6, 1), new DateOnly(2026, 3, 9)));
        Assert.Equal(IsoWeek.Parse("2026-W11"), AnswerWindow.FirstWeek(null, new DateOnly(2026, 3, 9)));
    }

    [Fact]
    public void TheCurrentWeekIsTheLatestThatHasBegunAnywhere()
    {
        // Sunday 15 March 2026 09:59 UTC is still Sunday at UTC+14; 10:00 UTC is Monday 00:00 there.
        Assert.Equal(IsoWeek.Parse("2026-W11"), AnswerWindow.CurrentWeek(new DateTimeOffset(2026, 3, 15, 9, 59, 0, TimeSpan.Zero)));
        Assert.Equal(IsoWeek.Parse("2026-W12"), AnswerWindow.CurrentWeek(new DateTimeOffset(2026, 3, 15, 10, 0, 0, TimeSpan.Zero)));
    }
}
