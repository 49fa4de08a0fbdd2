using ValueBot.Domain.Policies;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Tests.Policies;

public class EvaluationPolicyTests
{
    [Fact]
    public void OrganisationDefaultsAreTheDocumentedOnes()
    {
        var policy = EvaluationPolicy.OrganisationDefault;

        Assert.Equal(StopLossThresholds.Default, policy.StopLoss);
        Assert.Equal(13, policy.RollingWindowWeeks);
        Assert.Equal(1.2m, policy.CostDriftFactor);
        Assert.Equal(3, policy.StaleWindow);
        Assert.Equal(8, policy.ScaleMinAnsweredWeeks);
        Assert.Equal(12, policy.ScaleWindowWeeks);
        Assert.Equal(0.75m, policy.ScaleMinCompliance);
        Assert.Empty(policy.Validate());
    }

    [Fact]
    public void OverridesReplaceOnlyTheValuesTheySet()
    {
        var organisation = EvaluationPolicy.OrganisationDefault with { CostDriftFactor = 1.5m, StaleWindow = 4 };

        var merged = organisation.Merge(new EvaluationPolicyOverrides { StaleWindow = 2, MinAdoption = 0.4m });

        Assert.Equal(1.5m, merged.CostDriftFactor);
        Assert.Equal(2, merged.StaleWindow);
        Assert.Equal(new StopLossThresholds(0.15m, 0.4m, null), merged.StopLoss);
    }

    [Fact]
    public void AUseCasesOwnThresholdsReplaceTheOrganisationsThenItsOverridesApply()
    {
        var useCase = Given.UseCase(u => u with
        {
            StopLoss = new StopLossThresholds(0.10m, 0.50m, 0.2m),
            PolicyOverrides = new EvaluationPolicyOverrides { MaxReworkRate = 0.12m },
        });

        var policy = EvaluationPolicy.OrganisationDefault.For(useCase);

        Assert.Equal(new StopLossThresholds(0.12m, 0.50m, 0.2m), policy.StopLoss);
    }

    [Fact]
    public void WithoutOwnThresholdsAUseCaseGetsTheOrganisations()
    {
        var organisation = EvaluationPolicy.OrganisationDefault with { StopLoss = new StopLossThresholds(0.2m, 0.5m) };

        Assert.Equal(organisation.StopLoss, organisation.For(Given.UseCase()).StopLoss);
    }

    [Fact]
    public void RefusesAScaleRequirementLargerThanItsWindow()
    {
        var policy = EvaluationPolicy.OrganisationDefault with { ScaleMinAnsweredWeeks = 13 };

        Assert.Equal("scaleMinAnsweredWeeks", Assert.Single(policy.Validate()).Field);
    }
}
