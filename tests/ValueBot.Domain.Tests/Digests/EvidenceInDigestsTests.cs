using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Digests;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Periods;
using ValueBot.Domain.Policies;
using ValueBot.Domain.UseCases;
using ValueBot.Domain.Warnings;
using static ValueBot.Domain.Tests.Given;

namespace ValueBot.Domain.Tests.Digests;

/// <summary>
/// DOMAIN.md "Evidence" in the digests and reviews: the risk-adjusted net beside the reported one (organisation factors,
/// rounded per week so totals add up), the measured share, figures in doubt, and where the freed time went.
/// </summary>
public sealed class EvidenceInDigestsTests
{
    private static UseCase Named(int n, string name) =>
        UseCase(u => u with { Id = Guid.Parse($"00000000-0000-4000-8000-{n:D12}"), Name = name });

    /// <summary>
    /// T = 7, m = 1.43, h = 60 → G = 10.01; no rework, no exceptions, run cost 1.00 → absorption 1.00, net 9.01.
    /// Estimated, medium (s × k = 0.68): G′ = 6.8068 → 6.81, adjusted net 5.81.
    /// </summary>
    private static Answer Small() => Answer(a => a with
    {
        Tasks = 7,
        MinutesSavedPerTask = 1.43m,
        ReworkShare = 0m,
        Exceptions = 0,
        MinutesSavedEvidence = EvidenceGrade.Unstated,
    }).WithRunCost(1m);

    [Fact]
    public void TheRiskAdjustedNetIsSummedFromRoundedWeeksLikeTheReportedNet()
    {
        var useCase = Named(1, "Invoice triage");
        var lines = DigestComposer.Lines([new PortfolioUseCase(useCase, History(Week, Small(), Small()))], Week, EvaluationPolicy.OrganisationDefault);
        var digest = DigestComposer.ForLeadership(lines, Week, new HashSet<Guid>());

        Assert.Equal(Eur(9.01m), digest.ThisWeek.Net.In("EUR"));
        Assert.Equal(Eur(5.81m), digest.ThisWeek.AdjustedNet.In("EUR"));
        // 2 × 5.81 = 11.62: the sum of the rounded weeks, not 20.02 × 0.68 − 2.00 = 11.61 rounded once.
        Assert.Equal(Eur(11.62m), digest.NinetyDays.AdjustedNet.In("EUR"));
        Assert.Equal(Eur(18.02m), digest.NinetyDays.Net.In("EUR"));
        Assert.Equal([Eur(5.81m), Eur(5.81m)], digest.Trend.TakeLast(2).Select(p => p.AdjustedNet.In("EUR")!.Value));
        Assert.Equal(Eur(5.81m), lines[0].AdjustedNet.Current);
        Assert.Equal(Eur(0m), lines[0].AdjustedNet.Change);
    }

    [Fact]
    public void TheOrganisationsFactorsPriceEveryWeekOfTheDigest()
    {
        var useCase = Named(1, "Invoice triage");
        var policy = EvaluationPolicy.OrganisationDefault with { Evidence = EvidenceFactors.Default with { Estimated = 0.5m, Medium = 1.0m } };
        var lines = DigestComposer.Lines([new PortfolioUseCase(useCase, History(Week, Small()))], Week, policy);

        // G′ = 10.01 × 0.5 × 1.0 = 5.005 → 5.01 (half away from zero); adjusted net 4.01.
        Assert.Equal(Eur(4.01m), lines[0].ThisWeek!.AdjustedNetValue);
        Assert.Equal(Eur(4.01m), lines[0].AdjustedNetValueTrend[^1]);
        Assert.Equal(Eur(4.01m), lines[0].Evaluation.Rolling.AdjustedNetValue);
    }

    [Fact]
    public void TheMeasuredShareIsTheGrossValueRestingOnMeasuredMinutes()
    {
        // Both weeks gross 600; one measured, one estimated → 50 % measured.
        var lines = DigestComposer.Lines(
        [
            new PortfolioUseCase(Named(1, "Measured"), History(Week, Answer())),
            new PortfolioUseCase(Named(2, "Estimated"), History(Week, Answer(a => a with { MinutesSavedEvidence = EvidenceGrade.Unstated }))),
        ], Week, EvaluationPolicy.OrganisationDefault);
        var digest = DigestComposer.ForLeadership(lines, Week, new HashSet<Guid>());

        Assert.Equal(0.5m, digest.NinetyDays.MeasuredShare("EUR"));
        Assert.Equal(0.5m, digest.ThisWeek.MeasuredShare("EUR"));
        Assert.Null(digest.NinetyDays.MeasuredShare("USD"));
    }

    [Fact]
    public void DisputedFiguresUnconfirmedOutliersAndReportedNotMeasuredAreFiguresInDoubt()
    {
        var disputed = Named(1, "Disputed");
        var outlier = Named(2, "Outlier");
        var gap = Named(3, "Gap");
        var clean = Named(4, "Clean");
        var lines = DigestComposer.Lines(
        [
            new PortfolioUseCase(disputed, [WeekRecord.Answered(Week, Answer()) with { Review = new ManagerReview(AdoptionVerdict.Disputed, "Mia Manager") }]),
            new PortfolioUseCase(outlier, [WeekRecord.Answered(Week, Answer(a => a with { Outliers = [new Outlier(Outlier.AllRework, "Rework is 100 %.")] }))]),
            // Reported 6 of 10 (60 %), measured 2 (20 %): 40 points apart.
            new PortfolioUseCase(gap, [WeekRecord.Answered(Week, Answer()) with { Measured = new MeasuredUsage(2, 10, false, 40) }]),
            new PortfolioUseCase(clean, [WeekRecord.Answered(Week, Answer()) with { Review = new ManagerReview(AdoptionVerdict.Confirmed, "Mia Manager") }]),
        ], Week, EvaluationPolicy.OrganisationDefault);

        var doubtful = DigestComposer.ForLeadership(lines, Week, new HashSet<Guid>()).Doubtful;

        Assert.Equal(["Disputed", "Gap", "Outlier"], doubtful.Select(d => d.Line.UseCase.Name));
        Assert.Contains("Mia Manager disputed the adoption figure", Assert.Single(doubtful[0].Reasons), StringComparison.Ordinal);
        Assert.Contains("a gap of 40 points", Assert.Single(doubtful[1].Reasons), StringComparison.Ordinal);
        Assert.Contains("unconfirmed outlier", Assert.Single(doubtful[2].Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void TheMonthlyReviewSaysWhereTheFreedTimeWentAndWhoseSavingsBringNoRelief()
    {
        // March 2026: ISO weeks W10 to W14. Answer() frees T × m ÷ 60 = 100 × 6 ÷ 60 = 10 hours; 200 tasks free 20.
        var first = IsoWeek.Create(2026, 11);
        Answer Freed(FreedTime where, int tasks = 100, EvidenceGrade? grade = null) =>
            Answer(a => a with { FreedTime = where, Tasks = tasks, MinutesSavedEvidence = grade ?? EvidenceGrade.MeasuredHigh });
        var absorbing = Named(1, "Absorbing");
        var relieving = Named(2, "Relieving");
        var estimated = EvidenceGrade.Unstated;
        var portfolio = new[]
        {
            // 10 h capacity, 10 h absorbed, 20 h absorbed, 10 h redeployed: 30 of 50 stated hours absorbed = 60 % ≥ 50 %.
            new PortfolioUseCase(absorbing, History(first.AddWeeks(3),
                Freed(FreedTime.Capacity), Freed(FreedTime.Absorbed), Freed(FreedTime.Absorbed, 200), Freed(FreedTime.Redeployed))),
            // 10 h absorbed, 20 h capacity, 10 h not said: 10 of 30 stated = 33 %, no warning.
            new PortfolioUseCase(relieving, History(first.AddWeeks(3),
                Freed(FreedTime.Absorbed, grade: estimated), Freed(FreedTime.Capacity, grade: estimated),
                Freed(FreedTime.Capacity, grade: estimated), Freed(FreedTime.NotSaid, grade: estimated))),
        };

        var review = DigestComposer.Monthly(portfolio, new DateOnly(2026, 3, 1), EvaluationPolicy.OrganisationDefault);

        // Portfolio: capacity 30 h, redeployed 10 h, absorbed 40 h of 80 stated; 10 h not said.
        Assert.Equal(new FreedTimeSummary(30m, 10m, 40m, 10m), review.FreedTime);
        Assert.Equal(0.375m, review.FreedTime.CapacityShare);
        Assert.Equal(0.125m, review.FreedTime.RedeployedShare);
        Assert.Equal(0.5m, review.FreedTime.AbsorbedShare);
        var noRelief = Assert.Single(review.WithoutRelief);
        Assert.Equal((absorbing.Id, 0.6m, 4), (noRelief.UseCase.Id, noRelief.AbsorbedShare, noRelief.Weeks));
        // The evaluator fires the same rule on the same weeks.
        Assert.Contains(DigestComposer.Line(portfolio[0], first.AddWeeks(3), EvaluationPolicy.OrganisationDefault).OtherWarnings,
            w => w.RuleId == EarlyWarnings.SavingsWithoutReliefId);

        // Relieving is estimated, medium: each week's G = 600 is believed as 408, absorption 550 → adjusted net −142
        // (reported net 50): 4 weeks → −568 beside 200.
        var row = review.UseCases.Single(r => r.UseCase.Id == relieving.Id);
        Assert.Equal((Eur(200m), Eur(-568m)), (row.Net!.Value, row.AdjustedNet!.Value));
        Assert.Equal(review.UseCases.Sum(r => r.AdjustedNet!.Value.Amount), review.Portfolio.AdjustedNet.In("EUR")!.Value.Amount);
    }

    [Fact]
    public void AnOrganisationThatAllowsMoreAbsorbedTimeSeesNoWarningInTheReview()
    {
        var first = IsoWeek.Create(2026, 11);
        var answers = new[] { FreedTime.Absorbed, FreedTime.Absorbed, FreedTime.Capacity, FreedTime.Redeployed }
            .Select(f => Answer(a => a with { FreedTime = f })).ToArray();
        var portfolio = new[] { new PortfolioUseCase(Named(1, "Half absorbed"), History(first.AddWeeks(3), answers)) };

        // Exactly 50 %: fires at the default limit, not at 60 %.
        Assert.Single(DigestComposer.Monthly(portfolio, new DateOnly(2026, 3, 1), EvaluationPolicy.OrganisationDefault).WithoutRelief);
        Assert.Empty(DigestComposer.Monthly(portfolio, new DateOnly(2026, 3, 1),
            EvaluationPolicy.OrganisationDefault with { AbsorbedShareForNoRelief = 0.6m }).WithoutRelief);
    }
}
