using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Tests.UseCases;

public class UseCaseChangesTests
{
    [Fact]
    public void ListsEachChangedFieldWithOldAndNewValue()
    {
        var before = Given.UseCase();
        var after = before with { Stage = Stage.Production, Owner = null, DeclaredPilotBenefit = 0.25m };

        var changes = UseCaseChanges.Between(before, after);

        Assert.Equal(
        [
            new FieldChange("stage", "Pilot", "Production"),
            new FieldChange("owner", "Olivia Owner (aad-owner)", null),
            new FieldChange("declaredPilotBenefit", "0.3", "0.25"),
        ], changes);
    }

    [Fact]
    public void ReportsNothingWhenNothingChanged() =>
        Assert.Empty(UseCaseChanges.Between(Given.UseCase(), Given.UseCase()));
}
