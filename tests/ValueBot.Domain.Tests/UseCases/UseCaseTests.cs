using ValueBot.Domain.Common;
using ValueBot.Domain.Policies;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Tests.UseCases;

public class UseCaseTests
{
    private static IEnumerable<string> Fields(UseCase useCase) => useCase.Validate().Select(e => e.Field);

    [Fact]
    public void AWellFormedUseCaseHasNoErrors() => Assert.Empty(Given.UseCase().Validate());

    [Fact]
    public void DefaultsToTheDocumentedScheduleAndThresholds()
    {
        var useCase = Given.UseCase();

        Assert.Equal(new CheckInSchedule(DayOfWeek.Monday, new TimeOnly(9, 0)), useCase.CheckInSchedule);
        Assert.Equal(new StopLossThresholds(0.15m, 0.60m, null), StopLossThresholds.Default);
        Assert.Equal(Stage.Pilot, useCase.Stage);
        Assert.False(useCase.Retired);
    }

    [Fact]
    public void PlannedWeeklyRunCostIsTheMonthlyPlanTimesTwelveOverFiftyTwo() =>
        Assert.Equal(Given.Eur(240m), Given.UseCase().PlannedRunCostPerWeek);

    [Fact]
    public void RequiresAName()
    {
        var errors = Given.UseCase(u => u with { Name = " " }).Validate();

        Assert.Equal(new FieldError("name", "Give the use case a name."), Assert.Single(errors));
    }

    [Fact]
    public void FractionsMustLieBetweenZeroAndOne()
    {
        var useCase = Given.UseCase(u => u with
        {
            DeclaredPilotBenefit = 1.3m,
            Baseline = u.Baseline with { ReworkRateBeforeAi = -0.1m },
            PolicyOverrides = new EvaluationPolicyOverrides { MaxReworkRate = 15m },
        });

        Assert.Equal(["baseline.reworkRateBeforeAi", "declaredPilotBenefit", "stopLoss.maxReworkRate"], Fields(useCase));
        Assert.Contains(useCase.Validate(), e => e.Message == "Declared pilot benefit must be between 0 % and 100 %.");
    }

    [Fact]
    public void NumbersMustNotBeNegative()
    {
        var useCase = Given.UseCase(u => u with
        {
            Baseline = u.Baseline with { MinutesPerTask = -1m, HourlyCost = Given.Eur(-60m) },
            PlannedRunCostPerMonth = Given.Eur(-1m),
        });

        Assert.Equal(["baseline.minutesPerTask", "baseline.hourlyCost", "plannedRunCostPerMonth"], Fields(useCase));
    }

    [Fact]
    public void NeedsAtLeastOneTargetUser() =>
        Assert.Equal(["targetUsers"], Fields(Given.UseCase(u => u with { TargetUsers = 0 })));

    [Fact]
    public void AllMoneyIsInOneCurrency()
    {
        var errors = Given.UseCase(u => u with { PlannedRunCostPerMonth = new Money(100m, "USD") }).Validate();

        Assert.Equal("The planned run cost must be in EUR, the currency of the hourly cost.", Assert.Single(errors).Message);
    }

    [Fact]
    public void TheDelegateCannotBeTheOwner()
    {
        var useCase = Given.UseCase(u => u with { Delegate = new PersonRef("AAD-OWNER", "Olivia again") });

        Assert.Equal(["delegate"], Fields(useCase));
    }

    [Fact]
    public void AUseCaseWithoutOwnerIsValidButUnaccountable() =>
        Assert.Empty(Given.UseCase(u => u with { Owner = null }).Validate());

    [Fact]
    public void ValidatesPolicyOverrides()
    {
        var useCase = Given.UseCase(u => u with { PolicyOverrides = new EvaluationPolicyOverrides { StaleWindow = 0 } });

        Assert.Equal(["rules.staleWindow"], Fields(useCase));
    }
}
