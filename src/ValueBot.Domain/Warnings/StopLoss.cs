using ValueBot.Domain.Common;
using ValueBot.Domain.Metrics;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Warnings;

/// <summary>Whether one answered week crossed a stop-loss threshold. An undefined ratio never breaches.</summary>
public static class StopLoss
{
    public static bool IsBreached(WeeklyMetrics metrics, StopLossThresholds thresholds) =>
        metrics.ReworkRate > thresholds.MaxReworkRate
        || metrics.Adoption < thresholds.MinAdoption
        || (thresholds.MaxExceptionRate is { } max && metrics.ExceptionRate > max);

    /// <summary>One sentence per crossed threshold, e.g. "Adoption 55 % is below the 60 % minimum".</summary>
    public static IReadOnlyList<string> Reasons(WeeklyMetrics metrics, StopLossThresholds thresholds)
    {
        var reasons = new List<string>(3);
        if (metrics.ReworkRate > thresholds.MaxReworkRate)
        {
            reasons.Add($"Rework {Figures.Percent(metrics.ReworkRate)} is above the {Figures.Percent(thresholds.MaxReworkRate)} maximum");
        }

        if (metrics.Adoption is { } adoption && adoption < thresholds.MinAdoption)
        {
            reasons.Add($"Adoption {Figures.Percent(adoption)} is below the {Figures.Percent(thresholds.MinAdoption)} minimum");
        }

        if (thresholds.MaxExceptionRate is { } max && metrics.ExceptionRate is { } rate && rate > max)
        {
            reasons.Add($"Exception rate {Figures.Percent(rate)} is above the {Figures.Percent(max)} maximum");
        }

        return reasons;
    }
}
