using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Metrics;

namespace ValueBot.Domain.Tests.Metrics;

public class CheckInComplianceTests
{
    [Fact]
    public void IsAnsweredOverDueWithSkippedWeeksNeither()
    {
        var compliance = CheckInCompliance.Of(
        [
            CheckInStatus.Answered, CheckInStatus.Answered, CheckInStatus.Answered,
            CheckInStatus.Missed, CheckInStatus.Skipped, CheckInStatus.Skipped,
        ]);

        Assert.Equal(new CheckInCompliance(3, 4), compliance);
        Assert.Equal(0.75m, compliance.Rate);
    }

    [Fact]
    public void UndeliverableCheckInsAreDueButNotAnswered()
    {
        Assert.Equal(new CheckInCompliance(0, 1), CheckInCompliance.Of([CheckInStatus.Undeliverable]));
    }

    [Fact]
    public void OpenCheckInsAreNotYetDue()
    {
        Assert.Equal(CheckInCompliance.None, CheckInCompliance.Of([CheckInStatus.Scheduled, CheckInStatus.Sent]));
    }

    [Fact]
    public void RateIsNotDefinedWhenNothingWasDue()
    {
        Assert.Null(CheckInCompliance.Of([CheckInStatus.Skipped]).Rate);
    }

    [Fact]
    public void CombinesAcrossUseCasesOfOneOwner()
    {
        Assert.Equal(new CheckInCompliance(3, 5), new CheckInCompliance(1, 2) + new CheckInCompliance(2, 3));
    }
}
