using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Metrics;
using ValueBot.Domain.Policies;
using ValueBot.Domain.StageGates;
using ValueBot.Domain.Warnings;

namespace ValueBot.Domain.Tests.StageGates;

public class StageGateTests
{
    private static readonly EvaluationPolicy Policy = EvaluationPolicy.OrganisationDefault;
    private static readonly ScaleEvidence Proven = new(10, 10, new CheckInCompliance(11, 12));

    private static Answer Breaching => Given.Answer(a => a with { ActiveUsers = 5, ReworkShare = 0.05m }); // adoption 50 %
    private static Answer LosingMoney => Given.HealthyAnswer().WithRunCost(2000m);

    private static StageRecommendation Recommend(
        Answer[] answers, Money? rollingNet = null, ScaleEvidence? scale = null, Warning? unclear = null, int? total = null)
    {
        var weeks = Given.AnsweredWeeks(answers);
        return StageGate.Recommend(weeks, total ?? weeks.Length, rollingNet ?? Given.Eur(1000m), scale ?? Proven, unclear, Policy);
    }

    private static Answer[] Repeat(Answer answer, int count) => Enumerable.Repeat(answer, count).ToArray();

    [Fact]
    public void StopsWhenNinetyDayNetIsNegativeAndEachOfTheLastSixWeeksBreached()
    {
        var recommendation = Recommend(Repeat(Breaching, 6), rollingNet: Given.Eur(-1m));

        Assert.Equal(Recommendation.Stop, recommendation.Recommendation);
        Assert.True(recommendation.IsHealthyKill);
        Assert.Contains("healthy kill", recommendation.Headline);
        Assert.Equal(StageGate.StopNetNegativeWithBreachesId, recommendation.Reasons.Single().RuleId);
    }

    [Fact]
    public void FiveBreachedWeeksWithNegativeNetRedesignRatherThanStop()
    {
        var recommendation = Recommend([Given.HealthyAnswer(), .. Repeat(Breaching, 5)], rollingNet: Given.Eur(-1m));

        Assert.Equal(Recommendation.Redesign, recommendation.Recommendation);
    }

    [Fact]
    public void SixBreachedWeeksWithPositiveNetRedesignRatherThanStop()
    {
        Assert.Equal(Recommendation.Redesign, Recommend(Repeat(Breaching, 6), rollingNet: Given.Eur(0m)).Recommendation);
    }

    [Fact]
    public void StopsWhenTheOwnerProposesStoppingEvenIfHealthy()
    {
        var recommendation = Recommend([Given.HealthyAnswer() with { ProposesStopping = true }]);

        Assert.Equal(Recommendation.Stop, recommendation.Recommendation);
        Assert.Equal(StageGate.StopOwnerProposesId, recommendation.Reasons.Single().RuleId);
    }

    [Fact]
    public void StopBeatsRedesign()
    {
        var recommendation = Recommend([.. Repeat(Breaching, 5), Breaching with { ProposesStopping = true }], rollingNet: Given.Eur(-1m));

        Assert.Equal(Recommendation.Stop, recommendation.Recommendation);
        Assert.Equal(2, recommendation.Reasons.Count);
    }

    [Fact]
    public void AdoptionAtFiftyFivePercentTwoWeeksRunningSendsItToRedesign()
    {
        var useCase = Given.UseCase(u => u with { TargetUsers = 20 });
        var stalled = Given.HealthyAnswer() with { ActiveUsers = 11 };
        AnsweredWeek[] weeks = [Given.Answered(Given.Week.Previous(), stalled, useCase), Given.Answered(Given.Week, stalled, useCase)];

        var recommendation = StageGate.Recommend(weeks, 2, Given.Eur(100m), Proven, null, Policy);

        Assert.Equal(Recommendation.Redesign, recommendation.Recommendation);
        Assert.Equal(StageGate.RedesignBreachStreakId, recommendation.Reasons.Single().RuleId);
        Assert.Contains("Adoption 55 % is below the 60 % minimum", recommendation.Reasons.Single().Text);
    }

    [Fact]
    public void ReworkAboveFifteenPercentTwoWeeksRunningSendsItToRedesign()
    {
        var recommendation = Recommend(Repeat(Given.HealthyAnswer() with { ReworkShare = 0.20m }, 2));

        Assert.Equal(Recommendation.Redesign, recommendation.Recommendation);
    }

    [Fact]
    public void OneBreachedWeekIsNotARedesign()
    {
        Assert.NotEqual(Recommendation.Redesign, Recommend([Given.HealthyAnswer(), Breaching]).Recommendation);
    }

    [Fact]
    public void NegativeNetFourWeeksRunningDespiteAdoptionIsAnExecutionProblemToRedesign()
    {
        var recommendation = Recommend(Repeat(LosingMoney, 4));

        Assert.Equal(Recommendation.Redesign, recommendation.Recommendation);
        Assert.Equal(StageGate.RedesignNegativeNetId, recommendation.Reasons.Single().RuleId);
    }

    [Fact]
    public void NegativeNetThreeWeeksRunningIsNotYetARedesign()
    {
        Assert.NotEqual(Recommendation.Redesign,
            Recommend([Given.HealthyAnswer(), .. Repeat(LosingMoney, 3)]).Recommendation);
    }

    [Fact]
    public void RedesignBeatsNotEnoughEvidence()
    {
        Assert.Equal(Recommendation.Redesign, Recommend(Repeat(Breaching, 2), total: 2).Recommendation);
    }

    [Fact]
    public void HoldsWithFewerThanFourAnsweredWeeks()
    {
        var recommendation = Recommend(Repeat(Given.HealthyAnswer(), 3));

        Assert.Equal(Recommendation.Hold, recommendation.Recommendation);
        Assert.False(recommendation.KeepsCurrentStage);
        Assert.Equal("Not enough evidence: 3 answered weeks, at least 4 needed.", recommendation.Reasons.Single().Text);
    }

    [Fact]
    public void HoldsWhenAccountabilityIsUnclear()
    {
        var unclear = new Warning(EarlyWarnings.UnclearAccountabilityId, "Unclear accountability", "The use case has no named owner.");

        var recommendation = Recommend(Repeat(Given.HealthyAnswer(), 10), unclear: unclear);

        Assert.Equal(Recommendation.Hold, recommendation.Recommendation);
        Assert.Equal(StageGate.HoldUnclearAccountabilityId, recommendation.Reasons.Single().RuleId);
    }

    [Fact]
    public void ScalesWhenEveryCriterionIsMet()
    {
        var recommendation = Recommend(Repeat(Given.HealthyAnswer(), 8), scale: new ScaleEvidence(8, 8, new CheckInCompliance(9, 12)));

        Assert.Equal(Recommendation.Scale, recommendation.Recommendation);
        Assert.Equal(StageGate.ScaleId, recommendation.Reasons.Single().RuleId);
    }

    [Theory]
    [InlineData(7, 7, 9, 12)]
    [InlineData(8, 7, 9, 12)]
    [InlineData(8, 8, 8, 12)]
    public void HoldsAtTheCurrentStageWhenAScaleCriterionIsJustMissed(int answered, int positive, int answeredDue, int due)
    {
        var recommendation = Recommend(Repeat(Given.HealthyAnswer(), 8),
            scale: new ScaleEvidence(answered, positive, new CheckInCompliance(answeredDue, due)));

        Assert.Equal(Recommendation.Hold, recommendation.Recommendation);
        Assert.True(recommendation.KeepsCurrentStage);
        Assert.True(recommendation.Reasons.Count >= 2, "the unmet criteria are listed after the headline reason");
    }

    [Fact]
    public void DoesNotScaleWithACurrentBreach()
    {
        // One breached week after healthy ones: not a redesign yet, not a scale either.
        var recommendation = Recommend([.. Repeat(Given.HealthyAnswer(), 7), Given.HealthyAnswer() with { ReworkShare = 0.2m }]);

        Assert.Equal(Recommendation.Hold, recommendation.Recommendation);
        Assert.Contains(recommendation.Reasons, r => r.Text.StartsWith("Current stop-loss breach: Rework 20 %", StringComparison.Ordinal));
    }

    [Fact]
    public void TheHeadlineSaysWhatTheFirstRuleFoundNotThatEveryRedesignLosesMoney()
    {
        var breaches = new StageRecommendation(Recommendation.Redesign, [new GateReason(StageGate.RedesignBreachStreakId, "rework above 15 %")]);
        var negative = new StageRecommendation(Recommendation.Redesign, [new GateReason(StageGate.RedesignNegativeNetId, "net below 0")]);
        var proposed = new StageRecommendation(Recommendation.Stop, [new GateReason(StageGate.StopOwnerProposesId, "owner proposes")]);

        Assert.Contains("stop-loss limits breached", breaches.Headline);
        Assert.DoesNotContain("negative", breaches.Headline);
        Assert.Contains("negative", negative.Headline);
        Assert.Contains("owner proposes", proposed.Headline);
        Assert.DoesNotContain("negative", proposed.Headline);
    }
}
