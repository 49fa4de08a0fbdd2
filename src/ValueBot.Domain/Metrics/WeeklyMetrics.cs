using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Metrics;

/// <summary>
/// One answered week's figures, per DOMAIN.md "Metrics". Ratios whose denominator is zero are null ("not defined").
/// Money follows "Rounding: figures that add up": gross, rework cost, exception cost and run cost are each rounded to
/// cents once (multiplying before dividing); absorption is the sum of those rounded parts and net their difference,
/// so every total built from weekly figures is exactly the sum of the weekly rows.
/// </summary>
public sealed record WeeklyMetrics
{
    public required IsoWeek Week { get; init; }

    /// <summary>A ÷ N.</summary>
    public required decimal? Adoption { get; init; }

    /// <summary>r.</summary>
    public required decimal ReworkRate { get; init; }

    /// <summary>E ÷ T.</summary>
    public required decimal? ExceptionRate { get; init; }

    /// <summary>H = T × m ÷ 60.</summary>
    public required decimal HoursSaved { get; init; }

    /// <summary>G = H × h, rounded to cents.</summary>
    public required Money GrossValue { get; init; }

    /// <summary>T × r × c ÷ 60 × h, rounded to cents.</summary>
    public required Money ReworkCost { get; init; }

    /// <summary>E × x ÷ 60 × h, rounded to cents.</summary>
    public required Money ExceptionCost { get; init; }

    /// <summary>R, rounded to cents.</summary>
    public required Money RunCost { get; init; }

    /// <summary>Rework cost + exception cost + R (each already rounded).</summary>
    public required Money AbsorptionCost { get; init; }

    /// <summary>Rounded G − rounded absorption cost.</summary>
    public required Money NetValue { get; init; }

    /// <summary>R ÷ T.</summary>
    public required Money? CostPerOutcome { get; init; }

    /// <summary>s × k of the minutes saved, the number the gross value rests on.</summary>
    public required decimal EvidenceFactor { get; init; }

    /// <summary>G′ = G × s × k: the gross value believed by its evidence.</summary>
    public required Money AdjustedGrossValue { get; init; }

    /// <summary>G′ − absorption cost (costs are never discounted). The stage gate reads this one.</summary>
    public required Money AdjustedNetValue { get; init; }

    /// <summary>The minutes saved, and so the gross value, rest on a measurement (source "measured").</summary>
    public bool GrossMeasured { get; init; }

    /// <param name="factors">The organisation's evidence factors; DOMAIN.md's defaults when null.</param>
    public static WeeklyMetrics Compute(UseCase useCase, IsoWeek week, Answer answer, EvidenceFactors? factors = null)
    {
        factors ??= EvidenceFactors.Default;
        var h = useCase.Baseline.HourlyCost;
        decimal tasks = answer.Tasks;
        var hoursSaved = tasks * answer.MinutesSavedPerTask / 60m;
        var gross = (h * (tasks * answer.MinutesSavedPerTask) / 60m).RoundedToCents();
        var rework = (h * (tasks * answer.ReworkShare * answer.MinutesPerCorrection) / 60m).RoundedToCents();
        var exception = (h * (answer.Exceptions * useCase.Baseline.MinutesPerException) / 60m).RoundedToCents();
        var run = answer.RunCost.Total.RoundedToCents();
        var absorption = rework + exception + run;
        var adjustedGross = factors.Adjust(gross, answer.MinutesSavedEvidence);
        return new WeeklyMetrics
        {
            Week = week,
            Adoption = useCase.TargetUsers > 0 ? (decimal)answer.ActiveUsers / useCase.TargetUsers : null,
            ReworkRate = answer.ReworkShare,
            ExceptionRate = answer.Tasks > 0 ? answer.Exceptions / tasks : null,
            HoursSaved = hoursSaved,
            GrossValue = gross,
            ReworkCost = rework,
            ExceptionCost = exception,
            RunCost = run,
            AbsorptionCost = absorption,
            NetValue = gross - absorption,
            CostPerOutcome = answer.Tasks > 0 ? run / tasks : null,
            EvidenceFactor = factors.Of(answer.MinutesSavedEvidence),
            AdjustedGrossValue = adjustedGross,
            AdjustedNetValue = adjustedGross - absorption,
            GrossMeasured = answer.MinutesSavedEvidence.IsMeasured,
        };
    }
}
