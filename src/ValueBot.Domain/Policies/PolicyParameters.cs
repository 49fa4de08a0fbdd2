using System.Globalization;
using ValueBot.Domain.Common;

namespace ValueBot.Domain.Policies;

/// <summary>What kind of number a policy parameter is, and so which values it accepts.</summary>
public enum PolicyParameterKind
{
    /// <summary>A fraction between 0 and 1 (0.15 = 15 %).</summary>
    Share,

    /// <summary>A multiplier of at least 1 (1.2 = 20 % above plan).</summary>
    Factor,

    /// <summary>A whole number of weeks (or check-ins), at least 1.</summary>
    Weeks,

    /// <summary>A discount factor above 0 and at most 1 (0.8 = believe 80 %).</summary>
    Discount,
}

/// <summary>
/// One number of the <see cref="EvaluationPolicy"/> that an organisation sets and a use case may override. Its
/// <see cref="Name"/> is the camelCase name used in the admin API, CSV and configuration; <see cref="Field"/>
/// places it under <c>stopLoss.</c> or <c>rules.</c> as the admin API does.
/// </summary>
public sealed class PolicyParameter
{
    public const int MaxWeeks = 104;
    public const decimal MaxFactor = 100m;

    private readonly Func<EvaluationPolicyOverrides, decimal?> _get;
    private readonly Func<EvaluationPolicyOverrides, decimal?, EvaluationPolicyOverrides> _with;
    private readonly Func<EvaluationPolicy, decimal?> _of;

    internal PolicyParameter(
        string name, bool isStopLoss, PolicyParameterKind kind, string meaning,
        Func<EvaluationPolicyOverrides, decimal?> get,
        Func<EvaluationPolicyOverrides, decimal?, EvaluationPolicyOverrides> with,
        Func<EvaluationPolicy, decimal?> of,
        bool isOrganisationOnly = false)
    {
        IsOrganisationOnly = isOrganisationOnly;
        Name = name;
        IsStopLoss = isStopLoss;
        Kind = kind;
        Meaning = meaning;
        _get = get;
        _with = with;
        _of = of;
    }

    public string Name { get; }

    public bool IsStopLoss { get; }

    /// <summary>Set for the organisation only (<c>Policy:…</c>); a use case cannot override it.</summary>
    public bool IsOrganisationOnly { get; }

    public PolicyParameterKind Kind { get; }

    /// <summary>What the number means, in a sentence (for the OpenAPI document and error messages).</summary>
    public string Meaning { get; }

    /// <summary><c>stopLoss.maxReworkRate</c> or <c>rules.costDriftFactor</c>.</summary>
    public string Field => (IsStopLoss ? "stopLoss." : "rules.") + Name;

    /// <summary>The override's value; null when the use case keeps the organisation's.</summary>
    public decimal? Get(EvaluationPolicyOverrides overrides) => _get(overrides);

    /// <summary>The overrides with this value replaced; the value must have passed <see cref="Check"/>.</summary>
    public EvaluationPolicyOverrides With(EvaluationPolicyOverrides overrides, decimal? value) => _with(overrides, value);

    /// <summary>The value in a whole policy; null only for an unset maximum exception rate.</summary>
    public decimal? Of(EvaluationPolicy policy) => _of(policy);

    /// <summary>Why <paramref name="value"/> is not acceptable, or null when it is.</summary>
    public string? Check(decimal value)
    {
        var shown = value.ToString("0.############", CultureInfo.InvariantCulture);
        return Kind switch
        {
            PolicyParameterKind.Share when value is < 0m or > 1m =>
                $"Must be a fraction between 0 and 1, e.g. 0.15 for 15 % (was {shown}).",
            PolicyParameterKind.Factor when value is < 1m or > MaxFactor =>
                $"Must be a factor between 1 and {MaxFactor:0}, e.g. 1.2 for 20 % above plan (was {shown}).",
            PolicyParameterKind.Weeks when value != decimal.Truncate(value) || value is < 1m or > MaxWeeks =>
                $"Must be a whole number of weeks between 1 and {MaxWeeks} (was {shown}).",
            PolicyParameterKind.Discount when value is <= 0m or > 1m =>
                $"Must be a factor above 0 and at most 1, e.g. 0.8 to believe 80 % of a benefit (was {shown}).",
            _ => null,
        };
    }
}

/// <summary>Every parameter of the <see cref="EvaluationPolicy"/>, in the order they are listed everywhere.</summary>
public static class PolicyParameters
{
    public static IReadOnlyList<PolicyParameter> All { get; } =
    [
        Share("maxReworkRate", true, "Stop-loss: the highest acceptable rework rate.",
            o => o.MaxReworkRate, (o, v) => o with { MaxReworkRate = v }, p => p.StopLoss.MaxReworkRate),
        Share("minAdoption", true, "Stop-loss: the lowest acceptable adoption (active ÷ target users).",
            o => o.MinAdoption, (o, v) => o with { MinAdoption = v }, p => p.StopLoss.MinAdoption),
        Share("maxExceptionRate", true, "Stop-loss: the highest acceptable exception rate; none by default.",
            o => o.MaxExceptionRate, (o, v) => o with { MaxExceptionRate = v }, p => p.StopLoss.MaxExceptionRate),
        Weeks("rollingWindowWeeks", "The rolling window of the three figures (\"90 days\"), in ISO weeks.",
            o => o.RollingWindowWeeks, (o, v) => o with { RollingWindowWeeks = v }, p => p.RollingWindowWeeks),
        Weeks("savingsWithoutReliefWeeks", "Savings without relief: answered weeks with time saved but no shrinking backlog.",
            o => o.SavingsWithoutReliefWeeks, (o, v) => o with { SavingsWithoutReliefWeeks = v }, p => p.SavingsWithoutReliefWeeks),
        Weeks("growingExceptionsWeeks", "Growing exceptions: answered weeks in a row with a rising exception rate.",
            o => o.GrowingExceptionsWeeks, (o, v) => o with { GrowingExceptionsWeeks = v }, p => p.GrowingExceptionsWeeks),
        Share("unstableReworkRise", false, "Unstable after change: the rise in rework (0.05 = 5 points) after a model/prompt change.",
            o => o.UnstableReworkRise, (o, v) => o with { UnstableReworkRise = v }, p => p.UnstableReworkRise),
        Weeks("missedCheckInsForUnclearAccountability", "Unclear accountability: due check-ins missed in a row.",
            o => o.MissedCheckInsForUnclearAccountability, (o, v) => o with { MissedCheckInsForUnclearAccountability = v },
            p => p.MissedCheckInsForUnclearAccountability),
        new("costDriftFactor", false, PolicyParameterKind.Factor, "Cost drift: run cost above this multiple of the planned weekly run cost.",
            o => o.CostDriftFactor, (o, v) => o with { CostDriftFactor = v }, p => p.CostDriftFactor),
        Weeks("costPerOutcomeRisingWeeks", "Cost drift: answered weeks in a row with a rising cost per outcome.",
            o => o.CostPerOutcomeRisingWeeks, (o, v) => o with { CostPerOutcomeRisingWeeks = v }, p => p.CostPerOutcomeRisingWeeks),
        Weeks("staleWindow", "Stale: the last due check-ins of which none was answered.",
            o => o.StaleWindow, (o, v) => o with { StaleWindow = v }, p => p.StaleWindow),
        Weeks("stopBreachWeeks", "Stage gate, stop: answered weeks in a row with a stop-loss breach (and 90-day net value below 0).",
            o => o.StopBreachWeeks, (o, v) => o with { StopBreachWeeks = v }, p => p.StopBreachWeeks),
        Weeks("redesignBreachWeeks", "Stage gate, redesign: answered weeks in a row with a stop-loss breach.",
            o => o.RedesignBreachWeeks, (o, v) => o with { RedesignBreachWeeks = v }, p => p.RedesignBreachWeeks),
        Weeks("redesignNegativeNetWeeks", "Stage gate, redesign: answered weeks in a row with negative net value at adequate adoption.",
            o => o.RedesignNegativeNetWeeks, (o, v) => o with { RedesignNegativeNetWeeks = v }, p => p.RedesignNegativeNetWeeks),
        Weeks("minAnsweredWeeksForEvidence", "Stage gate, hold: fewer answered weeks than this is not enough evidence.",
            o => o.MinAnsweredWeeksForEvidence, (o, v) => o with { MinAnsweredWeeksForEvidence = v }, p => p.MinAnsweredWeeksForEvidence),
        Weeks("scaleWindowWeeks", "Stage gate, scale: the window of weeks looked at.",
            o => o.ScaleWindowWeeks, (o, v) => o with { ScaleWindowWeeks = v }, p => p.ScaleWindowWeeks),
        Weeks("scaleMinAnsweredWeeks", "Stage gate, scale: answered weeks needed in the window.",
            o => o.ScaleMinAnsweredWeeks, (o, v) => o with { ScaleMinAnsweredWeeks = v }, p => p.ScaleMinAnsweredWeeks),
        Weeks("scaleMinPositiveNetWeeks", "Stage gate, scale: weeks with positive net value needed in the window.",
            o => o.ScaleMinPositiveNetWeeks, (o, v) => o with { ScaleMinPositiveNetWeeks = v }, p => p.ScaleMinPositiveNetWeeks),
        Share("scaleMinCompliance", false, "Stage gate, scale: the check-in compliance needed over the window.",
            o => o.ScaleMinCompliance, (o, v) => o with { ScaleMinCompliance = v }, p => p.ScaleMinCompliance),
        Share("absorbedShareForNoRelief", false, "Savings without relief: the share of freed time reported \"absorbed\" that fires it.",
            o => o.AbsorbedShareForNoRelief, (o, v) => o with { AbsorbedShareForNoRelief = v }, p => p.AbsorbedShareForNoRelief),
        Weeks("absorbedWindowWeeks", "Savings without relief: the answered weeks over which the absorbed share is taken.",
            o => o.AbsorbedWindowWeeks, (o, v) => o with { AbsorbedWindowWeeks = v }, p => p.AbsorbedWindowWeeks),
        new("outlierMultiple", false, PolicyParameterKind.Factor, "Implausible answer: tasks or minutes saved above this multiple of the recent median.",
            o => o.OutlierMultiple, (o, v) => o with { OutlierMultiple = v }, p => p.OutlierMultiple),
        Weeks("outlierMedianWeeks", "Implausible answer: the answered weeks whose median is compared with.",
            o => o.OutlierMedianWeeks, (o, v) => o with { OutlierMedianWeeks = v }, p => p.OutlierMedianWeeks),
        Weeks("staleSignalWeeks", "Stale signal: answered weeks running with every number equal.",
            o => o.StaleSignalWeeks, (o, v) => o with { StaleSignalWeeks = v }, p => p.StaleSignalWeeks),
        Share("maxReportedMeasuredGap", false, "Reported ≠ measured: the largest acceptable gap between reported and measured adoption (0.15 = 15 points).",
            o => o.MaxReportedMeasuredGap, (o, v) => o with { MaxReportedMeasuredGap = v }, p => p.MaxReportedMeasuredGap),
        Discount("sourceFactorMeasured", "Risk-adjusted value: source factor s for a measured number.",
            o => o.SourceFactorMeasured, (o, v) => o with { SourceFactorMeasured = v }, p => p.Evidence.Measured),
        Discount("sourceFactorEstimated", "Risk-adjusted value: source factor s for an estimated number.",
            o => o.SourceFactorEstimated, (o, v) => o with { SourceFactorEstimated = v }, p => p.Evidence.Estimated),
        Discount("sourceFactorGuessed", "Risk-adjusted value: source factor s for a guessed number.",
            o => o.SourceFactorGuessed, (o, v) => o with { SourceFactorGuessed = v }, p => p.Evidence.Guessed),
        Discount("confidenceFactorHigh", "Risk-adjusted value: confidence factor k for high confidence.",
            o => o.ConfidenceFactorHigh, (o, v) => o with { ConfidenceFactorHigh = v }, p => p.Evidence.High),
        Discount("confidenceFactorMedium", "Risk-adjusted value: confidence factor k for medium confidence.",
            o => o.ConfidenceFactorMedium, (o, v) => o with { ConfidenceFactorMedium = v }, p => p.Evidence.Medium),
        Discount("confidenceFactorLow", "Risk-adjusted value: confidence factor k for low confidence.",
            o => o.ConfidenceFactorLow, (o, v) => o with { ConfidenceFactorLow = v }, p => p.Evidence.Low),
    ];

    /// <summary>The parameter with this name (case-insensitive), or null.</summary>
    public static PolicyParameter? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    public static IEnumerable<PolicyParameter> StopLoss => All.Where(p => p.IsStopLoss);

    /// <summary>The rule parameters a use case may override.</summary>
    public static IEnumerable<PolicyParameter> Rules => All.Where(p => !p.IsStopLoss && !p.IsOrganisationOnly);

    /// <summary>The parameters only the organisation sets: the evidence factors.</summary>
    public static IEnumerable<PolicyParameter> OrganisationOnly => All.Where(p => p.IsOrganisationOnly);

    /// <summary>Each value set in <paramref name="overrides"/> that is out of range, named by its <see cref="PolicyParameter.Field"/>.</summary>
    public static IReadOnlyList<FieldError> Check(EvaluationPolicyOverrides overrides)
    {
        var errors = new List<FieldError>();
        foreach (var parameter in All)
        {
            if (parameter.Get(overrides) is { } value && parameter.Check(value) is { } problem)
            {
                errors.Add(new FieldError(parameter.Field, problem));
            }
        }

        return errors;
    }

    private static PolicyParameter Share(
        string name, bool isStopLoss, string meaning, Func<EvaluationPolicyOverrides, decimal?> get,
        Func<EvaluationPolicyOverrides, decimal?, EvaluationPolicyOverrides> with, Func<EvaluationPolicy, decimal?> of) =>
        new(name, isStopLoss, PolicyParameterKind.Share, meaning, get, with, of);

    private static PolicyParameter Discount(
        string name, string meaning, Func<EvaluationPolicyOverrides, decimal?> get,
        Func<EvaluationPolicyOverrides, decimal?, EvaluationPolicyOverrides> with, Func<EvaluationPolicy, decimal?> of) =>
        new(name, false, PolicyParameterKind.Discount, meaning, get, with, of, isOrganisationOnly: true);

    private static PolicyParameter Weeks(
        string name, string meaning, Func<EvaluationPolicyOverrides, int?> get,
        Func<EvaluationPolicyOverrides, int?, EvaluationPolicyOverrides> with, Func<EvaluationPolicy, int> of) =>
        new(name, false, PolicyParameterKind.Weeks, meaning,
            o => get(o),
            (o, v) => with(o, v is { } d ? (int)decimal.Truncate(Math.Clamp(d, 0m, int.MaxValue)) : null),
            p => of(p));
}
