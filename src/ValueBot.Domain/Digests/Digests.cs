using ValueBot.Domain.Common;
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
    public int Reporting { get; set; }

    public int Expected { get; set; }
}

/// <summary>Portfolio net value for one week of the trend (per currency; empty when no use case answered).</summary>
public sealed record TrendPoint(IsoWeek Week, MoneyTotals Net)
{
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
    Money? Translation, Money? Adoption, Money? Execution, Money? Control);

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
}

/// <summary>A leader's recorded stage-gate decision, with the recommendation ValueBot showed at the time.</summary>
public sealed record StageDecision(
    Guid UseCaseId, Recommendation Outcome, Recommendation? Recommended, string Reason, string DecidedBy, DateTimeOffset DecidedAt)
{
    public IsoWeek Week => IsoWeek.FromDate(DateOnly.FromDateTime(DecidedAt.UtcDateTime));
}

/// <summary>A decision of the quarter before, back in the review with the three figures of the answered weeks since.</summary>
public sealed record RevisitedDecision(UseCase UseCase, StageDecision Decision, int AnsweredWeeksSince, Money? GrossSince, Money? AbsorptionSince, Money? NetSince);

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
