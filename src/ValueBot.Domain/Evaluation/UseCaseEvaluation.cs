using ValueBot.Domain.Metrics;
using ValueBot.Domain.Periods;
using ValueBot.Domain.StageGates;
using ValueBot.Domain.Warnings;

namespace ValueBot.Domain.Evaluation;

/// <summary>Everything ValueBot knows about one use case as of one ISO week.</summary>
public sealed record UseCaseEvaluation
{
    public required Guid UseCaseId { get; init; }

    public required IsoWeek Week { get; init; }

    /// <summary>The most recent answered week up to <see cref="Week"/>; null when there is none.</summary>
    public required AnsweredWeek? Latest { get; init; }

    /// <summary>The answered week before <see cref="Latest"/>, for week-over-week change.</summary>
    public required AnsweredWeek? Previous { get; init; }

    public WeeklyMetrics? LatestMetrics => Latest?.Metrics;

    /// <summary>The three figures after 90 days (last 13 ISO weeks).</summary>
    public required RollingMetrics Rolling { get; init; }

    /// <summary>Leakage summed over the same 13 weeks.</summary>
    public required LeakageSummary Leakage { get; init; }

    public required IReadOnlyList<Warning> Warnings { get; init; }

    public required StageRecommendation Recommendation { get; init; }

    /// <summary>Check-in compliance over the 13-week window.</summary>
    public required CheckInCompliance Compliance { get; init; }
}
