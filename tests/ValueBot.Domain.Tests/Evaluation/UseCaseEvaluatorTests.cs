using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Evaluation;
using ValueBot.Domain.Policies;
using ValueBot.Domain.StageGates;
using ValueBot.Domain.Warnings;

namespace ValueBot.Domain.Tests.Evaluation;

public class UseCaseEvaluatorTests
{
    private static readonly EvaluationPolicy Policy = EvaluationPolicy.OrganisationDefault;

    private static UseCaseEvaluation Evaluate(IReadOnlyList<WeekRecord> history, Domain.UseCases.UseCase? useCase = null) =>
        UseCaseEvaluator.Evaluate(useCase ?? Given.UseCase(), history, Given.Week, Policy);

    private static Answer[] Repeat(Answer answer, int count) => Enumerable.Repeat(answer, count).ToArray();

    /// <summary>Like <see cref="Repeat"/>, but a cent of support cost apart every other week, so no stale signal fires.</summary>
    private static Answer[] Varied(Answer answer, int count) => Enumerable.Range(0, count)
        .Select(i => i % 2 == 0 ? answer : answer with
        {
            RunCost = answer.RunCost with { Support = answer.RunCost.Support with { Amount = answer.RunCost.Support.Amount + 0.01m } },
        })
        .ToArray();

    [Fact]
    public void SumsTheThreeFiguresOverTheLastThirteenIsoWeeks()
    {
        var evaluation = Evaluate(Given.History(Given.Week, Repeat(Given.Answer(), 20)));

        Assert.Equal(13, evaluation.Rolling.AnsweredWeeks);
        Assert.Equal(Given.Week.AddWeeks(-12), evaluation.Rolling.From);
        Assert.Equal(Given.Eur(13 * 600m), evaluation.Rolling.GrossValue);
        Assert.Equal(Given.Eur(13 * 550m), evaluation.Rolling.AbsorptionCost);
        Assert.Equal(Given.Eur(13 * 50m), evaluation.Rolling.NetValue);
        Assert.Equal(Given.Eur(50m), evaluation.LatestMetrics!.NetValue);
    }

    [Fact]
    public void WeeksWithoutAnAnswerAddNothingAndAreNeverReadAsZero()
    {
        var history = new List<WeekRecord>
        {
            WeekRecord.Answered(Given.Week.AddWeeks(-3), Given.Answer()),
            new(Given.Week.AddWeeks(-2), CheckInStatus.Missed, null),
            WeekRecord.Answered(Given.Week.AddWeeks(-1), Given.Answer().WithRunCost(100m)),
            new(Given.Week, CheckInStatus.Sent, null),
        };

        var evaluation = Evaluate(history);

        Assert.Equal(2, evaluation.Rolling.AnsweredWeeks);
        Assert.Equal(Given.Eur(1200m), evaluation.Rolling.GrossValue);
        Assert.Equal(Given.Week.AddWeeks(-1), evaluation.Latest!.Week);
        Assert.Equal(Given.Week.AddWeeks(-3), evaluation.Previous!.Week);
        Assert.Equal(new Domain.Metrics.CheckInCompliance(2, 3), evaluation.Compliance);
        Assert.Equal(1, evaluation.Leakage.WeeksWithoutData);
        Assert.Equal(1, evaluation.Leakage.MissedCheckIns);
    }

    [Fact]
    public void WithoutAnyAnswerThereIsNoDataAndNotEnoughEvidence()
    {
        var evaluation = Evaluate([]);

        Assert.Null(evaluation.Latest);
        Assert.Null(evaluation.Rolling.NetValue);
        Assert.Null(evaluation.Leakage.Translation);
        Assert.Null(evaluation.Compliance.Rate);
        Assert.Empty(evaluation.Warnings);
        Assert.Equal(Recommendation.Hold, evaluation.Recommendation.Recommendation);
        Assert.Equal(StageGate.HoldNotEnoughEvidenceId, evaluation.Recommendation.Reasons[0].RuleId);
    }

    [Fact]
    public void SumsLeakageOverTheWindowWithTheTwentyPointTranslationGap()
    {
        var history = Given.History(Given.Week, Repeat(Given.Answer(a => a with { MinutesSavedPerTask = 2m }), 3));
        history.Insert(0, new WeekRecord(Given.Week.AddWeeks(-3), CheckInStatus.Missed, null, HadOwner: false));

        var leakage = Evaluate(history).Leakage;

        Assert.Equal(0.20m, leakage.TranslationPoints);
        Assert.Equal(Given.Eur(3 * 400m), leakage.Translation);
        Assert.Equal(Given.Eur(3 * 250m), leakage.Execution);
        Assert.Equal(Given.Eur(3 * 60m), leakage.Control);
        Assert.Equal(1, leakage.WeeksWithoutData);
        Assert.Equal(1, leakage.MissedCheckIns);
        Assert.Equal(1, leakage.WeeksWithoutOwner);
    }

    [Fact]
    public void CountsTheClosedWeeksSinceLaunchOfAUseCaseThatHasNoOwner()
    {
        var useCase = Given.UseCase(u => u with { Owner = null, LaunchDate = Given.Week.AddWeeks(-5).Start });

        // No check-in is ever created without an owner: five closed weeks since the launch, the current one still open.
        var leakage = Evaluate([], useCase).Leakage;

        Assert.Equal(5, leakage.WeeksWithoutOwner);
        Assert.Equal(5, leakage.WeeksWithoutData);
    }

    [Fact]
    public void CountsOnlyTheWeeksAfterTheOwnerLeft()
    {
        var useCase = Given.UseCase(u => u with { Owner = u.Owner! with { HasLeftOrganisation = true } });
        var history = Given.History(Given.Week.AddWeeks(-4), Repeat(Given.Answer(), 3));
        history.Add(new WeekRecord(Given.Week.AddWeeks(-3), CheckInStatus.Undeliverable, null, HadOwner: false));
        history.Add(new WeekRecord(Given.Week.AddWeeks(-2), CheckInStatus.Undeliverable, null, HadOwner: false));

        // W-3 and W-2 recorded without the owner, W-1 not recorded at all; the open current week is not counted yet.
        Assert.Equal(3, Evaluate(history, useCase).Leakage.WeeksWithoutOwner);
    }

    [Fact]
    public void AnOwnedUseCaseHasNoWeeksWithoutAnOwner()
    {
        var useCase = Given.UseCase(u => u with { LaunchDate = Given.Week.AddWeeks(-5).Start });

        Assert.Equal(0, Evaluate(Given.History(Given.Week.AddWeeks(-3), Given.Answer()), useCase).Leakage.WeeksWithoutOwner);
    }

    [Fact]
    public void CountsWeeksWithoutDataFromTheLaunchNotBeforeIt()
    {
        var useCase = Given.UseCase(u => u with { LaunchDate = Given.Week.AddWeeks(-5).Start });
        var history = Given.History(Given.Week.AddWeeks(-1), Given.Answer());

        // Launch week to last week is 5 closed weeks, one answered; the current week is still open.
        Assert.Equal(4, Evaluate(history, useCase).Leakage.WeeksWithoutData);
    }

    [Fact]
    public void AdoptionStalledAtFiftyFivePercentTwoWeeksRunningWarnsAndRecommendsRedesign()
    {
        var useCase = Given.UseCase(u => u with { TargetUsers = 20 });
        var history = Given.History(Given.Week, [.. Repeat(Given.HealthyAnswer(), 4), .. Repeat(Given.HealthyAnswer() with { ActiveUsers = 11 }, 2)]);

        var evaluation = Evaluate(history, useCase);

        var warning = Assert.Single(evaluation.Warnings);
        Assert.Equal(EarlyWarnings.StopLossBreachId, warning.RuleId);
        Assert.StartsWith("Adoption 55 % is below the 60 % minimum", warning.Reason);
        Assert.Equal(Recommendation.Redesign, evaluation.Recommendation.Recommendation);
    }

    [Fact]
    public void SixBreachedWeeksLosingMoneyRecommendAHealthyKill()
    {
        var losing = Given.Answer(a => a with { ActiveUsers = 3, ReworkShare = 0.3m });

        var evaluation = Evaluate(Given.History(Given.Week, Repeat(losing, 6)));

        Assert.True(evaluation.Rolling.NetValue!.Value.IsNegative);
        Assert.Equal(Recommendation.Stop, evaluation.Recommendation.Recommendation);
        Assert.True(evaluation.Recommendation.IsHealthyKill);
    }

    [Fact]
    public void TwelveHealthyWeeksRecommendScaling()
    {
        var evaluation = Evaluate(Given.History(Given.Week, Varied(Given.HealthyAnswer(), 12)));

        Assert.Empty(evaluation.Warnings);
        Assert.Equal(Recommendation.Scale, evaluation.Recommendation.Recommendation);
    }

    [Fact]
    public void MissedCheckInsAfterHealthyWeeksMakeItStaleAndUnaccountable()
    {
        var history = Given.History(Given.Week.AddWeeks(-3), Varied(Given.HealthyAnswer(), 10));
        history.AddRange(Given.Statuses(Given.Week, CheckInStatus.Missed, CheckInStatus.Missed, CheckInStatus.Missed));

        var evaluation = Evaluate(history);

        Assert.Equal([EarlyWarnings.UnclearAccountabilityId, EarlyWarnings.StaleId], evaluation.Warnings.Select(w => w.RuleId));
        Assert.Equal(Recommendation.Hold, evaluation.Recommendation.Recommendation);
        Assert.Equal(StageGate.HoldUnclearAccountabilityId, evaluation.Recommendation.Reasons.Single().RuleId);
    }

    [Fact]
    public void SkippedWeeksAreNeitherDueNorMissed()
    {
        var history = Given.History(Given.Week.AddWeeks(-2), Varied(Given.HealthyAnswer(), 10));
        history.AddRange(Given.Statuses(Given.Week, CheckInStatus.Skipped, CheckInStatus.Skipped));

        var evaluation = Evaluate(history);

        Assert.Empty(evaluation.Warnings);
        Assert.Equal(1m, evaluation.Compliance.Rate);
    }

    [Fact]
    public void IgnoresWeeksAfterTheCurrentWeek()
    {
        var history = Given.History(Given.Week.AddWeeks(2), Repeat(Given.Answer(), 5));

        var evaluation = Evaluate(history);

        Assert.Equal(3, evaluation.Rolling.AnsweredWeeks);
        Assert.Equal(Given.Week, evaluation.Latest!.Week);
    }

    [Fact]
    public void GivesTheSameResultForUnsortedHistory()
    {
        var answers = Enumerable.Range(1, 8).Select(i => Given.HealthyAnswer() with { Exceptions = i }).ToArray();
        var sorted = Given.History(Given.Week, answers);
        var shuffled = sorted.OrderBy(r => r.Answer!.Exceptions % 3).ToList();

        var expected = Evaluate(sorted);
        var actual = Evaluate(shuffled);

        Assert.Equal(expected.Rolling, actual.Rolling);
        Assert.Equal(expected.Latest, actual.Latest);
        Assert.Equal(expected.Warnings, actual.Warnings);
        Assert.Equal(expected.Recommendation.Recommendation, actual.Recommendation.Recommendation);
    }

    [Fact]
    public void AppliesTheUseCasesOwnThresholds()
    {
        var useCase = Given.UseCase(u => u with { PolicyOverrides = new Domain.Policies.EvaluationPolicyOverrides { MinAdoption = 0.9m } });

        var evaluation = Evaluate(Given.History(Given.Week, Given.HealthyAnswer()), useCase);

        Assert.Equal("Adoption 80 % is below the 90 % minimum (week 2026-W10).", Assert.Single(evaluation.Warnings).Reason);
    }

    [Fact]
    public void EvaluatesTwoYearsOfHistoryForManyUseCasesQuickly()
    {
        var useCase = Given.UseCase();
        var history = Given.History(Given.Week, Enumerable.Range(0, 104)
            .Select(i => Given.HealthyAnswer() with { Exceptions = i % 7, ModelChanged = i % 11 == 0 }).ToArray());
        var watch = System.Diagnostics.Stopwatch.StartNew();

        for (var i = 0; i < 10_000; i++)
        {
            UseCaseEvaluator.Evaluate(useCase, history, Given.Week, Policy);
        }

        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(20));
    }
}
