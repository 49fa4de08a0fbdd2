using ValueBot.Domain.Metrics;
using ValueBot.Domain.UseCases;
using ValueBot.Domain.Warnings;

namespace ValueBot.Domain.Tests.Warnings;

public class StopLossTests
{
    private static WeeklyMetrics Metrics(Domain.CheckIns.Answer answer) =>
        WeeklyMetrics.Compute(Given.UseCase(), Given.Week, answer);

    [Fact]
    public void AdoptionOfFiftyFivePercentBreachesTheSixtyPercentMinimum()
    {
        // 55 % of 20 target users.
        var useCase = Given.UseCase(u => u with { TargetUsers = 20 });
        var metrics = WeeklyMetrics.Compute(useCase, Given.Week, Given.Answer(a => a with { ActiveUsers = 11, ReworkShare = 0.05m }));

        Assert.True(StopLoss.IsBreached(metrics, StopLossThresholds.Default));
        Assert.Equal(["Adoption 55 % is below the 60 % minimum"], StopLoss.Reasons(metrics, StopLossThresholds.Default));
    }

    [Fact]
    public void AdoptionExactlyAtTheMinimumDoesNotBreach()
    {
        Assert.False(StopLoss.IsBreached(Metrics(Given.Answer(a => a with { ActiveUsers = 6 })), StopLossThresholds.Default));
    }

    [Fact]
    public void ReworkAboveFifteenPercentBreaches()
    {
        var metrics = Metrics(Given.Answer(a => a with { ActiveUsers = 8, ReworkShare = 0.16m }));

        Assert.True(StopLoss.IsBreached(metrics, StopLossThresholds.Default));
        Assert.Equal(["Rework 16 % is above the 15 % maximum"], StopLoss.Reasons(metrics, StopLossThresholds.Default));
    }

    [Fact]
    public void ReworkExactlyAtFifteenPercentDoesNotBreach()
    {
        Assert.False(StopLoss.IsBreached(Metrics(Given.Answer(a => a with { ActiveUsers = 8, ReworkShare = 0.15m })), StopLossThresholds.Default));
    }

    [Fact]
    public void ExceptionRateBreachesOnlyWhenAMaximumIsSet()
    {
        var metrics = Metrics(Given.Answer(a => a with { ActiveUsers = 8, Exceptions = 20 }));

        Assert.False(StopLoss.IsBreached(metrics, StopLossThresholds.Default));
        Assert.True(StopLoss.IsBreached(metrics, StopLossThresholds.Default with { MaxExceptionRate = 0.10m }));
        Assert.Equal(["Exception rate 20 % is above the 10 % maximum"],
            StopLoss.Reasons(metrics, StopLossThresholds.Default with { MaxExceptionRate = 0.10m }));
    }

    [Fact]
    public void AnUndefinedExceptionRateNeverBreaches()
    {
        var metrics = Metrics(Given.Answer(a => a with { ActiveUsers = 8, Tasks = 0, Exceptions = 3 }));

        Assert.False(StopLoss.IsBreached(metrics, StopLossThresholds.Default with { MaxExceptionRate = 0.10m }));
    }
}
