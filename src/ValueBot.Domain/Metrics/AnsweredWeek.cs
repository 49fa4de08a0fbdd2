using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Metrics;

/// <summary>
/// An answered week with its figures: what the early warnings and the stage gate read. <see cref="Measured"/> is
/// Graph's count for a Copilot-linked use case; <see cref="Review"/> the manager's verdict on its adoption figure.
/// </summary>
public sealed record AnsweredWeek(
    Answer Answer, WeeklyMetrics Metrics, WeeklyLeakage Leakage, MeasuredUsage? Measured = null, ManagerReview? Review = null)
{
    public IsoWeek Week => Metrics.Week;

    public static AnsweredWeek Compute(UseCase useCase, IsoWeek week, Answer answer, EvidenceFactors? factors = null)
    {
        var metrics = WeeklyMetrics.Compute(useCase, week, answer, factors);
        return new AnsweredWeek(answer, metrics, WeeklyLeakage.Compute(useCase, answer, metrics));
    }

    /// <summary>An answered record with what was measured and reviewed about it.</summary>
    public static AnsweredWeek Of(UseCase useCase, WeekRecord record, EvidenceFactors? factors = null) =>
        Compute(useCase, record.Week, record.Answer!, factors) with { Measured = record.Measured, Review = record.Review };
}
