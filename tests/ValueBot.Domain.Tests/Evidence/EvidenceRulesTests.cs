using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Evaluation;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Metrics;
using ValueBot.Domain.Policies;
using ValueBot.Domain.Warnings;

namespace ValueBot.Domain.Tests.Evidence;

/// <summary>DOMAIN.md "Evidence": where the freed time went, stale signal, reported ≠ measured, manager confirmation.</summary>
public class EvidenceRulesTests
{
    private static readonly EvaluationPolicy Policy = EvaluationPolicy.OrganisationDefault;

    // Each given week frees H = 100 tasks × 6 min ÷ 60 = 10 hours.
    private static Answer Freed(FreedTime where, int tasks = 100) =>
        Given.HealthyAnswer() with { FreedTime = where, Tasks = tasks, BacklogShrinking = BacklogShrinking.Yes };

    // Savings without relief, by where the freed time went

    [Fact]
    public void HalfTheFreedTimeAbsorbedOverFourAnsweredWeeksIsSavingsWithoutRelief()
    {
        var weeks = Given.AnsweredWeeks(Freed(FreedTime.Absorbed), Freed(FreedTime.Absorbed), Freed(FreedTime.Capacity), Freed(FreedTime.Redeployed));

        var warning = EarlyWarnings.SavingsWithoutRelief(weeks, 3, 0.5m, 4);

        Assert.Equal(0.5m, EarlyWarnings.AbsorbedShare(weeks, 4));
        Assert.NotNull(warning);
        Assert.Equal(EarlyWarnings.SavingsWithoutReliefId, warning.RuleId);
        Assert.StartsWith("50 % of the time freed in the last 4 answered weeks was reported absorbed", warning.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAbsorbedShareIsWeightedByHoursFreed()
    {
        // 10 h absorbed against 10 + 20 + 10 h stated: 25 %, below half, although one week in four… and then 40 h absorbed of 60 h.
        var low = Given.AnsweredWeeks(Freed(FreedTime.Absorbed), Freed(FreedTime.Capacity, 200), Freed(FreedTime.Redeployed), Freed(FreedTime.NotSaid));
        var high = Given.AnsweredWeeks(Freed(FreedTime.Absorbed, 400), Freed(FreedTime.Capacity), Freed(FreedTime.Redeployed), Freed(FreedTime.NotSaid));

        Assert.Equal(0.25m, EarlyWarnings.AbsorbedShare(low, 4));
        Assert.Null(EarlyWarnings.SavingsWithoutRelief(low, 3, 0.5m, 4));
        Assert.Equal(40m / 60m, EarlyWarnings.AbsorbedShare(high, 4));
        Assert.NotNull(EarlyWarnings.SavingsWithoutRelief(high, 3, 0.5m, 4));
    }

    [Fact]
    public void WeeksThatDoNotSayWhereTheTimeWentAreLeftOutOfTheShare()
    {
        var oneSaid = Given.AnsweredWeeks(Freed(FreedTime.NotSaid), Freed(FreedTime.NotSaid), Freed(FreedTime.Absorbed), Freed(FreedTime.NotSaid));
        var noneSaid = Given.AnsweredWeeks(Freed(FreedTime.NotSaid), Freed(FreedTime.NotSaid), Freed(FreedTime.NotSaid), Freed(FreedTime.NotSaid));

        Assert.Equal(1m, EarlyWarnings.AbsorbedShare(oneSaid, 4));
        Assert.Null(EarlyWarnings.AbsorbedShare(noneSaid, 4));
        Assert.Null(EarlyWarnings.SavingsWithoutRelief(noneSaid, 3, 0.5m, 4));
    }

    [Fact]
    public void TheAbsorbedShareNeedsFourAnsweredWeeks()
    {
        var weeks = Given.AnsweredWeeks(Freed(FreedTime.Absorbed), Freed(FreedTime.Absorbed), Freed(FreedTime.Absorbed));

        Assert.Null(EarlyWarnings.SavingsWithoutRelief(weeks, 3, 0.5m, 4));
    }

    [Fact]
    public void BothReasonsAreGivenWhenBothFire()
    {
        var week = Freed(FreedTime.Absorbed) with { BacklogShrinking = BacklogShrinking.No };
        var weeks = Given.AnsweredWeeks(week, week, week, week);

        var warning = EarlyWarnings.SavingsWithoutRelief(weeks, 3, 0.5m, 4)!;

        Assert.Contains("backlog was reported as not shrinking", warning.Reason, StringComparison.Ordinal);
        Assert.Contains("100 % of the time freed in the last 4 answered weeks was reported absorbed", warning.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TheEvaluatorFiresItWithTheOrganisationsShare()
    {
        var history = Given.History(Given.Week, Freed(FreedTime.Absorbed), Freed(FreedTime.Capacity, 101), Freed(FreedTime.Capacity), Freed(FreedTime.Absorbed, 101));

        Assert.Contains(UseCaseEvaluator.Evaluate(Given.UseCase(), history, Given.Week, Policy).Warnings, w => w.RuleId == EarlyWarnings.SavingsWithoutReliefId);
        Assert.DoesNotContain(UseCaseEvaluator.Evaluate(Given.UseCase(), history, Given.Week, Policy with { AbsorbedShareForNoRelief = 0.6m }).Warnings,
            w => w.RuleId == EarlyWarnings.SavingsWithoutReliefId);
    }

    // Stale signal

    [Fact]
    public void TheSameNumbersFourAnsweredWeeksRunningAreAStaleSignal()
    {
        var answer = Given.HealthyAnswer();
        var weeks = Given.AnsweredWeeks(answer, answer with { Win = "a new story", Blocker = "another" }, answer, answer);

        var warning = EarlyWarnings.StaleSignal(weeks, 4);

        Assert.NotNull(warning);
        Assert.Equal("stale-signal", warning.RuleId);
        Assert.Equal("Stale signal — numbers may be copied forward: every number was the same in the last 4 answered weeks " +
            "(2026-W07 to 2026-W10). Owner, please confirm they are still right.", warning.Reason);
    }

    [Fact]
    public void ThreeWeeksOrOneDifferentNumberAreNotAStaleSignal()
    {
        var answer = Given.HealthyAnswer() with { ModelAnswers = new Dictionary<string, ModelAnswer> { ["cycleTimeHours"] = ModelAnswer.Of(4m) } };
        var changed = answer with { ModelAnswers = new Dictionary<string, ModelAnswer> { ["cycleTimeHours"] = ModelAnswer.Of(3.5m) } };

        Assert.Null(EarlyWarnings.StaleSignal(Given.AnsweredWeeks(answer, answer, answer), 4));
        Assert.Null(EarlyWarnings.StaleSignal(Given.AnsweredWeeks(answer, changed, answer, answer), 4));
        Assert.Null(EarlyWarnings.StaleSignal(Given.AnsweredWeeks(answer, answer, answer, answer.WithRunCost(200.01m)), 4));
        Assert.Null(EarlyWarnings.StaleSignal(Given.AnsweredWeeks(answer, answer, answer, answer with { Exceptions = 6 }), 4));
        Assert.NotNull(EarlyWarnings.StaleSignal(Given.AnsweredWeeks(answer, answer, answer, answer), 4));
    }

    // Reported beside measured

    private static AnsweredWeek Measured(int reported, MeasuredUsage measured, int targetUsers = 10) =>
        Given.Answered(Given.Week, Given.HealthyAnswer() with { ActiveUsers = reported }, Given.UseCase(u => u with { TargetUsers = targetUsers })) with
        {
            Measured = measured,
        };

    [Fact]
    public void AGapOfMoreThanFifteenPointsOfAdoptionIsReportedNotMeasured()
    {
        // Reported 6 of 10 (60 %), Graph counts 4 (40 %): 20 points apart.
        AnsweredWeek[] weeks = [Measured(6, new MeasuredUsage(4, 10, false, 250))];

        var warning = EarlyWarnings.ReportedNotMeasured(Given.UseCase(), weeks, 0.15m);

        Assert.NotNull(warning);
        Assert.Equal("reported-not-measured", warning.RuleId);
        Assert.Equal("In week 2026-W10 the owner reported 6 active users (adoption 60 %) but Microsoft 365 Copilot usage shows 4 " +
            "(adoption 40 %): a gap of 20 points, more than the 15 allowed.", warning.Reason);
    }

    [Fact]
    public void FifteenPointsOrLessIsNoGapWorthAWarning()
    {
        var useCase = Given.UseCase(u => u with { TargetUsers = 20 });

        // 12 of 20 (60 %) against 9 (45 %): exactly 15 points; against 8 (40 %): 20.
        Assert.Null(EarlyWarnings.ReportedNotMeasured(useCase, [Measured(12, new MeasuredUsage(9, 20, false, 0), 20)], 0.15m));
        Assert.NotNull(EarlyWarnings.ReportedNotMeasured(useCase, [Measured(12, new MeasuredUsage(8, 20, false, 0), 20)], 0.15m));
        // Over-measured counts too: reported 5 of 20 (25 %), measured 9 (45 %).
        Assert.NotNull(EarlyWarnings.ReportedNotMeasured(useCase, [Measured(5, new MeasuredUsage(9, 20, false, 0), 20)], 0.15m));
    }

    [Fact]
    public void ConcealedUserNamesLeaveNothingToCompare()
    {
        AnsweredWeek[] weeks = [Measured(6, MeasuredUsage.Concealed(10, 250))];

        Assert.Null(EarlyWarnings.ReportedNotMeasured(Given.UseCase(), weeks, 0.15m));
        Assert.Null(EarlyWarnings.ReportedNotMeasured(Given.UseCase(), [Given.Answered(Given.Week, Given.HealthyAnswer())], 0.15m));
    }

    [Fact]
    public void TheEvaluatorReadsTheMeasuredCountFromTheWeekRecord()
    {
        var history = Given.History(Given.Week.AddWeeks(-1), Given.HealthyAnswer());
        history.Add(WeekRecord.Answered(Given.Week, Given.HealthyAnswer() with { Tasks = 101 }) with { Measured = new MeasuredUsage(3, 10, false, 40) });

        var evaluation = UseCaseEvaluator.Evaluate(Given.UseCase(), history, Given.Week, Policy);

        Assert.Contains(evaluation.Warnings, w => w.RuleId == EarlyWarnings.ReportedNotMeasuredId && w.Reason.Contains("a gap of 50 points", StringComparison.Ordinal));
        Assert.Equal(3, evaluation.Latest!.Measured!.ActiveUsers);
    }

    // Manager confirmation

    [Fact]
    public void ADisputedAdoptionFigureIsMarkedUntilTheOwnerAnswersAgain()
    {
        var disputed = WeekRecord.Answered(Given.Week.AddWeeks(-1), Given.HealthyAnswer()) with
        {
            Review = new ManagerReview(AdoptionVerdict.Disputed, "Mia Manager"),
        };
        var answeredAgain = WeekRecord.Answered(Given.Week, Given.HealthyAnswer() with { Tasks = 101 });

        var before = UseCaseEvaluator.Evaluate(Given.UseCase(), [disputed], Given.Week, Policy);
        var after = UseCaseEvaluator.Evaluate(Given.UseCase(), [disputed, answeredAgain], Given.Week, Policy);

        var warning = Assert.Single(before.Warnings, w => w.RuleId == EarlyWarnings.AdoptionDisputedId);
        Assert.Equal("Mia Manager disputed the adoption figure of week 2026-W09 (8 of 10 target users); it stays disputed until " +
            "the owner answers again.", warning.Reason);
        Assert.DoesNotContain(after.Warnings, w => w.RuleId == EarlyWarnings.AdoptionDisputedId);
    }

    [Fact]
    public void AConfirmedFigureIsNotMarked()
    {
        var confirmed = WeekRecord.Answered(Given.Week, Given.HealthyAnswer()) with { Review = new ManagerReview(AdoptionVerdict.Confirmed, "Mia Manager") };

        Assert.DoesNotContain(UseCaseEvaluator.Evaluate(Given.UseCase(), [confirmed], Given.Week, Policy).Warnings,
            w => w.RuleId == EarlyWarnings.AdoptionDisputedId);
    }
}
