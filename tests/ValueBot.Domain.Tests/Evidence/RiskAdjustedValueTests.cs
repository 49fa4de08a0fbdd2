using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Evaluation;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Metrics;
using ValueBot.Domain.Policies;
using ValueBot.Domain.StageGates;

namespace ValueBot.Domain.Tests.Evidence;

/// <summary>
/// DOMAIN.md "Risk-adjusted value": G′ = G × s × k, s = 1.0 / 0.8 / 0.5, k = 1.0 / 0.85 / 0.6, costs never discounted.
/// The given week: G = 100 tasks × 6 min ÷ 60 × 60 EUR/h = 600 EUR, absorption 550 EUR.
/// </summary>
public class RiskAdjustedValueTests
{
    private static Answer Graded(EvidenceSource source, EvidenceConfidence confidence) =>
        Given.Answer(a => a with { MinutesSavedEvidence = new EvidenceGrade(source, confidence) });

    [Theory]
    [InlineData(EvidenceSource.Measured, EvidenceConfidence.High, 1.0, 600, 50)]
    [InlineData(EvidenceSource.Measured, EvidenceConfidence.Medium, 0.85, 510, -40)]
    [InlineData(EvidenceSource.Measured, EvidenceConfidence.Low, 0.6, 360, -190)]
    [InlineData(EvidenceSource.Estimated, EvidenceConfidence.High, 0.8, 480, -70)]
    [InlineData(EvidenceSource.Estimated, EvidenceConfidence.Medium, 0.68, 408, -142)]
    [InlineData(EvidenceSource.Estimated, EvidenceConfidence.Low, 0.48, 288, -262)]
    [InlineData(EvidenceSource.Guessed, EvidenceConfidence.High, 0.5, 300, -250)]
    [InlineData(EvidenceSource.Guessed, EvidenceConfidence.Medium, 0.425, 255, -295)]
    [InlineData(EvidenceSource.Guessed, EvidenceConfidence.Low, 0.3, 180, -370)]
    public void DiscountsTheGrossValueBySourceAndConfidenceButNeverTheCosts(
        EvidenceSource source, EvidenceConfidence confidence, decimal factor, decimal adjustedGross, decimal adjustedNet)
    {
        var metrics = WeeklyMetrics.Compute(Given.UseCase(), Given.Week, Graded(source, confidence));

        Assert.Equal(factor, metrics.EvidenceFactor);
        Assert.Equal(Given.Eur(600m), metrics.GrossValue);
        Assert.Equal(Given.Eur(550m), metrics.AbsorptionCost);
        Assert.Equal(Given.Eur(50m), metrics.NetValue);
        Assert.Equal(Given.Eur(adjustedGross), metrics.AdjustedGrossValue);
        Assert.Equal(Given.Eur(adjustedNet), metrics.AdjustedNetValue);
    }

    [Fact]
    public void AnAnswerThatDoesNotSayIsEstimatedWithMediumConfidence()
    {
        var answer = new Answer
        {
            ActiveUsers = 6, Tasks = 100, MinutesSavedPerTask = 6m, ReworkShare = 0.10m, MinutesPerCorrection = 10m,
            Exceptions = 5, RunCost = Given.Answer().RunCost,
        };

        Assert.Equal(new EvidenceGrade(EvidenceSource.Estimated, EvidenceConfidence.Medium), answer.MinutesSavedEvidence);
        Assert.Equal(EvidenceGrade.Unstated, answer.ActiveUsersEvidence);
        Assert.Equal(Given.Eur(408m), WeeklyMetrics.Compute(Given.UseCase(), Given.Week, answer).AdjustedGrossValue);
    }

    [Fact]
    public void TheOrganisationsOwnFactorsReplaceTheDefaults()
    {
        var factors = EvidenceFactors.Default with { Estimated = 0.9m, Medium = 0.7m };

        var metrics = WeeklyMetrics.Compute(Given.UseCase(), Given.Week, Graded(EvidenceSource.Estimated, EvidenceConfidence.Medium), factors);

        Assert.Equal(Given.Eur(378m), metrics.AdjustedGrossValue); // 600 × 0.9 × 0.7
        Assert.Equal(Given.Eur(-172m), metrics.AdjustedNetValue);
    }

    [Fact]
    public void TheAdjustedGrossIsRoundedToCentsHalfAwayFromZero()
    {
        // G = 7 tasks × 1 min ÷ 60 × 60 = 7.00; × 0.5 × 0.85 = 2.975 → 2.98.
        var answer = Given.Answer(a => a with { Tasks = 7, MinutesSavedPerTask = 1m, MinutesSavedEvidence = new(EvidenceSource.Guessed, EvidenceConfidence.Medium) });

        Assert.Equal(Given.Eur(2.98m), WeeklyMetrics.Compute(Given.UseCase(), Given.Week, answer).AdjustedGrossValue);
    }

    [Fact]
    public void TheRollingFiguresCarryBothNetsAndTheShareOfValueThatIsMeasured()
    {
        var history = Given.History(Given.Week,
            Graded(EvidenceSource.Measured, EvidenceConfidence.High),
            Graded(EvidenceSource.Measured, EvidenceConfidence.Low),
            Graded(EvidenceSource.Estimated, EvidenceConfidence.Medium),
            Graded(EvidenceSource.Guessed, EvidenceConfidence.Low));

        var rolling = UseCaseEvaluator.Evaluate(Given.UseCase(), history, Given.Week, EvaluationPolicy.OrganisationDefault).Rolling;

        Assert.Equal(Given.Eur(2400m), rolling.GrossValue);
        Assert.Equal(Given.Eur(200m), rolling.NetValue);
        Assert.Equal(Given.Eur(600m + 360m + 408m + 180m), rolling.AdjustedGrossValue);
        Assert.Equal(Given.Eur(1548m - 2200m), rolling.AdjustedNetValue);
        Assert.Equal(Given.Eur(1200m), rolling.MeasuredGrossValue);
        Assert.Equal(0.5m, rolling.MeasuredShare);
    }

    [Fact]
    public void TheStageGateReadsTheAdjustedNet()
    {
        // Twelve healthy weeks: raw net 200 EUR a week (G 600, absorption 400). Measured, they scale; guessed with low
        // confidence, G′ = 180 and adjusted net −220 every week at 80 % adoption: an execution problem, redesign.
        Answer Healthy(int i, EvidenceGrade grade) => Given.HealthyAnswer() with { Tasks = 100 + (i % 2), MinutesSavedEvidence = grade };
        var measured = Given.History(Given.Week, Enumerable.Range(0, 12).Select(i => Healthy(i, EvidenceGrade.MeasuredHigh)).ToArray());
        var guessed = Given.History(Given.Week,
            Enumerable.Range(0, 12).Select(i => Healthy(i, new EvidenceGrade(EvidenceSource.Guessed, EvidenceConfidence.Low))).ToArray());

        var scale = UseCaseEvaluator.Evaluate(Given.UseCase(), measured, Given.Week, EvaluationPolicy.OrganisationDefault);
        var redesign = UseCaseEvaluator.Evaluate(Given.UseCase(), guessed, Given.Week, EvaluationPolicy.OrganisationDefault);

        Assert.Equal(Recommendation.Scale, scale.Recommendation.Recommendation);
        Assert.True(redesign.LatestMetrics!.NetValue.Amount > 0m);
        Assert.True(redesign.LatestMetrics.AdjustedNetValue.Amount < 0m);
        Assert.Equal(Recommendation.Redesign, redesign.Recommendation.Recommendation);
        Assert.Equal(StageGate.RedesignNegativeNetId, redesign.Recommendation.Reasons.Single().RuleId);
        Assert.StartsWith("Risk-adjusted net value was negative", redesign.Recommendation.Reasons.Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public void WeakerEvidenceMayNeverBeBelievedMore()
    {
        var policy = EvaluationPolicy.OrganisationDefault with { Evidence = EvidenceFactors.Default with { Guessed = 0.9m } };

        Assert.Contains(policy.Validate(), e => e.Field == "sourceFactorEstimated");
        Assert.Contains((EvaluationPolicy.OrganisationDefault with { Evidence = EvidenceFactors.Default with { Low = 0.9m } }).Validate(),
            e => e.Field == "confidenceFactorMedium");
        Assert.Empty(EvaluationPolicy.OrganisationDefault.Validate());
    }

    [Fact]
    public void TheFactorsAreTheOrganisationsAndNoUseCaseOverridesThem()
    {
        var organisation = EvaluationPolicy.OrganisationDefault.Merge(new EvaluationPolicyOverrides { SourceFactorEstimated = 0.7m });
        var useCase = Given.UseCase(u => u with { PolicyOverrides = new EvaluationPolicyOverrides { SourceFactorEstimated = 1m, StaleWindow = 5 } });

        var effective = organisation.For(useCase);

        Assert.Equal(0.7m, effective.Evidence.Estimated);
        Assert.Equal(5, effective.StaleWindow);
        Assert.DoesNotContain(PolicyParameters.Rules, p => p.Name.StartsWith("sourceFactor", StringComparison.Ordinal));
        Assert.Equal(6, PolicyParameters.OrganisationOnly.Count());
        Assert.NotNull(PolicyParameters.Find("confidenceFactorLow")!.Check(0m));
        Assert.NotNull(PolicyParameters.Find("confidenceFactorLow")!.Check(1.2m));
        Assert.Null(PolicyParameters.Find("confidenceFactorLow")!.Check(0.6m));
    }
}
