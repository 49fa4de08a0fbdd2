using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Policies;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Evidence;

/// <summary>
/// DOMAIN.md's implausible answers. They are not refused: the card asks the owner to confirm them before they are
/// stored, and they stay marked "unconfirmed outlier".
/// </summary>
public static class AnswerPlausibility
{
    /// <param name="recent">The use case's answers of earlier answered weeks, oldest first (the last
    /// <see cref="EvaluationPolicy.OutlierMedianWeeks"/> are compared with).</param>
    /// <param name="policy">The policy that applies to the use case.</param>
    public static IReadOnlyList<Outlier> Find(UseCase useCase, Answer answer, IReadOnlyList<Answer> recent, EvaluationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(useCase);
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(recent);
        ArgumentNullException.ThrowIfNull(policy);
        var outliers = new List<Outlier>();
        var baseline = useCase.Baseline.MinutesPerTask;
        if (answer.MinutesSavedPerTask > baseline)
        {
            outliers.Add(new Outlier(Outlier.MinutesAboveBaseline,
                $"Minutes saved per task ({Figures.Number(answer.MinutesSavedPerTask)}) are more than the {Figures.Number(baseline)} " +
                "minutes a task took before AI."));
        }

        if (answer.ActiveUsers > useCase.TargetUsers)
        {
            outliers.Add(new Outlier(Outlier.MoreUsersThanTarget,
                $"Active users ({answer.ActiveUsers}) are more than the {useCase.TargetUsers} target users."));
        }

        var window = recent.Count > policy.OutlierMedianWeeks ? recent.Skip(recent.Count - policy.OutlierMedianWeeks).ToList() : recent;
        if (window.Count > 0)
        {
            var multiple = policy.OutlierMultiple;
            var tasksMedian = Median(window.Select(a => (decimal)a.Tasks));
            if (answer.Tasks > multiple * tasksMedian)
            {
                outliers.Add(new Outlier(Outlier.TasksJump,
                    $"Tasks ({answer.Tasks}) are more than {Figures.Number(multiple)} × the median of the last {window.Count} " +
                    $"answered weeks ({Figures.Number(tasksMedian)})."));
            }

            var minutesMedian = Median(window.Select(a => a.MinutesSavedPerTask));
            if (answer.MinutesSavedPerTask > multiple * minutesMedian)
            {
                outliers.Add(new Outlier(Outlier.MinutesJump,
                    $"Minutes saved per task ({Figures.Number(answer.MinutesSavedPerTask)}) are more than {Figures.Number(multiple)} × " +
                    $"the median of the last {window.Count} answered weeks ({Figures.Number(minutesMedian)})."));
            }
        }

        if (answer.ReworkShare >= 1m)
        {
            outliers.Add(new Outlier(Outlier.AllRework, "Rework is 100 %: every AI output needed correcting."));
        }

        return outliers;
    }

    /// <summary>The middle value; the mean of the two middle values for an even count.</summary>
    public static decimal Median(IEnumerable<decimal> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("The median of no values is not defined.", nameof(values));
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2m;
    }
}
