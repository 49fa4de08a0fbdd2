using ValueBot.Domain.Common;
using ValueBot.Domain.Metrics;
using ValueBot.Domain.Policies;
using ValueBot.Domain.Warnings;

namespace ValueBot.Domain.StageGates;

/// <summary>Evidence for the scale rule, over the last <see cref="EvaluationPolicy.ScaleWindowWeeks"/> ISO weeks.</summary>
/// <param name="AnsweredWeeks">Answered weeks among the last 12 ISO weeks.</param>
/// <param name="PositiveNetWeeks">Of those, weeks with risk-adjusted net value &gt; 0.</param>
/// <param name="Compliance">Check-in compliance over the last 12 due weeks.</param>
public readonly record struct ScaleEvidence(int AnsweredWeeks, int PositiveNetWeeks, CheckInCompliance Compliance);

/// <summary>
/// The stage-gate recommendation of DOMAIN.md, checked in order — stop, redesign, hold (not enough evidence),
/// scale, hold (not yet proven) — first match wins.
/// </summary>
public static class StageGate
{
    public const string StopNetNegativeWithBreachesId = "stop.net-negative-with-breaches";
    public const string StopOwnerProposesId = "stop.owner-proposes";
    public const string RedesignBreachStreakId = "redesign.stop-loss-breach-streak";
    public const string RedesignNegativeNetId = "redesign.negative-net-despite-adoption";
    public const string HoldNotEnoughEvidenceId = "hold.not-enough-evidence";
    public const string HoldUnclearAccountabilityId = "hold.unclear-accountability";
    public const string ScaleId = "scale.proven";
    public const string NotYetProvenId = "hold.not-yet-proven";

    /// <param name="answered">The most recent answered weeks, oldest first.</param>
    /// <param name="answeredWeeksTotal">Answered weeks in the whole history (only compared with small numbers).</param>
    /// <param name="rollingNetValue">Risk-adjusted net value over the last 13 ISO weeks; null when no data. The gate reads
    /// the adjusted net throughout (DOMAIN.md, "Evidence").</param>
    /// <param name="unclearAccountability">The unclear-accountability warning, when it fired.</param>
    public static StageRecommendation Recommend(
        ReadOnlySpan<AnsweredWeek> answered,
        int answeredWeeksTotal,
        Money? rollingNetValue,
        ScaleEvidence scale,
        Warning? unclearAccountability,
        EvaluationPolicy policy)
    {
        var stopLoss = policy.StopLoss;

        // 1. Stop.
        var stopReasons = new List<GateReason>(2);
        if (rollingNetValue is { IsNegative: true } net && BreachedEach(answered, policy.StopBreachWeeks, policy))
        {
            stopReasons.Add(new GateReason(StopNetNegativeWithBreachesId,
                $"Risk-adjusted net value over 90 days is {net} and the stop-loss was breached in each of the last " +
                $"{policy.StopBreachWeeks} answered weeks."));
        }

        if (!answered.IsEmpty && answered[^1].Answer.ProposesStopping)
        {
            stopReasons.Add(new GateReason(StopOwnerProposesId,
                $"The owner proposed stopping in week {answered[^1].Week}."));
        }

        if (stopReasons.Count > 0)
        {
            return new StageRecommendation(Recommendation.Stop, stopReasons);
        }

        // 2. Redesign.
        var redesignReasons = new List<GateReason>(2);
        if (BreachedEach(answered, policy.RedesignBreachWeeks, policy))
        {
            var latest = answered[^1].Metrics;
            redesignReasons.Add(new GateReason(RedesignBreachStreakId,
                $"The stop-loss was breached in each of the last {policy.RedesignBreachWeeks} answered weeks; latest: " +
                $"{string.Join("; ", StopLoss.Reasons(latest, stopLoss))}."));
        }

        if (NegativeNetWithAdoption(answered, policy.RedesignNegativeNetWeeks, stopLoss.MinAdoption))
        {
            redesignReasons.Add(new GateReason(RedesignNegativeNetId,
                $"Risk-adjusted net value was negative in each of the last {policy.RedesignNegativeNetWeeks} answered weeks while " +
                $"adoption stayed at or above the {Figures.Percent(stopLoss.MinAdoption)} minimum: an execution problem."));
        }

        if (redesignReasons.Count > 0)
        {
            return new StageRecommendation(Recommendation.Redesign, redesignReasons);
        }

        // 3. Hold: not enough evidence.
        var holdReasons = new List<GateReason>(2);
        if (answeredWeeksTotal < policy.MinAnsweredWeeksForEvidence)
        {
            holdReasons.Add(new GateReason(HoldNotEnoughEvidenceId,
                $"Not enough evidence: {answeredWeeksTotal} answered week{(answeredWeeksTotal == 1 ? "" : "s")}, " +
                $"at least {policy.MinAnsweredWeeksForEvidence} needed."));
        }

        if (unclearAccountability is not null)
        {
            holdReasons.Add(new GateReason(HoldUnclearAccountabilityId,
                $"Not enough evidence: {unclearAccountability.Reason}"));
        }

        if (holdReasons.Count > 0)
        {
            return new StageRecommendation(Recommendation.Hold, holdReasons);
        }

        // 4. Scale, or 5. hold with the criteria still unmet.
        var unmet = new List<GateReason>(5);
        if (scale.AnsweredWeeks < policy.ScaleMinAnsweredWeeks)
        {
            unmet.Add(new GateReason(NotYetProvenId,
                $"{scale.AnsweredWeeks} of the last {policy.ScaleWindowWeeks} weeks answered; {policy.ScaleMinAnsweredWeeks} needed."));
        }

        if (scale.PositiveNetWeeks < policy.ScaleMinPositiveNetWeeks)
        {
            unmet.Add(new GateReason(NotYetProvenId,
                $"Risk-adjusted net value positive in {scale.PositiveNetWeeks} of the last {policy.ScaleWindowWeeks} weeks; {policy.ScaleMinPositiveNetWeeks} needed."));
        }

        var latestMetrics = answered.IsEmpty ? null : answered[^1].Metrics;
        if (latestMetrics is not null && StopLoss.IsBreached(latestMetrics, stopLoss))
        {
            unmet.Add(new GateReason(NotYetProvenId,
                $"Current stop-loss breach: {string.Join("; ", StopLoss.Reasons(latestMetrics, stopLoss))}."));
        }

        if (latestMetrics?.Adoption is not { } adoption || adoption < stopLoss.MinAdoption)
        {
            unmet.Add(new GateReason(NotYetProvenId,
                $"Adoption {Figures.Percent(latestMetrics?.Adoption)} is not at the {Figures.Percent(stopLoss.MinAdoption)} minimum."));
        }

        if (scale.Compliance.Rate is not { } compliance || compliance < policy.ScaleMinCompliance)
        {
            unmet.Add(new GateReason(NotYetProvenId,
                $"Check-in compliance {Figures.Percent(scale.Compliance.Rate)} over the last {policy.ScaleWindowWeeks} due weeks " +
                $"is below {Figures.Percent(policy.ScaleMinCompliance)}."));
        }

        if (unmet.Count == 0)
        {
            return new StageRecommendation(Recommendation.Scale,
            [
                new GateReason(ScaleId,
                    $"{scale.AnsweredWeeks} of the last {policy.ScaleWindowWeeks} weeks answered, risk-adjusted net value positive in " +
                    $"{scale.PositiveNetWeeks}, adoption {Figures.Percent(latestMetrics?.Adoption)}, no stop-loss breach, " +
                    $"check-in compliance {Figures.Percent(scale.Compliance.Rate)}."),
            ]);
        }

        unmet.Insert(0, new GateReason(NotYetProvenId, "Not yet proven for scale; keep the current stage."));
        return new StageRecommendation(Recommendation.Hold, unmet);
    }

    private static bool BreachedEach(ReadOnlySpan<AnsweredWeek> answered, int weeks, EvaluationPolicy policy)
    {
        if (weeks < 1 || answered.Length < weeks)
        {
            return false;
        }

        foreach (var week in answered[^weeks..])
        {
            if (!StopLoss.IsBreached(week.Metrics, policy.StopLoss))
            {
                return false;
            }
        }

        return true;
    }

    private static bool NegativeNetWithAdoption(ReadOnlySpan<AnsweredWeek> answered, int weeks, decimal minAdoption)
    {
        if (weeks < 1 || answered.Length < weeks)
        {
            return false;
        }

        foreach (var week in answered[^weeks..])
        {
            if (!week.Metrics.AdjustedNetValue.IsNegative || week.Metrics.Adoption is not { } adoption || adoption < minAdoption)
            {
                return false;
            }
        }

        return true;
    }
}
