using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;

namespace ValueBot.Domain.Metrics;

/// <summary>
/// One answered week's figures, per DOMAIN.md "Metrics". Ratios whose denominator is zero are null ("not defined").
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

    /// <summary>G = H × h.</summary>
    public required Money GrossValue { get; init; }

    /// <summary>T × r × c ÷ 60 × h.</summary>
    public required Money ReworkCost { get; init; }

    /// <summary>E × x ÷ 60 × h.</summary>
    public required Money ExceptionCost { get; init; }

    /// <summary>R.</summary>
    public required Money RunCost { get; init; }

    /// <summary>Rework cost + exception cost + R.</summary>
    public required Money AbsorptionCost { get; init; }

    /// <summary>G − absorption cost.</summary>
    public required Money NetValue { get; init; }

    /// <summary>R ÷ T.</summary>
    public required Money? CostPerOutcome { get; init; }

    public static WeeklyMetrics Compute(UseCase useCase, IsoWeek week, Answer answer)
    {
        var h = useCase.Baseline.HourlyCost;
        decimal tasks = answer.Tasks;
        var hoursSaved = tasks * answer.MinutesSavedPerTask / 60m;
        var gross = h * hoursSaved;
        var rework = h * (tasks * answer.ReworkShare * answer.MinutesPerCorrection / 60m);
        var exception = h * (answer.Exceptions * useCase.Baseline.MinutesPerException / 60m);
        var run = answer.RunCost.Total;
        var absorption = rework + exception + run;
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
        };
    }
}
