using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Periods;

namespace ValueBot.Domain.Tests.Evidence;

/// <summary>DOMAIN.md "Evidence", manager confirmation: monthly, in the manager digest, per adoption figure, one click.</summary>
public class ManagerConfirmationTests
{
    private static readonly DateOnly March = new(2026, 3, 1);

    private static GivenVerdict Verdict(IsoWeek figureWeek, AdoptionVerdict verdict, DateTimeOffset at, bool stands = true) =>
        new(figureWeek, verdict, "aad-mia", "Mia Manager", at, stands);

    [Theory]
    // March 2026 starts on a Sunday: its weeks are W10 (Monday 2 March) to W14 (Monday 30 March), as the monthly review counts them.
    [InlineData("2026-W09", "2026-02-01")]
    [InlineData("2026-W10", "2026-03-01")]
    [InlineData("2026-W14", "2026-03-01")]
    [InlineData("2026-W15", "2026-04-01")]
    // 2026-W01 starts on Monday 29 December 2025: it belongs to December's confirmation.
    [InlineData("2026-W01", "2025-12-01")]
    public void AWeekBelongsToTheMonthItsMondayFallsIn(string week, string month)
    {
        Assert.Equal(DateOnly.Parse(month, System.Globalization.CultureInfo.InvariantCulture), ManagerConfirmation.MonthOf(IsoWeek.Parse(week)));
    }

    [Fact]
    public void TheFirstWeekOfAMonthIsTheWeekOfItsFirstMonday()
    {
        Assert.Equal(IsoWeek.Parse("2026-W10"), ManagerConfirmation.FirstWeekOf(March));
        // June 2026 starts on a Monday.
        Assert.Equal(IsoWeek.Parse("2026-W23"), ManagerConfirmation.FirstWeekOf(new DateOnly(2026, 6, 1)));
    }

    [Theory]
    [InlineData("2026-W11", "2026-W11", true)]
    [InlineData("2026-W11", "2026-W14", true)]
    [InlineData("2026-W14", "2026-W15", false)]
    [InlineData("2026-W09", "2026-W10", false)]
    [InlineData("2026-W12", "2026-W11", false)]
    public void ACardRecordsAVerdictOnlyInTheMonthItAskedFor(string cardWeek, string currentWeek, bool open)
    {
        Assert.Equal(open, ManagerConfirmation.IsOpen(IsoWeek.Parse(cardWeek), IsoWeek.Parse(currentWeek)));
    }

    [Fact]
    public void TheFigureIsTheLatestAnsweredWeeksActiveUsersOfTheTargetUsers()
    {
        // W09 answered 6 of 10, W10 8 of 10, W11 missed: the figure is W10's, 8 ÷ 10 = 80 %.
        var history = new[]
        {
            WeekRecord.Answered(Given.Week.Previous(), Given.Answer()),
            WeekRecord.Answered(Given.Week, Given.HealthyAnswer()),
            new WeekRecord(Given.Week.Next(), CheckInStatus.Missed, null),
        };

        var figure = ManagerConfirmation.FigureOf(Given.UseCase(), history, Given.Week.Next());

        Assert.Equal(new AdoptionFigure(Given.Week, 8, 10), figure);
        Assert.Equal(0.8m, figure!.Adoption);
        Assert.Equal(new AdoptionFigure(Given.Week.Previous(), 6, 10), ManagerConfirmation.FigureOf(Given.UseCase(), history, Given.Week.Previous()));
        Assert.Null(ManagerConfirmation.FigureOf(Given.UseCase(), [new WeekRecord(Given.Week, CheckInStatus.Missed, null)], Given.Week));
    }

    [Fact]
    public void WithoutAVerdictThisMonthTheFigureIsOpen()
    {
        var figure = new AdoptionFigure(IsoWeek.Parse("2026-W11"), 80, 100);
        // Confirmed on Friday 27 February (W09, February's): it does not count for March.
        var february = Verdict(IsoWeek.Parse("2026-W09"), AdoptionVerdict.Confirmed, new DateTimeOffset(2026, 2, 27, 15, 0, 0, TimeSpan.Zero));

        Assert.Equal(ConfirmationState.Open, ManagerConfirmation.Ask(figure, null, March)!.State);
        Assert.Equal(ConfirmationState.Open, ManagerConfirmation.Ask(figure, february, March)!.State);
        Assert.True(ManagerConfirmation.Ask(figure, february, March)!.TakesVerdict);
        Assert.Null(ManagerConfirmation.Ask(null, null, March));
    }

    [Fact]
    public void AVerdictOnTheFigureShownIsShownAndMayBeChanged()
    {
        var week = IsoWeek.Parse("2026-W11");
        var figure = new AdoptionFigure(week, 80, 100);
        var friday = new DateTimeOffset(2026, 3, 13, 15, 30, 0, TimeSpan.Zero);

        var confirmed = ManagerConfirmation.Ask(figure, Verdict(week, AdoptionVerdict.Confirmed, friday), March)!;
        var disputed = ManagerConfirmation.Ask(figure, Verdict(week, AdoptionVerdict.Disputed, friday), March)!;
        // Given on Thursday 2 April, in W14 (Monday 30 March): still March's confirmation.
        var lateInW14 = ManagerConfirmation.Ask(figure, Verdict(week, AdoptionVerdict.Confirmed, new DateTimeOffset(2026, 4, 2, 9, 0, 0, TimeSpan.Zero)), March)!;

        Assert.Equal((ConfirmationState.Confirmed, true), (confirmed.State, confirmed.TakesVerdict));
        Assert.Equal((ConfirmationState.Disputed, true), (disputed.State, disputed.TakesVerdict));
        Assert.Equal(ConfirmationState.Confirmed, lateInW14.State);
    }

    [Fact]
    public void AfterAConfirmationTheMonthIsDoneButAfterADisputeTheOwnersNewAnswerIsOpenAgain()
    {
        var w10 = IsoWeek.Parse("2026-W10");
        var figure = new AdoptionFigure(IsoWeek.Parse("2026-W11"), 70, 100);
        var friday = new DateTimeOffset(2026, 3, 6, 15, 30, 0, TimeSpan.Zero);

        var afterConfirmation = ManagerConfirmation.Ask(figure, Verdict(w10, AdoptionVerdict.Confirmed, friday), March)!;
        var afterDispute = ManagerConfirmation.Ask(figure, Verdict(w10, AdoptionVerdict.Disputed, friday), March)!;
        // The owner answered W11 again after a dispute of W11 itself: the verdict no longer stands, the new answer is open.
        var reanswered = ManagerConfirmation.Ask(figure, Verdict(figure.Week, AdoptionVerdict.Disputed, friday, stands: false), March)!;

        Assert.Equal((ConfirmationState.ConfirmedEarlierAnswer, false), (afterConfirmation.State, afterConfirmation.TakesVerdict));
        Assert.Equal((ConfirmationState.Open, true), (afterDispute.State, afterDispute.TakesVerdict));
        Assert.Equal(ConfirmationState.Open, reanswered.State);
    }
}
