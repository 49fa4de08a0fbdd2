using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Metrics;
using ValueBot.Domain.Policies;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Warnings;

/// <summary>
/// The early-warning rules of DOMAIN.md. Each reads the most recent answered weeks (oldest first, latest last;
/// weeks without data are simply absent) or the most recent due check-ins, and returns a warning or null.
/// "Higher than the week before in each of the last n answered weeks" compares each of those n weeks with the
/// answered week before it, so it needs n + 1 answered weeks.
/// </summary>
public static partial class EarlyWarnings
{
    public const string StopLossBreachId = "stop-loss-breach";
    public const string SavingsWithoutReliefId = "savings-without-relief";
    public const string GrowingExceptionsId = "growing-exceptions";
    public const string UnstableAfterChangeId = "unstable-after-change";
    public const string UnclearAccountabilityId = "unclear-accountability";
    public const string CostDriftId = "cost-drift";
    public const string StaleId = "stale";

    public static Warning? StopLossBreach(ReadOnlySpan<AnsweredWeek> answered, StopLossThresholds thresholds)
    {
        if (answered.IsEmpty || !StopLoss.IsBreached(answered[^1].Metrics, thresholds))
        {
            return null;
        }

        var latest = answered[^1];
        return new Warning(StopLossBreachId, "Stop-loss breach",
            $"{string.Join("; ", StopLoss.Reasons(latest.Metrics, thresholds))} (week {latest.Week}).");
    }

    public static Warning? SavingsWithoutRelief(ReadOnlySpan<AnsweredWeek> answered, int weeks)
    {
        if (weeks < 1 || answered.Length < weeks)
        {
            return null;
        }

        var window = answered[^weeks..];
        foreach (var week in window)
        {
            if (week.Answer.MinutesSavedPerTask <= 0m || week.Answer.BacklogShrinking != BacklogShrinking.No)
            {
                return null;
            }
        }

        return new Warning(SavingsWithoutReliefId, "Savings without relief",
            $"Minutes were saved in each of the last {weeks} answered weeks " +
            $"({Join(window, w => Figures.Number(w.Answer.MinutesSavedPerTask) + " min/task")}) " +
            "but the backlog was reported as not shrinking: the saved time is not reaching the P&L.");
    }

    public static Warning? GrowingExceptions(ReadOnlySpan<AnsweredWeek> answered, int weeks)
    {
        if (!RisesEachWeek(answered, weeks, static w => w.Metrics.ExceptionRate))
        {
            return null;
        }

        return new Warning(GrowingExceptionsId, "Growing exceptions",
            $"The exception rate rose in each of the last {weeks} answered weeks: " +
            $"{Join(answered[^(weeks + 1)..], w => Figures.Percent(w.Metrics.ExceptionRate))}.");
    }

    public static Warning? UnstableAfterChange(ReadOnlySpan<AnsweredWeek> answered, decimal reworkRise)
    {
        if (answered.Length < 2 || !answered[^2].Answer.ModelChanged)
        {
            return null;
        }

        var changed = answered[^2];
        var after = answered[^1];
        var rise = after.Metrics.ReworkRate - changed.Metrics.ReworkRate;
        var reasons = new List<string>(2);
        if (rise >= reworkRise)
        {
            reasons.Add($"rework rose {Figures.Points(rise)} points, from {Figures.Percent(changed.Metrics.ReworkRate)} " +
                $"to {Figures.Percent(after.Metrics.ReworkRate)} (limit {Figures.Points(reworkRise)} points)");
        }

        if (after.Answer.QualityIncidents > changed.Answer.QualityIncidents)
        {
            reasons.Add($"quality incidents rose from {changed.Answer.QualityIncidents} to {after.Answer.QualityIncidents}");
        }

        if (reasons.Count == 0)
        {
            return null;
        }

        var note = string.IsNullOrWhiteSpace(changed.Answer.ModelChangeNote) ? "" : $" (\"{changed.Answer.ModelChangeNote}\")";
        return new Warning(UnstableAfterChangeId, "Unstable after change",
            $"After the model, prompt or configuration changed in week {changed.Week}{note}, " +
            $"{string.Join(" and ", reasons)}.");
    }

    /// <param name="due">The most recent due check-ins, oldest first.</param>
    public static Warning? UnclearAccountability(UseCase useCase, ReadOnlySpan<WeekRecord> due, int missedInARow)
    {
        string? reason = null;
        if (useCase.Owner is null)
        {
            reason = "The use case has no named owner.";
        }
        else if (useCase.Owner.HasLeftOrganisation)
        {
            reason = $"The owner, {useCase.Owner.DisplayName}, has left the organisation.";
        }
        else if (missedInARow >= 1 && due.Length >= missedInARow && AllMissed(due[^missedInARow..]))
        {
            reason = $"The last {missedInARow} due check-ins were missed ({Join(due[^missedInARow..], w => w.Week.ToString())}).";
        }

        return reason is null ? null : new Warning(UnclearAccountabilityId, "Unclear accountability", reason);
    }

    public static Warning? CostDrift(ReadOnlySpan<AnsweredWeek> answered, Money plannedPerWeek, decimal factor, int risingWeeks)
    {
        if (answered.IsEmpty)
        {
            return null;
        }

        var reasons = new List<string>(2);
        var latest = answered[^1];
        var limit = plannedPerWeek * factor;
        if (latest.Metrics.RunCost > limit)
        {
            reasons.Add($"Run cost {latest.Metrics.RunCost} in week {latest.Week} is above {Figures.Number(factor)} × " +
                $"the planned weekly run cost of {plannedPerWeek} (limit {limit})");
        }

        if (RisesEachWeek(answered, risingWeeks, static w => w.Metrics.CostPerOutcome?.Amount))
        {
            reasons.Add($"Cost per outcome rose in each of the last {risingWeeks} answered weeks: " +
                Join(answered[^(risingWeeks + 1)..], w => Figures.Money(w.Metrics.CostPerOutcome)));
        }

        return reasons.Count == 0 ? null : new Warning(CostDriftId, "Cost drift", string.Join("; ", reasons) + ".");
    }

    /// <param name="due">The most recent due check-ins, oldest first.</param>
    public static Warning? Stale(ReadOnlySpan<WeekRecord> due, int window)
    {
        if (window < 1 || due.Length < window)
        {
            return null;
        }

        foreach (var record in due[^window..])
        {
            if (record.Status == CheckInStatus.Answered)
            {
                return null;
            }
        }

        return new Warning(StaleId, "Stale",
            $"None of the last {window} due check-ins was answered; the figures are out of date.");
    }

    private static bool RisesEachWeek(ReadOnlySpan<AnsweredWeek> answered, int weeks, Func<AnsweredWeek, decimal?> value)
    {
        if (weeks < 1 || answered.Length < weeks + 1)
        {
            return false;
        }

        for (var i = answered.Length - weeks; i < answered.Length; i++)
        {
            if (value(answered[i]) is not { } current || value(answered[i - 1]) is not { } before || current <= before)
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllMissed(ReadOnlySpan<WeekRecord> records)
    {
        foreach (var record in records)
        {
            if (!record.IsMissed)
            {
                return false;
            }
        }

        return true;
    }

    private static string Join<T>(ReadOnlySpan<T> items, Func<T, string> format)
    {
        var parts = new string[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            parts[i] = format(items[i]);
        }

        return string.Join(", ", parts);
    }

    /// <summary>Every rule, in DOMAIN.md's order; null when nothing fires.</summary>
    public static List<Warning>? All(
        UseCase useCase, ReadOnlySpan<AnsweredWeek> answered, ReadOnlySpan<WeekRecord> due, EvaluationPolicy policy)
    {
        List<Warning>? warnings = null;
        Add(ref warnings, StopLossBreach(answered, policy.StopLoss));
        Add(ref warnings, SavingsWithoutRelief(answered, policy.SavingsWithoutReliefWeeks, policy.AbsorbedShareForNoRelief, policy.AbsorbedWindowWeeks));
        Add(ref warnings, GrowingExceptions(answered, policy.GrowingExceptionsWeeks));
        Add(ref warnings, UnstableAfterChange(answered, policy.UnstableReworkRise));
        Add(ref warnings, UnclearAccountability(useCase, due, policy.MissedCheckInsForUnclearAccountability));
        Add(ref warnings, CostDrift(answered, useCase.PlannedRunCostPerWeek, policy.CostDriftFactor, policy.CostPerOutcomeRisingWeeks));
        Add(ref warnings, Stale(due, policy.StaleWindow));
        Add(ref warnings, StaleSignal(answered, policy.StaleSignalWeeks));
        Add(ref warnings, ReportedNotMeasured(useCase, answered, policy.MaxReportedMeasuredGap));
        Add(ref warnings, UnconfirmedOutlier(answered));
        Add(ref warnings, AdoptionDisputed(useCase, answered));
        return warnings;
    }

    private static void Add(ref List<Warning>? warnings, Warning? warning)
    {
        if (warning is not null)
        {
            (warnings ??= new List<Warning>(2)).Add(warning);
        }
    }
}
