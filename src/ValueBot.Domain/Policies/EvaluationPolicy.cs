using ValueBot.Domain.Common;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Policies;

/// <summary>
/// Every threshold and window the metrics, early warnings and stage gate use.
/// <see cref="OrganisationDefault"/> holds DOMAIN.md's defaults; an organisation replaces values with
/// <c>with</c>, a use case overrides them through <see cref="EvaluationPolicyOverrides"/>.
/// </summary>
public sealed record EvaluationPolicy
{
    public static EvaluationPolicy OrganisationDefault { get; } = new();

    public StopLossThresholds StopLoss { get; init; } = StopLossThresholds.Default;

    /// <summary>"90 days": the rolling window of the three figures, in ISO weeks.</summary>
    public int RollingWindowWeeks { get; init; } = 13;

    public int SavingsWithoutReliefWeeks { get; init; } = 3;

    public int GrowingExceptionsWeeks { get; init; } = 3;

    /// <summary>Rise in rework share (fraction: 0.05 = 5 points) that makes a change unstable.</summary>
    public decimal UnstableReworkRise { get; init; } = 0.05m;

    /// <summary>Consecutive missed due check-ins that make accountability unclear.</summary>
    public int MissedCheckInsForUnclearAccountability { get; init; } = 2;

    public decimal CostDriftFactor { get; init; } = 1.2m;

    public int CostPerOutcomeRisingWeeks { get; init; } = 4;

    /// <summary>Due check-ins looked at by the stale rule; stale when none of them was answered.</summary>
    public int StaleWindow { get; init; } = 3;

    public int StopBreachWeeks { get; init; } = 6;

    public int RedesignBreachWeeks { get; init; } = 2;

    public int RedesignNegativeNetWeeks { get; init; } = 4;

    /// <summary>Fewer answered weeks than this is "not enough evidence".</summary>
    public int MinAnsweredWeeksForEvidence { get; init; } = 4;

    public int ScaleWindowWeeks { get; init; } = 12;

    public int ScaleMinAnsweredWeeks { get; init; } = 8;

    public int ScaleMinPositiveNetWeeks { get; init; } = 8;

    public decimal ScaleMinCompliance { get; init; } = 0.75m;

    /// <summary>Source and confidence factors of the risk-adjusted value; organisation-wide only.</summary>
    public EvidenceFactors Evidence { get; init; } = EvidenceFactors.Default;

    /// <summary>Savings without relief also fires when this share of the freed time went "absorbed"…</summary>
    public decimal AbsorbedShareForNoRelief { get; init; } = 0.5m;

    /// <summary>…over this many answered weeks.</summary>
    public int AbsorbedWindowWeeks { get; init; } = 4;

    /// <summary>Tasks or minutes saved above this multiple of the recent median are implausible.</summary>
    public decimal OutlierMultiple { get; init; } = 3m;

    /// <summary>The answered weeks whose median the outlier rule compares with.</summary>
    public int OutlierMedianWeeks { get; init; } = 8;

    /// <summary>Answered weeks running with every number equal that make a stale signal.</summary>
    public int StaleSignalWeeks { get; init; } = 4;

    /// <summary>Reported ≠ measured: the largest acceptable gap in adoption (0.15 = 15 points).</summary>
    public decimal MaxReportedMeasuredGap { get; init; } = 0.15m;

    /// <summary>This policy with every value the overrides set replacing its own.</summary>
    public EvaluationPolicy Merge(EvaluationPolicyOverrides? overrides)
    {
        if (overrides is null)
        {
            return this;
        }

        return this with
        {
            StopLoss = new StopLossThresholds(
                overrides.MaxReworkRate ?? StopLoss.MaxReworkRate,
                overrides.MinAdoption ?? StopLoss.MinAdoption,
                overrides.MaxExceptionRate ?? StopLoss.MaxExceptionRate),
            RollingWindowWeeks = overrides.RollingWindowWeeks ?? RollingWindowWeeks,
            SavingsWithoutReliefWeeks = overrides.SavingsWithoutReliefWeeks ?? SavingsWithoutReliefWeeks,
            GrowingExceptionsWeeks = overrides.GrowingExceptionsWeeks ?? GrowingExceptionsWeeks,
            UnstableReworkRise = overrides.UnstableReworkRise ?? UnstableReworkRise,
            MissedCheckInsForUnclearAccountability =
                overrides.MissedCheckInsForUnclearAccountability ?? MissedCheckInsForUnclearAccountability,
            CostDriftFactor = overrides.CostDriftFactor ?? CostDriftFactor,
            CostPerOutcomeRisingWeeks = overrides.CostPerOutcomeRisingWeeks ?? CostPerOutcomeRisingWeeks,
            StaleWindow = overrides.StaleWindow ?? StaleWindow,
            StopBreachWeeks = overrides.StopBreachWeeks ?? StopBreachWeeks,
            RedesignBreachWeeks = overrides.RedesignBreachWeeks ?? RedesignBreachWeeks,
            RedesignNegativeNetWeeks = overrides.RedesignNegativeNetWeeks ?? RedesignNegativeNetWeeks,
            MinAnsweredWeeksForEvidence = overrides.MinAnsweredWeeksForEvidence ?? MinAnsweredWeeksForEvidence,
            ScaleWindowWeeks = overrides.ScaleWindowWeeks ?? ScaleWindowWeeks,
            ScaleMinAnsweredWeeks = overrides.ScaleMinAnsweredWeeks ?? ScaleMinAnsweredWeeks,
            ScaleMinPositiveNetWeeks = overrides.ScaleMinPositiveNetWeeks ?? ScaleMinPositiveNetWeeks,
            ScaleMinCompliance = overrides.ScaleMinCompliance ?? ScaleMinCompliance,
            Evidence = Evidence with
            {
                Measured = overrides.SourceFactorMeasured ?? Evidence.Measured,
                Estimated = overrides.SourceFactorEstimated ?? Evidence.Estimated,
                Guessed = overrides.SourceFactorGuessed ?? Evidence.Guessed,
                High = overrides.ConfidenceFactorHigh ?? Evidence.High,
                Medium = overrides.ConfidenceFactorMedium ?? Evidence.Medium,
                Low = overrides.ConfidenceFactorLow ?? Evidence.Low,
            },
            AbsorbedShareForNoRelief = overrides.AbsorbedShareForNoRelief ?? AbsorbedShareForNoRelief,
            AbsorbedWindowWeeks = overrides.AbsorbedWindowWeeks ?? AbsorbedWindowWeeks,
            OutlierMultiple = overrides.OutlierMultiple ?? OutlierMultiple,
            OutlierMedianWeeks = overrides.OutlierMedianWeeks ?? OutlierMedianWeeks,
            StaleSignalWeeks = overrides.StaleSignalWeeks ?? StaleSignalWeeks,
            MaxReportedMeasuredGap = overrides.MaxReportedMeasuredGap ?? MaxReportedMeasuredGap,
        };
    }

    /// <summary>
    /// The policy that applies to one use case: this one with the use case's overrides. The evidence factors stay
    /// the organisation's, so no use case can discount its own figures less than the rest of the portfolio.
    /// </summary>
    public EvaluationPolicy For(UseCase useCase)
    {
        var merged = Merge(useCase.PolicyOverrides);
        return merged.Evidence == Evidence ? merged : merged with { Evidence = Evidence };
    }

    /// <summary>
    /// Every value out of range, and a scale requirement larger than its window; each named by its
    /// <see cref="PolicyParameter.Name"/> (callers place it: <c>Policy:…</c> in configuration, <c>rules.…</c> in the API).
    /// </summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        foreach (var parameter in PolicyParameters.All)
        {
            if (parameter.Of(this) is { } value && parameter.Check(value) is { } problem)
            {
                errors.Add(new FieldError(parameter.Name, problem));
            }
        }

        if (ScaleMinAnsweredWeeks > ScaleWindowWeeks)
        {
            errors.Add(new FieldError("scaleMinAnsweredWeeks",
                $"The answered weeks needed to scale ({ScaleMinAnsweredWeeks}) cannot exceed the scale window ({ScaleWindowWeeks} weeks)."));
        }

        if (ScaleMinPositiveNetWeeks > ScaleWindowWeeks)
        {
            errors.Add(new FieldError("scaleMinPositiveNetWeeks",
                $"The weeks with positive net value needed to scale ({ScaleMinPositiveNetWeeks}) cannot exceed the scale window ({ScaleWindowWeeks} weeks)."));
        }

        errors.AddRange(Evidence.Validate());
        return errors;
    }
}

/// <summary>Per-use-case replacements for organisation defaults; null keeps the default.</summary>
public sealed record EvaluationPolicyOverrides
{
    public static EvaluationPolicyOverrides None { get; } = new();

    /// <summary>True when no value is set: the use case follows the organisation in everything.</summary>
    public bool IsEmpty => this == None;

    public decimal? MaxReworkRate { get; init; }
    public decimal? MinAdoption { get; init; }
    public decimal? MaxExceptionRate { get; init; }
    public int? RollingWindowWeeks { get; init; }
    public int? SavingsWithoutReliefWeeks { get; init; }
    public int? GrowingExceptionsWeeks { get; init; }
    public decimal? UnstableReworkRise { get; init; }
    public int? MissedCheckInsForUnclearAccountability { get; init; }
    public decimal? CostDriftFactor { get; init; }
    public int? CostPerOutcomeRisingWeeks { get; init; }
    public int? StaleWindow { get; init; }
    public int? StopBreachWeeks { get; init; }
    public int? RedesignBreachWeeks { get; init; }
    public int? RedesignNegativeNetWeeks { get; init; }
    public int? MinAnsweredWeeksForEvidence { get; init; }
    public int? ScaleWindowWeeks { get; init; }
    public int? ScaleMinAnsweredWeeks { get; init; }
    public int? ScaleMinPositiveNetWeeks { get; init; }
    public decimal? ScaleMinCompliance { get; init; }
    public decimal? AbsorbedShareForNoRelief { get; init; }
    public int? AbsorbedWindowWeeks { get; init; }
    public decimal? OutlierMultiple { get; init; }
    public int? OutlierMedianWeeks { get; init; }
    public int? StaleSignalWeeks { get; init; }
    public decimal? MaxReportedMeasuredGap { get; init; }

    // Organisation-only (Policy:* in configuration); never taken from a use case.
    public decimal? SourceFactorMeasured { get; init; }
    public decimal? SourceFactorEstimated { get; init; }
    public decimal? SourceFactorGuessed { get; init; }
    public decimal? ConfidenceFactorHigh { get; init; }
    public decimal? ConfidenceFactorMedium { get; init; }
    public decimal? ConfidenceFactorLow { get; init; }
}
