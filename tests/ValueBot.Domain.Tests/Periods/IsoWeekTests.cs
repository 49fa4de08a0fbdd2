using ValueBot.Domain.Periods;

namespace ValueBot.Domain.Tests.Periods;

public class IsoWeekTests
{
    [Fact]
    public void FromDateFindsTheIsoWeekAndItsMonday()
    {
        var week = IsoWeek.FromDate(new DateOnly(2026, 11, 19));

        Assert.Equal(2026, week.Year);
        Assert.Equal(47, week.Week);
        Assert.Equal(new DateOnly(2026, 11, 16), week.Start);
        Assert.Equal(new DateOnly(2026, 11, 22), week.End);
    }

    [Fact]
    public void EarlyJanuaryDaysCanBelongToTheLastWeekOfThePreviousYear()
    {
        var week = IsoWeek.FromDate(new DateOnly(2027, 1, 1));

        Assert.Equal("2026-W53", week.ToString());
    }

    [Fact]
    public void LateDecemberDaysCanBelongToWeekOneOfTheNextYear()
    {
        Assert.Equal("2026-W01", IsoWeek.FromDate(new DateOnly(2025, 12, 29)).ToString());
    }

    [Fact]
    public void NextAndPreviousCrossYearBoundaries()
    {
        var last = IsoWeek.Create(2026, 53);

        Assert.Equal(IsoWeek.Create(2027, 1), last.Next());
        Assert.Equal(last, IsoWeek.Create(2027, 1).Previous());
        Assert.Equal(IsoWeek.Create(2027, 13), last.AddWeeks(13));
        Assert.Equal(13, last.AddWeeks(13).WeeksSince(last));
    }

    [Theory]
    [InlineData("2026-W47", 2026, 47)]
    [InlineData("2026-w01", 2026, 1)]
    [InlineData(" 2020-W53 ", 2020, 53)]
    public void ParsesTheIsoFormat(string text, int year, int weekNumber)
    {
        Assert.True(IsoWeek.TryParse(text, out var week));
        Assert.Equal(IsoWeek.Create(year, weekNumber), week);
    }

    [Theory]
    [InlineData("2026-47")]
    [InlineData("2026-W00")]
    [InlineData("2025-W53")]
    [InlineData("26-W47")]
    [InlineData("2026-W470")]
    [InlineData("")]
    [InlineData(null)]
    public void RefusesAnythingElse(string? text)
    {
        Assert.False(IsoWeek.TryParse(text, out _));
    }

    [Fact]
    public void FormatsAndParsesRoundTrip()
    {
        var week = IsoWeek.Create(2026, 7);

        Assert.Equal("2026-W07", week.ToString());
        Assert.Equal(week, IsoWeek.Parse(week.ToString()));
    }

    [Fact]
    public void ComparesChronologically()
    {
        var earlier = IsoWeek.Create(2025, 52);
        var later = IsoWeek.Create(2026, 1);

        Assert.True(earlier < later);
        Assert.True(later > earlier);
        Assert.True(earlier.CompareTo(later) < 0);
    }

    [Fact]
    public void CreateRefusesAWeekTheYearDoesNotHave()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IsoWeek.Create(2025, 53));
    }
}
