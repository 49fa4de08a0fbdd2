using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Metrics;
using ValueBot.Domain.UseCases;
using ValueBot.Domain.Warnings;
using static ValueBot.Domain.CheckIns.CheckInStatus;

namespace ValueBot.Domain.Tests.Warnings;

public class EarlyWarningsTests
{
    private static Answer Backlog(BacklogShrinking backlog, decimal minutesSaved = 6m) =>
        Given.HealthyAnswer() with { BacklogShrinking = backlog, MinutesSavedPerTask = minutesSaved };

    private static Answer ExceptionsOf(int exceptions) => Given.HealthyAnswer() with { Exceptions = exceptions };

    private static Answer CostPerTask(decimal runCostFor100Tasks) => Given.HealthyAnswer().WithRunCost(runCostFor100Tasks);

    // Stop-loss breach

    [Fact]
    public void StopLossBreachFiresOnTheLatestAnsweredWeekWithTheNumbers()
    {
        var useCase = Given.UseCase(u => u with { TargetUsers = 20 });
        AnsweredWeek[] weeks = [Given.Answered(Given.Week, Given.HealthyAnswer() with { ActiveUsers = 11 }, useCase)];

        var warning = EarlyWarnings.StopLossBreach(weeks, StopLossThresholds.Default);

        Assert.NotNull(warning);
        Assert.Equal("stop-loss-breach", warning.RuleId);
        Assert.Equal("Stop-loss breach", warning.Name);
        Assert.Equal("Adoption 55 % is below the 60 % minimum (week 2026-W10).", warning.Reason);
    }

    [Fact]
    public void StopLossBreachLooksOnlyAtTheLatestAnsweredWeek()
    {
        var weeks = Given.AnsweredWeeks(Given.Answer(a => a with { ReworkShare = 0.30m }), Given.HealthyAnswer());

        Assert.Null(EarlyWarnings.StopLossBreach(weeks, StopLossThresholds.Default));
    }

    [Fact]
    public void StopLossBreachNeedsAnAnsweredWeek() =>
        Assert.Null(EarlyWarnings.StopLossBreach([], StopLossThresholds.Default));

    // Savings without relief

    [Fact]
    public void SavingsWithoutReliefFiresWhenTheBacklogIsNotShrinkingThreeAnsweredWeeksRunning()
    {
        var weeks = Given.AnsweredWeeks(Backlog(BacklogShrinking.No), Backlog(BacklogShrinking.No), Backlog(BacklogShrinking.No));

        var warning = EarlyWarnings.SavingsWithoutRelief(weeks, 3);

        Assert.NotNull(warning);
        Assert.Contains("6 min/task, 6 min/task, 6 min/task", warning.Reason);
    }

    [Fact]
    public void SavingsWithoutReliefDoesNotFireAfterOnlyTwoWeeks()
    {
        var weeks = Given.AnsweredWeeks(Backlog(BacklogShrinking.Yes), Backlog(BacklogShrinking.No), Backlog(BacklogShrinking.No));

        Assert.Null(EarlyWarnings.SavingsWithoutRelief(weeks, 3));
        Assert.Null(EarlyWarnings.SavingsWithoutRelief(weeks[1..], 3));
    }

    [Fact]
    public void SavingsWithoutReliefNeedsMinutesSaved()
    {
        var weeks = Given.AnsweredWeeks(Backlog(BacklogShrinking.No), Backlog(BacklogShrinking.No), Backlog(BacklogShrinking.No, 0m));

        Assert.Null(EarlyWarnings.SavingsWithoutRelief(weeks, 3));
    }

    [Fact]
    public void SavingsWithoutReliefIgnoresANotMeasuredBacklog()
    {
        var weeks = Given.AnsweredWeeks(Backlog(BacklogShrinking.No), Backlog(BacklogShrinking.NotMeasured), Backlog(BacklogShrinking.No));

        Assert.Null(EarlyWarnings.SavingsWithoutRelief(weeks, 3));
    }

    // Growing exceptions

    [Fact]
    public void GrowingExceptionsFiresWhenTheRateRoseInEachOfTheLastThreeAnsweredWeeks()
    {
        var weeks = Given.AnsweredWeeks(ExceptionsOf(1), ExceptionsOf(2), ExceptionsOf(3), ExceptionsOf(4));

        var warning = EarlyWarnings.GrowingExceptions(weeks, 3);

        Assert.NotNull(warning);
        Assert.Equal("The exception rate rose in each of the last 3 answered weeks: 1 %, 2 %, 3 %, 4 %.", warning.Reason);
    }

    [Fact]
    public void GrowingExceptionsDoesNotFireWhenOneWeekHeldSteady()
    {
        var weeks = Given.AnsweredWeeks(ExceptionsOf(1), ExceptionsOf(2), ExceptionsOf(2), ExceptionsOf(4));

        Assert.Null(EarlyWarnings.GrowingExceptions(weeks, 3));
    }

    [Fact]
    public void GrowingExceptionsNeedsAWeekBeforeTheThree()
    {
        var weeks = Given.AnsweredWeeks(ExceptionsOf(2), ExceptionsOf(3), ExceptionsOf(4));

        Assert.Null(EarlyWarnings.GrowingExceptions(weeks, 3));
    }

    [Fact]
    public void GrowingExceptionsSkipsWeeksWithoutDataAndComparesAnsweredWeeks()
    {
        // Answered weeks 3, 5, 8, 9: gaps are no data, not zero.
        AnsweredWeek[] weeks =
        [
            Given.Answered(Given.Week.AddWeeks(-6), ExceptionsOf(1)),
            Given.Answered(Given.Week.AddWeeks(-4), ExceptionsOf(2)),
            Given.Answered(Given.Week.AddWeeks(-1), ExceptionsOf(3)),
            Given.Answered(Given.Week, ExceptionsOf(4)),
        ];

        Assert.NotNull(EarlyWarnings.GrowingExceptions(weeks, 3));
    }

    // Unstable after change

    [Fact]
    public void UnstableAfterChangeFiresWhenReworkRisesFivePointsAfterAChange()
    {
        var weeks = Given.AnsweredWeeks(
            Given.HealthyAnswer() with { ModelChanged = true, ModelChangeNote = "new prompt", ReworkShare = 0.05m },
            Given.HealthyAnswer() with { ReworkShare = 0.10m });

        var warning = EarlyWarnings.UnstableAfterChange(weeks, 0.05m);

        Assert.NotNull(warning);
        Assert.Equal("After the model, prompt or configuration changed in week 2026-W09 (\"new prompt\"), " +
            "rework rose 5 points, from 5 % to 10 % (limit 5 points).", warning.Reason);
    }

    [Fact]
    public void UnstableAfterChangeDoesNotFireBelowFivePoints()
    {
        var weeks = Given.AnsweredWeeks(
            Given.HealthyAnswer() with { ModelChanged = true, ReworkShare = 0.05m },
            Given.HealthyAnswer() with { ReworkShare = 0.099m });

        Assert.Null(EarlyWarnings.UnstableAfterChange(weeks, 0.05m));
    }

    [Fact]
    public void UnstableAfterChangeFiresWhenIncidentsRise()
    {
        var weeks = Given.AnsweredWeeks(
            Given.HealthyAnswer() with { ModelChanged = true, QualityIncidents = 0 },
            Given.HealthyAnswer() with { QualityIncidents = 1 });

        Assert.Contains("quality incidents rose from 0 to 1", EarlyWarnings.UnstableAfterChange(weeks, 0.05m)!.Reason);
    }

    [Fact]
    public void UnstableAfterChangeIgnoresRisesWithoutAChange()
    {
        var weeks = Given.AnsweredWeeks(
            Given.HealthyAnswer() with { ReworkShare = 0.01m },
            Given.HealthyAnswer() with { ReworkShare = 0.14m, QualityIncidents = 3 });

        Assert.Null(EarlyWarnings.UnstableAfterChange(weeks, 0.05m));
    }

    // Unclear accountability

    [Fact]
    public void UnclearAccountabilityFiresWithoutAnOwner()
    {
        var warning = EarlyWarnings.UnclearAccountability(Given.UseCase(u => u with { Owner = null }), [], 2);

        Assert.Equal("The use case has no named owner.", warning?.Reason);
    }

    [Fact]
    public void UnclearAccountabilityFiresWhenTheOwnerHasLeft()
    {
        var useCase = Given.UseCase(u => u with { Owner = u.Owner! with { HasLeftOrganisation = true } });

        Assert.Equal("The owner, Olivia Owner, has left the organisation.",
            EarlyWarnings.UnclearAccountability(useCase, [], 2)?.Reason);
    }

    [Fact]
    public void UnclearAccountabilityFiresWhenTheLastTwoDueCheckInsWereMissed()
    {
        var due = Given.Statuses(Given.Week, Answered, Missed, Missed);

        Assert.Equal("The last 2 due check-ins were missed (2026-W09, 2026-W10).",
            EarlyWarnings.UnclearAccountability(Given.UseCase(), due, 2)?.Reason);
    }

    [Fact]
    public void UnclearAccountabilityDoesNotFireAfterOneMissedCheckIn()
    {
        Assert.Null(EarlyWarnings.UnclearAccountability(Given.UseCase(), Given.Statuses(Given.Week, Missed, Answered, Missed), 2));
    }

    // Cost drift

    [Fact]
    public void CostDriftFiresWhenRunCostExceedsOnePointTwoTimesPlan()
    {
        // P = 240 EUR per week, limit 288 EUR.
        AnsweredWeek[] weeks = [Given.Answered(Given.Week, Given.HealthyAnswer().WithRunCost(288.01m))];

        var warning = EarlyWarnings.CostDrift(weeks, Given.Eur(240m), 1.2m, 4);

        Assert.NotNull(warning);
        Assert.Equal("Run cost 288.01 EUR in week 2026-W10 is above 1.2 × the planned weekly run cost of 240.00 EUR (limit 288.00 EUR).",
            warning.Reason);
    }

    [Fact]
    public void CostDriftDoesNotFireAtExactlyOnePointTwoTimesPlan()
    {
        AnsweredWeek[] weeks = [Given.Answered(Given.Week, Given.HealthyAnswer().WithRunCost(288m))];

        Assert.Null(EarlyWarnings.CostDrift(weeks, Given.Eur(240m), 1.2m, 4));
    }

    [Fact]
    public void CostDriftFiresWhenCostPerOutcomeRoseInEachOfTheLastFourAnsweredWeeks()
    {
        var weeks = Given.AnsweredWeeks(CostPerTask(100m), CostPerTask(110m), CostPerTask(120m), CostPerTask(130m), CostPerTask(140m));

        var warning = EarlyWarnings.CostDrift(weeks, Given.Eur(240m), 1.2m, 4);

        Assert.NotNull(warning);
        Assert.Contains("Cost per outcome rose in each of the last 4 answered weeks: 1.00 EUR, 1.10 EUR, 1.20 EUR, 1.30 EUR, 1.40 EUR", warning.Reason);
    }

    [Fact]
    public void CostDriftDoesNotFireAfterThreeRises()
    {
        var weeks = Given.AnsweredWeeks(CostPerTask(150m), CostPerTask(110m), CostPerTask(120m), CostPerTask(130m), CostPerTask(140m));

        Assert.Null(EarlyWarnings.CostDrift(weeks, Given.Eur(240m), 1.2m, 4));
    }

    // Stale

    [Fact]
    public void StaleFiresWhenNoneOfTheLastThreeDueCheckInsWasAnswered()
    {
        var warning = EarlyWarnings.Stale(Given.Statuses(Given.Week, Answered, Missed, Undeliverable, Missed), 3);

        Assert.Equal("stale", warning?.RuleId);
    }

    [Fact]
    public void StaleDoesNotFireWhenOneOfTheLastThreeWasAnswered()
    {
        Assert.Null(EarlyWarnings.Stale(Given.Statuses(Given.Week, Answered, Missed, Missed), 3));
    }
}
