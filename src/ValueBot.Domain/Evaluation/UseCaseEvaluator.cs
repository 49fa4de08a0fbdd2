using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Metrics;
using ValueBot.Domain.Periods;
using ValueBot.Domain.Policies;
using ValueBot.Domain.StageGates;
using ValueBot.Domain.UseCases;
using ValueBot.Domain.Warnings;

namespace ValueBot.Domain.Evaluation;

/// <summary>
/// The one entry point: metrics, leakage, early warnings and the stage-gate recommendation for a use case.
/// Walks the history once from the newest week backwards and stops as soon as every window is filled,
/// so the cost depends on the windows, not on how long the history is.
/// </summary>
public static class UseCaseEvaluator
{
    /// <param name="history">One record per ISO week, oldest first (unsorted input is sorted on a copy).
    /// Weeks after <paramref name="currentWeek"/> are ignored.</param>
    /// <param name="organisationPolicy">Organisation defaults; the use case's own thresholds and overrides apply on top.</param>
    public static UseCaseEvaluation Evaluate(
        UseCase useCase, IReadOnlyList<WeekRecord> history, IsoWeek currentWeek, EvaluationPolicy organisationPolicy)
    {
        ArgumentNullException.ThrowIfNull(useCase);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(organisationPolicy);
        var policy = organisationPolicy.For(useCase);
        history = InWeekOrder(history);

        var answeredNeeded = Max(
            policy.StopBreachWeeks, policy.RedesignBreachWeeks, policy.RedesignNegativeNetWeeks,
            policy.SavingsWithoutReliefWeeks, policy.GrowingExceptionsWeeks + 1, policy.CostPerOutcomeRisingWeeks + 1,
            policy.MinAnsweredWeeksForEvidence, policy.StaleSignalWeeks, policy.AbsorbedWindowWeeks, 2);
        var dueNeeded = Max(policy.ScaleWindowWeeks, policy.StaleWindow, policy.MissedCheckInsForUnclearAccountability, 1);

        var answered = new AnsweredWeek[answeredNeeded];
        var due = new WeekRecord[dueNeeded];
        int answeredCount = 0, dueCount = 0;

        var rollingFrom = currentWeek.AddWeeks(-(policy.RollingWindowWeeks - 1));
        var scaleFrom = currentWeek.AddWeeks(-(policy.ScaleWindowWeeks - 1));
        var oldestWindow = rollingFrom < scaleFrom ? rollingFrom : scaleFrom;

        var rolling = new RollingSum();
        var windowCompliance = CheckInCompliance.None;
        int missedInWindow = 0, withoutOwnerInWindow = 0, scaleAnswered = 0, scalePositive = 0;
        var currentWeekOpen = true;
        // The newest week whose record had an owner, and the recorded weeks after it (all without one).
        IsoWeek? lastOwned = null;
        var recordedSinceOwned = new List<IsoWeek>();

        for (var i = LastIndexAtOrBefore(history, currentWeek); i >= 0; i--)
        {
            var record = history[i];
            var week = record.Week;
            var inRolling = week >= rollingFrom;
            var inScale = week >= scaleFrom;
            if (!inRolling && !inScale && answeredCount == answeredNeeded && dueCount == dueNeeded)
            {
                break;
            }

            if (week == currentWeek)
            {
                currentWeekOpen = record.Status is CheckInStatus.Scheduled or CheckInStatus.Sent;
            }

            if (lastOwned is null)
            {
                if (record.HadOwner)
                {
                    lastOwned = week;
                }
                else
                {
                    recordedSinceOwned.Add(week);
                }
            }

            if (record.HasData && (inRolling || inScale || answeredCount < answeredNeeded))
            {
                var computed = AnsweredWeek.Of(useCase, record, policy.Evidence);
                if (answeredCount < answeredNeeded)
                {
                    answered[answeredNeeded - 1 - answeredCount++] = computed;
                }

                if (inRolling)
                {
                    rolling.Add(computed);
                }

                if (inScale)
                {
                    scaleAnswered++;
                    if (computed.Metrics.AdjustedNetValue.Amount > 0m)
                    {
                        scalePositive++;
                    }
                }
            }

            if (record.IsDue && dueCount < dueNeeded)
            {
                due[dueNeeded - 1 - dueCount++] = record;
            }

            if (inRolling)
            {
                windowCompliance = windowCompliance.Add(record.Status);
                if (record.IsMissed)
                {
                    missedInWindow++;
                }

                if (!record.HadOwner && (week != currentWeek || !currentWeekOpen))
                {
                    withoutOwnerInWindow++;
                }
            }
        }

        ReadOnlySpan<AnsweredWeek> recentAnswered = answered.AsSpan(answeredNeeded - answeredCount);
        ReadOnlySpan<WeekRecord> recentDue = due.AsSpan(dueNeeded - dueCount);

        var scaleDue = recentDue.Length > policy.ScaleWindowWeeks ? recentDue[^policy.ScaleWindowWeeks..] : recentDue;
        var scaleCompliance = CheckInCompliance.None;
        foreach (var record in scaleDue)
        {
            scaleCompliance = scaleCompliance.Add(record.Status);
        }

        var warnings = EarlyWarnings.All(useCase, recentAnswered, recentDue, policy);
        var unclear = warnings?.Find(w => w.RuleId == EarlyWarnings.UnclearAccountabilityId);
        var rollingMetrics = rolling.ToMetrics(rollingFrom, currentWeek);
        var recommendation = StageGate.Recommend(
            recentAnswered, answeredCount, rollingMetrics.AdjustedNetValue,
            new ScaleEvidence(scaleAnswered, scalePositive, scaleCompliance), unclear, policy);

        var weeksWithoutData = WeeksWithoutData(useCase, history, rollingFrom, currentWeek, currentWeekOpen, rolling.Answered);
        withoutOwnerInWindow += UnrecordedWeeksWithoutOwner(useCase, history, rollingFrom, currentWeek, currentWeekOpen, lastOwned, recordedSinceOwned);

        return new UseCaseEvaluation
        {
            UseCaseId = useCase.Id,
            Week = currentWeek,
            Latest = recentAnswered.IsEmpty ? null : recentAnswered[^1],
            Previous = recentAnswered.Length < 2 ? null : recentAnswered[^2],
            Rolling = rollingMetrics,
            Leakage = rolling.ToLeakage(useCase.DeclaredPilotBenefit, useCase.Baseline.MinutesPerTask,
                weeksWithoutData, missedInWindow, withoutOwnerInWindow),
            Warnings = (IReadOnlyList<Warning>?)warnings ?? [],
            Recommendation = recommendation,
            Compliance = windowCompliance,
        };
    }

    /// <summary>
    /// Weeks of the window since the use case started (launch date, else the first recorded week) with no answer.
    /// The current week counts only once its check-in is closed.
    /// </summary>
    private static int WeeksWithoutData(
        UseCase useCase, IReadOnlyList<WeekRecord> history, IsoWeek from, IsoWeek to, bool currentWeekOpen, int answered)
    {
        IsoWeek? started = useCase.LaunchDate is { } launch ? IsoWeek.FromDate(launch)
            : history.Count > 0 ? history[0].Week : null;
        if (started is not { } start)
        {
            return 0;
        }

        var first = start > from ? start : from;
        var last = currentWeekOpen ? to.Previous() : to;
        var weeks = last.WeeksSince(first) + 1;
        // An open current week has no answer yet, so every answered week lies in first..last.
        return Math.Max(0, weeks - answered);
    }

    /// <summary>
    /// Closed weeks of the window with no check-in at all because nobody owned the use case: the cycle creates no
    /// check-in without an owner, so when the use case has no owner (or the owner has left) now, every unrecorded
    /// week since the last week that had one counts. Recorded weeks without an owner are counted from their records.
    /// </summary>
    private static int UnrecordedWeeksWithoutOwner(
        UseCase useCase, IReadOnlyList<WeekRecord> history, IsoWeek from, IsoWeek to, bool currentWeekOpen,
        IsoWeek? lastOwned, List<IsoWeek> recordedSinceOwned)
    {
        if (useCase.Owner is { HasLeftOrganisation: false })
        {
            return 0;
        }

        IsoWeek? started = useCase.LaunchDate is { } launch ? IsoWeek.FromDate(launch)
            : history.Count > 0 ? history[0].Week : null;
        if (started is not { } start)
        {
            return 0;
        }

        var first = start > from ? start : from;
        if (lastOwned is { } owned && owned.Next() > first)
        {
            first = owned.Next();
        }

        var last = currentWeekOpen ? to.Previous() : to;
        if (last < first)
        {
            return 0;
        }

        var recorded = recordedSinceOwned.Count(w => w >= first && w <= last);
        return Math.Max(0, last.WeeksSince(first) + 1 - recorded);
    }

    private static int LastIndexAtOrBefore(IReadOnlyList<WeekRecord> history, IsoWeek week)
    {
        var i = history.Count - 1;
        while (i >= 0 && history[i].Week > week)
        {
            i--;
        }

        return i;
    }

    private static IReadOnlyList<WeekRecord> InWeekOrder(IReadOnlyList<WeekRecord> history)
    {
        for (var i = 1; i < history.Count; i++)
        {
            if (history[i].Week < history[i - 1].Week)
            {
                var sorted = history.ToArray();
                Array.Sort(sorted, static (a, b) => a.Week.CompareTo(b.Week));
                return sorted;
            }
        }

        return history;
    }

    private static int Max(params ReadOnlySpan<int> values)
    {
        var max = int.MinValue;
        foreach (var value in values)
        {
            max = Math.Max(max, value);
        }

        return max;
    }
}
