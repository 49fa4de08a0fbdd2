using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Evaluation;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Policies;
using ValueBot.Domain.Warnings;

namespace ValueBot.Domain.Tests.Evidence;

/// <summary>DOMAIN.md "Implausible answers". The given use case: b = 20 minutes per task, N = 10 target users.</summary>
public class AnswerPlausibilityTests
{
    private static readonly EvaluationPolicy Policy = EvaluationPolicy.OrganisationDefault;

    private static IReadOnlyList<string> Codes(Answer answer, params Answer[] recent) =>
        AnswerPlausibility.Find(Given.UseCase(), answer, recent, Policy).Select(o => o.Code).ToList();

    private static Answer[] Weeks(int count, Func<int, Answer> answer) => Enumerable.Range(0, count).Select(answer).ToArray();

    [Fact]
    public void APlausibleAnswerHasNoOutliers() =>
        Assert.Empty(Codes(Given.Answer(), Weeks(8, _ => Given.Answer())));

    [Fact]
    public void MoreMinutesSavedThanTheTaskTookBeforeAiIsImplausible()
    {
        var outliers = AnswerPlausibility.Find(Given.UseCase(), Given.Answer(a => a with { MinutesSavedPerTask = 25m }), [], Policy);

        var outlier = Assert.Single(outliers);
        Assert.Equal(Outlier.MinutesAboveBaseline, outlier.Code);
        Assert.Equal("Minutes saved per task (25) are more than the 20 minutes a task took before AI.", outlier.Reason);
        Assert.Empty(Codes(Given.Answer(a => a with { MinutesSavedPerTask = 20m })));
    }

    [Fact]
    public void MoreActiveUsersThanTargetUsersIsImplausible()
    {
        Assert.Equal([Outlier.MoreUsersThanTarget], Codes(Given.Answer(a => a with { ActiveUsers = 11 })));
        Assert.Empty(Codes(Given.Answer(a => a with { ActiveUsers = 10 })));
    }

    [Fact]
    public void TasksMoreThanThreeTimesTheMedianOfTheLastEightAnsweredWeeksAreImplausible()
    {
        var recent = Weeks(8, i => Given.Answer(a => a with { Tasks = 90 + (i * 5) })); // 90 … 125, median 107.5

        var outliers = AnswerPlausibility.Find(Given.UseCase(), Given.Answer(a => a with { Tasks = 323 }), recent, Policy);

        Assert.Equal("Tasks (323) are more than 3 × the median of the last 8 answered weeks (107.5).", Assert.Single(outliers).Reason);
        Assert.Empty(Codes(Given.Answer(a => a with { Tasks = 322 }), recent)); // 3 × 107.5 = 322.5
    }

    [Fact]
    public void MinutesSavedMoreThanThreeTimesTheMedianAreImplausible()
    {
        var recent = Weeks(5, i => Given.Answer(a => a with { MinutesSavedPerTask = 4m + i })); // 4 … 8, median 6

        Assert.Equal([Outlier.MinutesJump], Codes(Given.Answer(a => a with { MinutesSavedPerTask = 18.5m }), recent));
        Assert.Empty(Codes(Given.Answer(a => a with { MinutesSavedPerTask = 18m }), recent));
    }

    [Fact]
    public void OnlyTheLastEightAnsweredWeeksMakeTheMedian()
    {
        // Four old weeks of 1,000 tasks, then eight of 100: the median is 100, so 400 is an outlier.
        var recent = Weeks(4, _ => Given.Answer(a => a with { Tasks = 1000 })).Concat(Weeks(8, _ => Given.Answer())).ToArray();

        Assert.Equal([Outlier.TasksJump], Codes(Given.Answer(a => a with { Tasks = 400 }), recent));
        Assert.Equal(100m, AnswerPlausibility.Median(recent.Skip(4).Select(a => (decimal)a.Tasks)));
        Assert.Equal(550m, AnswerPlausibility.Median([100m, 1000m]));
    }

    [Fact]
    public void WithoutEarlierWeeksThereIsNoMedianToCompareWith() =>
        Assert.Empty(Codes(Given.Answer(a => a with { Tasks = 10_000 })));

    [Fact]
    public void HundredPercentReworkIsImplausible()
    {
        Assert.Equal([Outlier.AllRework], Codes(Given.Answer(a => a with { ReworkShare = 1m })));
        Assert.Empty(Codes(Given.Answer(a => a with { ReworkShare = 0.99m })));
    }

    [Fact]
    public void EveryReasonIsListed()
    {
        var answer = Given.Answer(a => a with { MinutesSavedPerTask = 25m, ActiveUsers = 12, Tasks = 500, ReworkShare = 1m });

        Assert.Equal([Outlier.MinutesAboveBaseline, Outlier.MoreUsersThanTarget, Outlier.TasksJump, Outlier.MinutesJump, Outlier.AllRework],
            Codes(answer, Given.Answer()));
    }

    [Fact]
    public void TheMultipleAndTheWindowAreRuleParameters()
    {
        var recent = Weeks(2, _ => Given.Answer(a => a with { Tasks = 1000 })).Concat(Weeks(2, _ => Given.Answer())).ToArray();
        var policy = Policy with { OutlierMultiple = 2m, OutlierMedianWeeks = 2 };

        Assert.Equal([Outlier.TasksJump], AnswerPlausibility.Find(Given.UseCase(), Given.Answer(a => a with { Tasks = 201 }), recent, policy).Select(o => o.Code));
        Assert.Empty(AnswerPlausibility.Find(Given.UseCase(), Given.Answer(a => a with { Tasks = 201 }), recent, Policy));
    }

    [Fact]
    public void AStoredOutlierIsAnUnconfirmedOutlierInTheEvaluation()
    {
        var answer = Given.HealthyAnswer() with
        {
            ActiveUsers = 11,
            Outliers = AnswerPlausibility.Find(Given.UseCase(), Given.HealthyAnswer() with { ActiveUsers = 11 }, [], Policy),
        };

        var evaluation = UseCaseEvaluator.Evaluate(Given.UseCase(), Given.History(Given.Week, answer), Given.Week, Policy);

        var warning = Assert.Single(evaluation.Warnings, w => w.RuleId == EarlyWarnings.UnconfirmedOutlierId);
        Assert.Equal("Week 2026-W10 is an unconfirmed outlier: Active users (11) are more than the 10 target users.", warning.Reason);
    }
}
