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
    public void AUseCaseGetsTheOrganisationsPolicyWithItsOwnValuesOnTop()
    {
        var organisation = EvaluationPolicy.OrganisationDefault with
        {
            StopLoss = new StopLossThresholds(0.20m, 0.50m, 0.30m),
            CostDriftFactor = 1.5m,
            ScaleWindowWeeks = 10,
        };
        var useCase = Given.UseCase(u => u with
        {
            PolicyOverrides = new EvaluationPolicyOverrides { MaxReworkRate = 0.12m, CostDriftFactor = 1.1m, StaleWindow = 5 },
        });

        var policy = organisation.For(useCase);

        Assert.Equal(new StopLossThresholds(0.12m, 0.50m, 0.30m), policy.StopLoss);
        Assert.Equal(1.1m, policy.CostDriftFactor);
        Assert.Equal(5, policy.StaleWindow);
        Assert.Equal(10, policy.ScaleWindowWeeks);
        Assert.Equal(EvaluationPolicy.OrganisationDefault.RedesignBreachWeeks, policy.RedesignBreachWeeks);
    }

    [Fact]
    public void EveryParameterReadsAndWritesItsOwnValueAndMergesIntoThePolicy()
    {
        var seen = new HashSet<decimal?>();
        foreach (var (parameter, i) in PolicyParameters.All.Select((p, i) => (p, i)))
        {
            // A value unlike the default and unlike every other parameter's, valid for its kind.
            var value = parameter.Kind switch
            {
                PolicyParameterKind.Share => 0.01m * (i + 1),
                PolicyParameterKind.Factor => 1m + 0.01m * (i + 1),
                PolicyParameterKind.Discount => 0.01m * (i + 1),
                _ => 20m + i,
            };
            Assert.Null(parameter.Check(value));
            var overrides = parameter.With(EvaluationPolicyOverrides.None, value);

            Assert.Equal(value, parameter.Get(overrides));
            Assert.Equal(value, parameter.Of(EvaluationPolicy.OrganisationDefault.Merge(overrides)));
            Assert.All(PolicyParameters.All.Where(p => p != parameter), p => Assert.Null(p.Get(overrides)));
            Assert.True(seen.Add(value));
        }

        Assert.Equal(31, PolicyParameters.All.Count);
        Assert.Equal(PolicyParameters.All.Count, PolicyParameters.All.Select(p => p.Name).Distinct().Count());
    }

    [Fact]
    public void ChecksEachKindOfValue()
    {
        Assert.NotNull(PolicyParameters.Find("maxReworkRate")!.Check(1.5m));
        Assert.NotNull(PolicyParameters.Find("costDriftFactor")!.Check(0.9m));
        Assert.NotNull(PolicyParameters.Find("staleWindow")!.Check(2.5m));
        Assert.NotNull(PolicyParameters.Find("staleWindow")!.Check(0m));
        Assert.Null(PolicyParameters.Find("STALEWINDOW")!.Check(3m));
        Assert.Equal(["stopLoss.minAdoption", "rules.costDriftFactor"],
            PolicyParameters.Check(new EvaluationPolicyOverrides { MinAdoption = -0.1m, CostDriftFactor = 0.5m, StaleWindow = 2 }).Select(e => e.Field));
    }

    [Fact]
    public void NoOverridesAtAllLeaveThePolicyAsItIs()
    {
        var organisation = EvaluationPolicy.OrganisationDefault with { StaleWindow = 6 };

        Assert.Same(organisation, organisation.For(Given.UseCase(u => u with { PolicyOverrides = null })));
        Assert.Equal(organisation, organisation.Merge(EvaluationPolicyOverrides.None));
        Assert.True(EvaluationPolicyOverrides.None.IsEmpty);
        Assert.False(new EvaluationPolicyOverrides { StaleWindow = 6 }.IsEmpty);
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
