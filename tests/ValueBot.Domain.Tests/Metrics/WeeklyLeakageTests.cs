using ValueBot.Domain.Metrics;

namespace ValueBot.Domain.Tests.Metrics;

public class WeeklyLeakageTests
{
    private static WeeklyLeakage Compute(Domain.CheckIns.Answer answer, Domain.UseCases.UseCase? useCase = null)
    {
        useCase ??= Given.UseCase();
        return WeeklyLeakage.Compute(useCase, answer, WeeklyMetrics.Compute(useCase, Given.Week, answer));
    }

    [Fact]
    public void PilotThirtyPercentAgainstTenPercentInProductionLeaksTwentyPoints()
    {
        // b = 20 min, m = 2 min: observed benefit 10 % against the declared 30 %.
        var leakage = Compute(Given.Answer(a => a with { MinutesSavedPerTask = 2m }));

        Assert.Equal(0.10m, leakage.ObservedBenefit);
        Assert.Equal(0.20m, leakage.TranslationPoints);
        // 0.20 × 20 min × 100 tasks ÷ 60 × 60 EUR/h
        Assert.Equal(Given.Eur(400m), leakage.Translation);
    }

    [Fact]
    public void TranslationMoneyIsZeroWhenProductionBeatsThePilot()
    {
        var leakage = Compute(Given.Answer(a => a with { MinutesSavedPerTask = 8m }));

        Assert.Equal(-0.10m, leakage.TranslationPoints);
        Assert.Equal(Given.Eur(0m), leakage.Translation);
    }

    [Fact]
    public void TranslationIsNotDefinedWithoutBaselineMinutes()
    {
        var useCase = Given.UseCase(u => u with { Baseline = u.Baseline with { MinutesPerTask = 0m } });

        var leakage = Compute(Given.Answer(), useCase);

        Assert.Null(leakage.ObservedBenefit);
        Assert.Null(leakage.TranslationPoints);
        Assert.Equal(Given.Eur(0m), leakage.Translation);
    }

    [Fact]
    public void AdoptionLeakageIsTheGrossValueMissingAtFullTargetAdoption()
    {
        // G = 600 EUR at 5 of 10 users: another 600 EUR at full adoption.
        var leakage = Compute(Given.Answer(a => a with { ActiveUsers = 5 }));

        Assert.Equal(Given.Eur(600m), leakage.Adoption);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(12)]
    public void AdoptionLeakageIsZeroWithoutUsersOrAtFullAdoption(int activeUsers)
    {
        var leakage = Compute(Given.Answer(a => a with { ActiveUsers = activeUsers }));

        Assert.Equal(Given.Eur(0m), leakage.Adoption);
    }

    [Fact]
    public void ExecutionLeakageIsReworkPlusExceptionCost() =>
        Assert.Equal(Given.Eur(250m), Compute(Given.Answer()).Execution);

    [Fact]
    public void ControlLeakageIsRunCostAbovePlan()
    {
        // P = 1,040 × 12 ÷ 52 = 240 EUR per week; R = 300 EUR.
        Assert.Equal(Given.Eur(60m), Compute(Given.Answer()).Control);
        Assert.Equal(Given.Eur(0m), Compute(Given.Answer().WithRunCost(200m)).Control);
    }
}
