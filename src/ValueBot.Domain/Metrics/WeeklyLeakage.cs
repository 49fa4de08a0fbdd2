using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Metrics;

/// <summary>Where value leaked between the pilot and the P&amp;L in one answered week; each amount rounded to cents once.</summary>
public sealed record WeeklyLeakage
{
    /// <summary>o = m ÷ b; null when the baseline minutes are zero.</summary>
    public required decimal? ObservedBenefit { get; init; }

    /// <summary>d − o as a fraction (0.20 = 20 points); null when o is not defined.</summary>
    public required decimal? TranslationPoints { get; init; }

    /// <summary>(d − o) × b × T ÷ 60 × h when positive, else zero.</summary>
    public required Money Translation { get; init; }

    /// <summary>G × (N ÷ A − 1) when 0 &lt; A &lt; N, else zero.</summary>
    public required Money Adoption { get; init; }

    /// <summary>Rework cost + exception cost.</summary>
    public required Money Execution { get; init; }

    /// <summary>Run cost above plan: max(0, R − P).</summary>
    public required Money Control { get; init; }

    public Money Total => Translation + Adoption + Execution + Control;

    public static WeeklyLeakage Compute(UseCase useCase, Answer answer, WeeklyMetrics metrics)
    {
        var zero = Money.Zero(useCase.Currency);
        var b = useCase.Baseline.MinutesPerTask;
        decimal? observed = b > 0m ? answer.MinutesSavedPerTask / b : null;
        decimal? points = observed is { } o ? useCase.DeclaredPilotBenefit - o : null;
        var translation = points is { } p && p > 0m
            ? (useCase.Baseline.HourlyCost * (p * b * answer.Tasks) / 60m).RoundedToCents()
            : zero;

        var n = useCase.TargetUsers;
        var a = answer.ActiveUsers;
        // G × (N ÷ A − 1) = G × (N − A) ÷ A, multiplied before dividing.
        var adoption = a > 0 && a < n ? (metrics.GrossValue * (n - a) / a).RoundedToCents() : zero;

        return new WeeklyLeakage
        {
            ObservedBenefit = observed,
            TranslationPoints = points,
            Translation = translation,
            Adoption = adoption,
            Execution = metrics.ReworkCost + metrics.ExceptionCost,
            Control = Money.Max(zero, metrics.RunCost - useCase.PlannedRunCostPerWeek).RoundedToCents(),
        };
    }
}
