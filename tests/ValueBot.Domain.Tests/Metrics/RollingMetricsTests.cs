using ValueBot.Domain.Metrics;

namespace ValueBot.Domain.Tests.Metrics;

public class RollingMetricsTests
{
    [Fact]
    public void SumsTheThreeFiguresOverAnsweredWeeksInTheWindow()
    {
        var weeks = Given.AnsweredWeeks(Given.Answer(), Given.Answer().WithRunCost(1000m));

        var rolling = RollingMetrics.Of(Given.Week.AddWeeks(-12), Given.Week, weeks);

        Assert.Equal(2, rolling.AnsweredWeeks);
        Assert.Equal(Given.Eur(1200m), rolling.GrossValue);
        Assert.Equal(Given.Eur(550m + 1250m), rolling.AbsorptionCost);
        Assert.Equal(Given.Eur(50m - 650m), rolling.NetValue);
        Assert.Equal(20m, rolling.HoursSaved);
    }

    [Fact]
    public void IgnoresWeeksOutsideTheWindow()
    {
        var weeks = Given.AnsweredWeeks(Given.Answer(), Given.Answer());

        var rolling = RollingMetrics.Of(Given.Week, Given.Week, weeks);

        Assert.Equal(1, rolling.AnsweredWeeks);
        Assert.Equal(Given.Eur(600m), rolling.GrossValue);
    }

    [Fact]
    public void WithoutAnsweredWeeksTheFiguresAreNoDataNotZero()
    {
        var rolling = RollingMetrics.Of(Given.Week.AddWeeks(-12), Given.Week, []);

        Assert.Equal(0, rolling.AnsweredWeeks);
        Assert.Null(rolling.GrossValue);
        Assert.Null(rolling.AbsorptionCost);
        Assert.Null(rolling.NetValue);
        Assert.Null(rolling.HoursSaved);
    }
}
