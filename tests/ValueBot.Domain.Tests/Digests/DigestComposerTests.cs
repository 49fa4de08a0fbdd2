using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Digests;
using ValueBot.Domain.Periods;
using ValueBot.Domain.Policies;
using ValueBot.Domain.StageGates;
using ValueBot.Domain.UseCases;
using static ValueBot.Domain.Tests.Given;

namespace ValueBot.Domain.Tests.Digests;

/// <summary>
/// Golden tests on a fixed portfolio (week 2026-W10), with Given's round numbers:
/// Answer() = gross 600, absorption 550, net 50 (adoption 60 %); HealthyAnswer() = gross 600, absorption 400, net 200.
/// </summary>
public sealed class DigestComposerTests
{
    private static readonly IsoWeek ThisWeek = Week;
    private static readonly PersonRef Olivia = new("aad-olivia", "Olivia Owner");
    private static readonly PersonRef Sam = new("aad-sam", "Sam Breach");
    private static readonly PersonRef Pat = new("aad-pat", "Pat Silent");

    private static UseCase Named(int n, string name, PersonRef? owner, Stage stage = Stage.Production, bool retired = false) =>
        UseCase(u => u with { Id = Guid.Parse($"00000000-0000-4000-8000-{n:D12}"), Name = name, Owner = owner, Stage = stage, Retired = retired });

    private static readonly UseCase Invoices = Named(1, "Invoice triage", Olivia);
    private static readonly UseCase Claims = Named(2, "Claims intake", Sam);
    private static readonly UseCase Contracts = Named(3, "Contract review", Pat);
    private static readonly UseCase Support = Named(4, "Support replies", Olivia);
    private static readonly UseCase Retired = Named(5, "Old pilot", Olivia, retired: true);
    private static readonly UseCase Killed = Named(6, "Killed chatbot", Sam, Stage.Stopped);
    private static readonly UseCase Fresh = Named(7, "Fresh pilot", Pat, Stage.Pilot);

    private static IReadOnlyList<PortfolioUseCase> Portfolio() =>
    [
        // Healthy, answered both weeks; this week's win is shared with leadership.
        new(Invoices, [.. History(ThisWeek.Previous(), Answer(), Answer()),
            WeekRecord.Answered(ThisWeek, HealthyAnswer() with { Win = " Cleared the month-end backlog two days early ", ShareWinWithLeadership = true })]),
        // Adoption 5 of 10 = 50 %: a stop-loss breach; the win is not for leadership.
        new(Claims, [.. History(ThisWeek, Answer(), Answer(a => a with { ActiveUsers = 5, Win = "Faster first reply", ShareWinWithLeadership = false }))]),
        // Three due check-ins missed: stale, and not reported this week.
        new(Contracts, [.. History(ThisWeek.AddWeeks(-3), Answer()), .. Statuses(ThisWeek, CheckInStatus.Missed, CheckInStatus.Missed, CheckInStatus.Missed)]),
        // Skipped this week: neither reported nor missing.
        new(Support, [.. History(ThisWeek.Previous(), Answer()), new WeekRecord(ThisWeek, CheckInStatus.Skipped, null)]),
        new(Retired, [.. History(ThisWeek, Answer())]),
        new(Killed, [.. History(ThisWeek.Previous(), Answer())]),
        // No check-in row at all this week: not reported.
        new(Fresh, []),
    ];

    private static IReadOnlyList<DigestLine> Lines() => DigestComposer.Lines(Portfolio(), ThisWeek, EvaluationPolicy.OrganisationDefault);

    [Fact]
    public void RetiredUseCasesAreLeftOut()
    {
        Assert.DoesNotContain(Lines(), l => l.Id == Retired.Id);
        Assert.Equal(6, Lines().Count);
    }

    [Fact]
    public void EachLineSaysWhetherTheWeekWasReportedSkippedOrMissing()
    {
        var lines = Lines().ToDictionary(l => l.Id);
        Assert.Equal(WeekReport.Reported, lines[Invoices.Id].Report);
        Assert.Equal(WeekReport.Reported, lines[Claims.Id].Report);
        Assert.Equal(WeekReport.NotReported, lines[Contracts.Id].Report);
        Assert.Equal(WeekReport.Skipped, lines[Support.Id].Report);
        Assert.Equal(WeekReport.NotReported, lines[Fresh.Id].Report);
    }

    [Theory]
    [InlineData(CheckInStatus.Missed, WeekReport.NotReported)]
    [InlineData(CheckInStatus.Undeliverable, WeekReport.NotReported)]
    [InlineData(CheckInStatus.Sent, WeekReport.NotReported)]
    [InlineData(CheckInStatus.Scheduled, WeekReport.NotReported)]
    [InlineData(CheckInStatus.Skipped, WeekReport.Skipped)]
    public void EveryStatusButAnsweredAndSkippedMeansNotReported(CheckInStatus status, WeekReport expected)
    {
        Assert.Equal(expected, DigestComposer.ReportOf(new WeekRecord(ThisWeek, status, null)));
        Assert.Equal(WeekReport.NotReported, DigestComposer.ReportOf(null));
    }

    [Fact]
    public void TheThreeFiguresCarryTheirWeekOverWeekChange()
    {
        var line = Lines().Single(l => l.Id == Invoices.Id);
        Assert.Equal(Eur(600m), line.Gross.Current);
        Assert.Equal(Eur(0m), line.Gross.Change);
        Assert.Equal(Eur(400m), line.Absorption.Current);
        Assert.Equal(Eur(-150m), line.Absorption.Change);
        Assert.Equal(Eur(200m), line.Net.Current);
        Assert.Equal(Eur(50m), line.Net.Previous);
        Assert.Equal(Eur(150m), line.Net.Change);

        // No answer last week: the change is not defined, never read as zero.
        var support = Lines().Single(l => l.Id == Support.Id);
        Assert.Null(support.Net.Current);
        Assert.Null(support.Net.Change);
    }

    [Fact]
    public void TheTrendHoldsThirteenWeeksEndingWithTheDigestWeekAndNoDataAsNull()
    {
        var line = Lines().Single(l => l.Id == Invoices.Id);
        Assert.Equal(13, line.NetValueTrend.Count);
        Assert.Equal(Eur(200m), line.NetValueTrend[^1]);
        Assert.Equal(Eur(50m), line.NetValueTrend[^2]);
        Assert.Null(line.NetValueTrend[^4]);
    }

    [Fact]
    public void LeadershipDigestShowsSharedWinsBreachesStalledAndWhoHasNotReported()
    {
        var digest = DigestComposer.ForLeadership(Lines(), ThisWeek, new HashSet<Guid>());

        var win = Assert.Single(digest.Wins);
        Assert.Equal(Invoices.Id, win.UseCase.Id);
        Assert.Equal("Cleared the month-end backlog two days early", win.Story);
        Assert.Equal(Eur(200m), win.Metrics.NetValue);

        var breach = Assert.Single(digest.Breaches);
        Assert.Equal(Claims.Id, breach.Line.Id);
        Assert.Equal(["Adoption 50 % is below the 60 % minimum"], breach.Reasons);

        var stalled = Assert.Single(digest.Stalled);
        Assert.Equal(Contracts.Id, stalled.Line.Id);
        Assert.Contains("check-in", stalled.Reasons.Single(), StringComparison.OrdinalIgnoreCase);

        // Pat owns both unreported use cases; Olivia skipped (not missing); the stopped one is not expected to report.
        var missing = Assert.Single(digest.NotReported);
        Assert.Equal(Pat, missing.Owner);
        Assert.Equal([Contracts.Id, Fresh.Id], missing.UseCases.Select(l => l.Id).Order().ToList());
    }

    [Fact]
    public void LeadershipDigestTotalsTheMeasuredPortfolioPerStageAndPerCurrency()
    {
        var digest = DigestComposer.ForLeadership(Lines(), ThisWeek, new HashSet<Guid>());

        Assert.Equal(5, digest.MeasuredUseCases);
        Assert.Equal(1, digest.ByStage[Stage.Stopped]);
        Assert.Equal(1, digest.ByStage[Stage.Pilot]);
        Assert.Equal(4, digest.ByStage[Stage.Production]);
        // This week: Invoices 600/400/200 + Claims 600/550/50.
        Assert.Equal(Eur(1200m), digest.ThisWeek.Gross.In("EUR"));
        Assert.Equal(Eur(950m), digest.ThisWeek.Absorption.In("EUR"));
        Assert.Equal(Eur(250m), digest.ThisWeek.Net.In("EUR"));
        // 90 days: Invoices 50+50+200, Claims 50+50, Contracts 50, Support 50 (the stopped one is not measured).
        Assert.Equal(Eur(500m), digest.NinetyDays.Net.In("EUR"));
        Assert.Equal(Eur(250m), digest.Trend[^1].Net.In("EUR"));
    }

    [Fact]
    public void AStopDecisionThisWeekIsShownAsAHealthyKill()
    {
        var digest = DigestComposer.ForLeadership(Lines(), ThisWeek, new HashSet<Guid> { Killed.Id });

        var stopped = Assert.Single(digest.Stopped);
        Assert.Equal(Killed.Id, stopped.Line.Id);
        Assert.Contains("Stopped this week", stopped.Reasons.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void ManagerDigestRanksBreachesFirstAndKeepsEveryWinOfTheReports()
    {
        var lines = Lines().Where(l => l.UseCase.Owner == Sam || l.UseCase.Owner == Olivia || l.UseCase.Owner == Pat).ToList();
        var digest = DigestComposer.ForManager(new PersonRef("aad-boss", "Bea Boss"), lines, ThisWeek);

        Assert.Equal(Claims.Id, digest.UseCases[0].Id); // breached
        Assert.Equal(Contracts.Id, digest.UseCases[1].Id); // stalled
        Assert.DoesNotContain(digest.UseCases, l => l.Id == Killed.Id); // stopped: not measured
        Assert.Equal([Invoices.Id, Claims.Id], digest.Wins.Select(w => w.UseCase.Id).ToList()); // biggest net value first
        Assert.Equal(2, digest.Reported);
        Assert.Equal(2, digest.NotReported);
    }

    [Fact]
    public void MonthlyReviewSumsTheWeeksThatStartInTheMonthWithTheLeakage()
    {
        // March 2026: ISO weeks 10–14 start on 2, 9, 16, 23 and 30 March. 2026-W09 (23 Feb) is February's.
        var useCase = Named(8, "Monthly", Olivia);
        var history = History(IsoWeek.Create(2026, 14), Answer(), Answer(), Answer(), Answer(), Answer(), Answer());
        var review = DigestComposer.Monthly([new PortfolioUseCase(useCase, history), new PortfolioUseCase(Fresh, [])], new DateOnly(2026, 3, 17));

        Assert.Equal(IsoWeek.Create(2026, 10), review.FirstWeek);
        Assert.Equal(IsoWeek.Create(2026, 14), review.LastWeek);
        var row = Assert.Single(review.UseCases);
        Assert.Equal(5, row.AnsweredWeeks);
        Assert.Equal(Eur(3000m), row.Gross);
        Assert.Equal(Eur(2750m), row.Absorption);
        Assert.Equal(Eur(250m), row.Net);
        Assert.Equal(Eur(250m), review.Portfolio.Net.In("EUR"));
        // Execution leakage = rework 100 + exceptions 150 per week; control = run cost 300 above the 240 plan.
        Assert.Equal(Eur(1250m), review.Execution.In("EUR"));
        Assert.Equal(Eur(300m), review.Control.In("EUR"));
        Assert.Equal(1, review.WithoutData);
    }

    [Fact]
    public void QuarterlyReviewPutsTheHardestDecisionsFirst()
    {
        var review = DigestComposer.Quarterly(Lines(), ThisWeek);

        Assert.DoesNotContain(review.UseCases, l => l.Id == Killed.Id);
        var order = review.UseCases.Select(l => l.Evaluation.Recommendation.Recommendation).ToList();
        Assert.Equal(order.OrderBy(r => r switch { Recommendation.Stop => 0, Recommendation.Redesign => 1, Recommendation.Hold => 2, _ => 3 }).ToList(), order);
    }

    [Fact]
    public void RecentWinsAreNewestFirstAndCanBeFiltered()
    {
        var wins = DigestComposer.RecentWins(Portfolio(), ThisWeek.AddWeeks(-3), ThisWeek);
        Assert.Equal(2, wins.Count);
        Assert.Equal(Invoices.Id, wins[0].UseCase.Id);

        var shared = DigestComposer.RecentWins(Portfolio(), ThisWeek.AddWeeks(-3), ThisWeek, (_, a) => a.ShareWinWithLeadership);
        Assert.Equal(Invoices.Id, Assert.Single(shared).UseCase.Id);
    }

    [Fact]
    public void MoneyTotalsNeverAddAcrossCurrencies()
    {
        var totals = new MoneyTotals();
        totals.Add(Eur(10m));
        totals.Add(new ValueBot.Domain.Common.Money(5m, "USD"));
        totals.Add(Eur(2.5m));
        totals.Add(null);

        Assert.Equal([Eur(12.5m), new ValueBot.Domain.Common.Money(5m, "USD")], totals.Amounts);
        Assert.Equal("12.50 EUR + 5.00 USD", totals.ToString());
        Assert.Equal("–", new MoneyTotals().ToString());
    }
}
