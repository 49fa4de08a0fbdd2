using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Evaluation;
using ValueBot.Domain.Metrics;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Domain.Warnings;

namespace ValueBot.Domain.Digests;

/// <summary>One use case with its stored weeks: what a digest is composed from.</summary>
/// <param name="OwnerReachable">Whether ValueBot can message the owner now (a 1:1 chat exists and the owner has not left).</param>
public sealed record PortfolioUseCase(UseCase UseCase, IReadOnlyList<WeekRecord> History, bool OwnerReachable = true);

/// <summary>How a use case's check-in stands for the digest week.</summary>
public enum WeekReport
{
    Reported,

    /// <summary>Missed, undeliverable, still open (scheduled or sent) or no check-in at all.</summary>
    NotReported,

    /// <summary>The owner said the week does not apply: neither reported nor missing.</summary>
    Skipped,
}

/// <summary>An owner's story from one answered week, with the week's figures.</summary>
public sealed record DigestWin(UseCase UseCase, IsoWeek Week, string Story, bool SharedWithLeadership, WeeklyMetrics Metrics)
{
    /// <summary>The week's net value was negative: the story is shown, labelled, never as a gain.</summary>
    public bool FromLossMakingWeek => Metrics.NetValue.IsNegative;
}

/// <summary>A figure of the digest week next to the week before. The change is null unless both weeks were answered.</summary>
public readonly record struct FigureChange(Money? Current, Money? Previous)
{
    public Money? Change => Current is { } c && Previous is { } p ? c - p : null;
}

/// <summary>
/// One use case as a digest shows it: the digest week's report and figures against the week before, the breach
/// and warnings with their reasons, the recommendation, a win, and the weekly net value of the 90-day window.
/// </summary>
public sealed record DigestLine
{
    public required UseCase UseCase { get; init; }

    public required UseCaseEvaluation Evaluation { get; init; }

    public required WeekReport Report { get; init; }

    /// <summary>The digest week's check-in status; null when there is no check-in for the week at all.</summary>
    public CheckInStatus? ThisWeekStatus { get; init; }

    /// <summary>Whether ValueBot can reach the owner now (so a nudge would arrive).</summary>
    public bool OwnerReachable { get; init; } = true;

    /// <summary>Not reported because the owner could not be reached: not installed, blocked, left, or no owner.</summary>
    public bool IsUnreachable => Report == WeekReport.NotReported
        && (ThisWeekStatus == CheckInStatus.Undeliverable || UseCase.Owner is null || (!OwnerReachable && ThisWeekStatus is null));

    /// <summary>The digest week's figures; null when the week has no answer.</summary>
    public required WeeklyMetrics? ThisWeek { get; init; }

    /// <summary>The week before's figures; null when that week has no answer.</summary>
    public required WeeklyMetrics? LastWeek { get; init; }

    /// <summary>Stop-loss reasons of the latest answered week, when the breach rule fired; empty otherwise.</summary>
    public required IReadOnlyList<string> BreachReasons { get; init; }

    /// <summary>The early warnings other than the stop-loss breach.</summary>
    public required IReadOnlyList<Warning> OtherWarnings { get; init; }

    /// <summary>The digest week's win, if the owner wrote one.</summary>
    public required DigestWin? Win { get; init; }

    /// <summary>Net value per week of the 90-day window, oldest first; null for a week without data.</summary>
    public required IReadOnlyList<Money?> NetValueTrend { get; init; }

    /// <summary>Risk-adjusted net value per week of the same window, oldest first; null for a week without data.</summary>
    public IReadOnlyList<Money?> AdjustedNetValueTrend { get; init; } = [];

    public Guid Id => UseCase.Id;

    /// <summary>Measured: not retired and not stopped. Only measured use cases are expected to report.</summary>
    public bool IsMeasured => !UseCase.Retired && UseCase.Stage != Stage.Stopped;

    public bool IsBreached => BreachReasons.Count > 0;

    /// <summary>None of the last due check-ins was answered (the stale rule).</summary>
    public bool IsStalled => OtherWarnings.Any(w => w.RuleId == EarlyWarnings.StaleId);

    public FigureChange Gross => new(ThisWeek?.GrossValue, LastWeek?.GrossValue);

    public FigureChange Absorption => new(ThisWeek?.AbsorptionCost, LastWeek?.AbsorptionCost);

    public FigureChange Net => new(ThisWeek?.NetValue, LastWeek?.NetValue);

    public FigureChange AdjustedNet => new(ThisWeek?.AdjustedNetValue, LastWeek?.AdjustedNetValue);

    /// <summary>Most urgent first: breached, then stalled, then not reported, then by 90-day net value (lowest first).</summary>
    internal (int, int, int, decimal) Urgency => (
        IsBreached ? 0 : 1,
        IsStalled ? 0 : 1,
        Report == WeekReport.NotReported ? 0 : 1,
        Evaluation.Rolling.NetValue?.Amount ?? 0m);
}
