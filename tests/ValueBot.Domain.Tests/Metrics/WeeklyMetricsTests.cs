using ValueBot.Domain.Metrics;

namespace ValueBot.Domain.Tests.Metrics;

public class WeeklyMetricsTests
{
    private static WeeklyMetrics Compute(Domain.CheckIns.Answer? answer = null) =>
        WeeklyMetrics.Compute(Given.UseCase(), Given.Week, answer ?? Given.Answer());

    [Fact]
    public void AdoptionIsActiveUsersOverTargetUsers() => Assert.Equal(0.6m, Compute().Adoption);

    [Fact]
    public void ReworkRateIsTheReportedShare() => Assert.Equal(0.10m, Compute().ReworkRate);

    [Fact]
    public void ExceptionRateIsExceptionsOverTasks() => Assert.Equal(0.05m, Compute().ExceptionRate);

    [Fact]
    public void GrossValueIsHoursSavedTimesHourlyCost()
    {
        var metrics = Compute();

        Assert.Equal(10m, metrics.HoursSaved);
        Assert.Equal(Given.Eur(600m), metrics.GrossValue);
    }

    [Fact]
    public void ReworkCostIsTasksTimesShareTimesMinutesPerCorrectionAtHourlyCost() =>
        Assert.Equal(Given.Eur(100m), Compute().ReworkCost);

    [Fact]
    public void ExceptionCostIsExceptionsTimesBaselineMinutesAtHourlyCost() =>
        Assert.Equal(Given.Eur(150m), Compute().ExceptionCost);

    [Fact]
    public void AbsorptionCostAddsReworkExceptionAndRunCost()
    {
        var metrics = Compute();

        Assert.Equal(Given.Eur(300m), metrics.RunCost);
        Assert.Equal(Given.Eur(550m), metrics.AbsorptionCost);
    }

    [Fact]
    public void NetValueIsGrossValueMinusAbsorptionCost() => Assert.Equal(Given.Eur(50m), Compute().NetValue);

    [Fact]
    public void CostPerOutcomeIsRunCostOverTasks() => Assert.Equal(Given.Eur(3m), Compute().CostPerOutcome);

    [Fact]
    public void RatiosOverZeroTasksAreNotDefined()
    {
        var metrics = Compute(Given.Answer(a => a with { Tasks = 0 }));

        Assert.Null(metrics.ExceptionRate);
        Assert.Null(metrics.CostPerOutcome);
        Assert.Equal(Given.Eur(0m), metrics.GrossValue);
    }

    [Fact]
    public void AdoptionOverZeroTargetUsersIsNotDefined()
    {
        var metrics = WeeklyMetrics.Compute(Given.UseCase(u => u with { TargetUsers = 0 }), Given.Week, Given.Answer());

        Assert.Null(metrics.Adoption);
    }

    [Fact]
    public void NetValueIsNegativeWhenAbsorptionExceedsGross()
    {
        var metrics = Compute(Given.Answer().WithRunCost(1000m));

        Assert.Equal(Given.Eur(-650m), metrics.NetValue);
    }

    [Fact]
    public void MoneyIsRoundedToCentsHalfAwayFromZeroOncePerComponent()
    {
        // h × T × m ÷ 60 = 0.3 × 1 × 1 ÷ 60 = 0.005: half a cent, rounded away from zero (banker's rounding would give 0).
        var useCase = Given.UseCase(u => u with { Baseline = u.Baseline with { HourlyCost = Given.Eur(0.3m), MinutesPerException = 1m } });
        var answer = Given.Answer(a => a with
        {
            Tasks = 1,
            MinutesSavedPerTask = 1m,
            ReworkShare = 0.5m,
            MinutesPerCorrection = 1m,
            Exceptions = 1,
            RunCost = new Domain.CheckIns.RunCost(Given.Eur(0.004m), Given.Eur(0.004m), Given.Eur(0m)),
        });

        var metrics = WeeklyMetrics.Compute(useCase, Given.Week, answer);

        Assert.Equal(Given.Eur(0.01m), metrics.GrossValue);
        Assert.Equal(Given.Eur(0m), metrics.ReworkCost); // 0.0025
        Assert.Equal(Given.Eur(0.01m), metrics.ExceptionCost); // 0.005
        Assert.Equal(Given.Eur(0.01m), metrics.RunCost); // 0.008
        Assert.Equal(Given.Eur(0.02m), metrics.AbsorptionCost);
        Assert.Equal(Given.Eur(-0.01m), metrics.NetValue);
    }
}
