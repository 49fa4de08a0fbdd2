using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Metrics;

/// <summary>An answered week with its figures: what the early warnings and the stage gate read.</summary>
public sealed record AnsweredWeek(Answer Answer, WeeklyMetrics Metrics, WeeklyLeakage Leakage)
{
    public IsoWeek Week => Metrics.Week;

    public static AnsweredWeek Compute(UseCase useCase, IsoWeek week, Answer answer)
    {
        var metrics = WeeklyMetrics.Compute(useCase, week, answer);
        return new AnsweredWeek(answer, metrics, WeeklyLeakage.Compute(useCase, answer, metrics));
    }
}
