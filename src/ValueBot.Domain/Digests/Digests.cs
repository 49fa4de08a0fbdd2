using ValueBot.Domain.Common;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Periods;
using ValueBot.Domain.StageGates;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Digests;

/// <summary>
/// The three figures of a group of use cases, summed per currency, over the <see cref="Reporting"/> use cases with
/// data of the <see cref="Expected"/> the total is about ("5 of 13 reported").
/// </summary>
public sealed record ThreeFigures(MoneyTotals Gross, MoneyTotals Absorption, MoneyTotals Net)
{
    /// <summary>
    /// Σ of the weekly risk-adjusted nets (G′ − absorption, each week rounded as the raw net is), beside the reported
    /// <see cref="Net"/>: the same weeks, so both add up the same way.
    /// </summary>
    public MoneyTotals AdjustedNet { get; init; } = new();

    /// <summary>Σ of the gross value of the weeks whose minutes saved were measured.</summary>
    public MoneyTotals MeasuredGross { get; init; } = new();

    /// <summary>Share of the gross value in <paramref name="currency"/> that rests on measured minutes; null without gross value.</summary>
    public decimal? MeasuredShare(string currency) =>
        Gross.In(currency) is { Amount: > 0m } gross ? (MeasuredGross.In(currency)?.Amount ?? 0m) / gross.Amount : null;

    public int Reporting { get; set; }

    public int Expected { get; set; }
}

/// <summary>Portfolio net value for one week of the trend (per currency; empty when no use case answered).</summary>
public sealed record TrendPoint(IsoWeek Week, MoneyTotals Net)
{
    /// <summary>The portfolio's risk-adjusted net value that week (the same use cases as <see cref="Net"/>).</summary>
    public MoneyTotals AdjustedNet { get; init; } = new();

    /// <summary>How many use cases answered that week.</summary>
    public int Reporting { get; set; }
}

/// <summary>A use case that needs attention, with the reasons in plain language.</summary>
public sealed record AtRisk(DigestLine Line, IReadOnlyList<string> Reasons);

/// <summary>An owner who has not reported the digest week, with the use cases concerned.</summary>
public sealed record MissingReport(PersonRef? Owner, IReadOnlyList<DigestLine> UseCases);

/// <summary>The weekly 1:1 digest of a manager: the use cases owned by their reports.</summary>
public sealed record ManagerDigest
{
    public required PersonRef Manager { get; init; }

    public required IsoWeek Week { get; init; }

    /// <summary>Every use case of the manager's reports, most urgent first.</summary>
    public required IReadOnlyList<DigestLine> UseCases { get; init; }

    public required IReadOnlyList<DigestWin> Wins { get; init; }

    public required ThreeFigures ThisWeek { get; init; }

    public required ThreeFigures LastWeek { get; init; }

    public required ThreeFigures NinetyDays { get; init; }

    public required IReadOnlyList<TrendPoint> Trend { get; init; }

    public int Reported => UseCases.Count(l => l.Report == WeekReport.Reported);

    public int NotReported => UseCases.Count(l => l.Report == WeekReport.NotReported && !l.IsUnreachable);

    public int Unreachable => UseCases.Count(l => l.IsUnreachable);

    public int Skipped => UseCases.Count(l => l.Report == WeekReport.Skipped);
}

/// <summary>The weekly portfolio digest posted in the leadership channel.</summary>
public sealed record LeadershipDigest
{
    public required IsoWeek Week { get; init; }

    public required int MeasuredUseCases { get; init; }

    public required ThreeFigures ThisWeek { get; init; }

    public required ThreeFigures LastWeek { get; init; }

    public required ThreeFigures NinetyDays { get; init; }

    public required IReadOnlyDictionary<Stage, int> ByStage { get; init; }

    /// <summary>Wins the owners chose to share this week, biggest net value first.</summary>
    public required IReadOnlyList<DigestWin> Wins { get; init; }

    /// <summary>Stop-loss breaches, worst 90-day net value first.</summary>
    public required IReadOnlyList<AtRisk> Breaches { get; init; }

    /// <summary>Use cases whose last due check-ins all went unanswered.</summary>
    public required IReadOnlyList<AtRisk> Stalled { get; init; }

    /// <summary>
    /// Figures not to be taken at face value: an adoption figure the manager disputed, an unconfirmed outlier, reported ≠
    /// measured (the evidence warnings, with their reasons).
    /// </summary>
    public IReadOnlyList<AtRisk> Doubtful { get; init; } = [];

    /// <summary>Stopped this week, or recommended to stop: healthy kills.</summary>
    public required IReadOnlyList<AtRisk> Stopped { get; init; }

    /// <summary>Owners who could be reached but have not reported the week (missed or not answered yet), the most use cases first.</summary>
    public required IReadOnlyList<MissingReport> NotReported { get; init; }

    /// <summary>Owners ValueBot could not reach this week (not installed, blocked, left, or no owner): not the same as missing it.</summary>
    public required IReadOnlyList<MissingReport> Unreachable { get; init; }

    public required IReadOnlyList<TrendPoint> Trend { get; init; }
}

/// <summary>One use case in the monthly financial review: the three figures and the leakage over the month's weeks.</summary>
public sealed record MonthlyUseCase(
    UseCase UseCase, int AnsweredWeeks, Money? Gross, Money? Absorption, Money? Net,
    Money? Translation, Money? Adoption, Money? Execution, Money? Control)
{
    /// <summary>Σ of the month's weekly risk-adjusted nets.</summary>
    public Money? AdjustedNet { get; init; }
}

/// <summary>
/// Where the time AI freed went: hours saved (T × m ÷ 60) summed by the owners' weekly choice. The shares are of the
/// hours whose weeks said where the time went; weeks that did not say are counted apart.
/// </summary>
public sealed record FreedTimeSummary(decimal Capacity, decimal Redeployed, decimal Absorbed, decimal NotSaid)
{
    public static FreedTimeSummary None { get; } = new(0m, 0m, 0m, 0m);

    /// <summary>Hours of the weeks that said where the time went.</summary>
    public decimal Stated => Capacity + Redeployed + Absorbed;

    public decimal? CapacityShare => Share(Capacity);

    public decimal? RedeployedShare => Share(Redeployed);

    public decimal? AbsorbedShare => Share(Absorbed);

    public FreedTimeSummary Add(FreedTime where, decimal hours) => where switch
    {
        FreedTime.Capacity => this with { Capacity = Capacity + hours },
        FreedTime.Redeployed => this with { Redeployed = Redeployed + hours },
        FreedTime.Absorbed => this with { Absorbed = Absorbed + hours },
        _ => this with { NotSaid = NotSaid + hours },
    };

    private decimal? Share(decimal hours) => Stated > 0m ? hours / Stated : null;
}

/// <summary>
/// A use case whose freed time went mostly "absorbed": <paramref name="AbsorbedShare"/> of the hours of its last
/// <paramref name="Weeks"/> answered weeks (up to the month's end), at or above the organisation's limit.
/// </summary>
public sealed record SavingsWithoutRelief(UseCase UseCase, decimal AbsorbedShare, int Weeks);

/// <summary>The monthly financial review: ISO weeks starting in the month, per use case and for the portfolio.</summary>
public sealed record MonthlyReview
{
    public required DateOnly Month { get; init; }

    public required IsoWeek FirstWeek { get; init; }

    public required IsoWeek LastWeek { get; init; }

    /// <summary>Use cases with at least one answered week in the month, lowest net value first.</summary>
    public required IReadOnlyList<MonthlyUseCase> UseCases { get; init; }

    public required ThreeFigures Portfolio { get; init; }

    public required MoneyTotals Translation { get; init; }

    public required MoneyTotals Adoption { get; init; }

    public required MoneyTotals Execution { get; init; }

    public required MoneyTotals Control { get; init; }

    /// <summary>Measured use cases without a single answer in the month.</summary>
    public required int WithoutData { get; init; }

    /// <summary>Where the month's freed time went, over every use case.</summary>
    public FreedTimeSummary FreedTime { get; init; } = FreedTimeSummary.None;

    /// <summary>Use cases where "savings without relief" fires from the absorbed share, highest share first.</summary>
    public IReadOnlyList<SavingsWithoutRelief> WithoutRelief { get; init; } = [];
}

/// <summary>A leader's recorded stage-gate decision, with the recommendation ValueBot showed at the time.</summary>
public sealed record StageDecision(
    Guid UseCaseId, Recommendation Outcome, Recommendation? Recommended, string Reason, string DecidedBy, DateTimeOffset DecidedAt)
{
    public IsoWeek Week => IsoWeek.FromDate(DateOnly.FromDateTime(DecidedAt.UtcDateTime));
}

/// <summary>A decision of the quarter before, back in the review with the three figures of the answered weeks since.</summary>
public sealed record RevisitedDecision(UseCase UseCase, StageDecision Decision, int AnsweredWeeksSince, Money? GrossSince, Money? AbsorptionSince, Money? NetSince)
{
    /// <summary>Σ of the risk-adjusted nets of the answered weeks since the decision.</summary>
    public Money? AdjustedNetSince { get; init; }
}

/// <summary>The quarterly stage-gate review: every measured use case with its recommendation.</summary>
public sealed record QuarterlyReview
{
    public required IsoWeek Week { get; init; }

    /// <summary>Stop, then redesign, then hold, then scale; within each, lowest 90-day net value first.</summary>
    public required IReadOnlyList<DigestLine> UseCases { get; init; }

    /// <summary>Decisions recorded from this review (in its week or later), by use case: the card shows them instead of the inputs.</summary>
    public IReadOnlyDictionary<Guid, StageDecision> Decided { get; init; } = new Dictionary<Guid, StageDecision>();

    /// <summary>The decisions of the 13 weeks before the review's week, latest per use case: "decided x on d because r — net since then".</summary>
    public IReadOnlyList<RevisitedDecision> Revisited { get; init; } = [];
}
