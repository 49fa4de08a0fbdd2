using ValueBot.Domain.Common;
using ValueBot.Domain.Policies;

namespace ValueBot.Domain.UseCases;

/// <summary>An AI use case: the unit of measurement, with its owner, baseline and limits.</summary>
public sealed record UseCase
{
    public const int MaxNameLength = 200;

    public required Guid Id { get; init; }

    public required string Name { get; init; }

    public string Description { get; init; } = "";

    public required ValueModel ValueModel { get; init; }

    public Stage Stage { get; init; } = Stage.Pilot;

    /// <summary>The one person accountable for net value; null means nobody is.</summary>
    public PersonRef? Owner { get; init; }

    public PersonRef? Delegate { get; init; }

    public PersonRef? Sponsor { get; init; }

    public string OrgUnit { get; init; } = "";

    /// <summary>The workflow the use case redesigns.</summary>
    public string Workflow { get; init; } = "";

    public PnlLine PnlLine { get; init; } = PnlLine.Cost;

    public string SuccessCriteria { get; init; } = "";

    public DateOnly? LaunchDate { get; init; }

    /// <summary>N: the population expected to use it.</summary>
    public required int TargetUsers { get; init; }

    public required Baseline Baseline { get; init; }

    /// <summary>d: the effort reduction per task the pilot claimed, as a share of baseline minutes.</summary>
    public decimal DeclaredPilotBenefit { get; init; }

    public required Money PlannedRunCostPerMonth { get; init; }

    /// <summary>
    /// The use case's own stop-loss thresholds and rule parameters; each value left null (and the whole when null)
    /// follows the organisation's <see cref="EvaluationPolicy"/>.
    /// </summary>
    public EvaluationPolicyOverrides? PolicyOverrides { get; init; }

    public CheckInSchedule CheckInSchedule { get; init; } = CheckInSchedule.Default;

    public bool Retired { get; init; }

    /// <summary>The currency every figure of this use case is in: that of the hourly cost.</summary>
    public string Currency => Baseline.HourlyCost.Currency;

    /// <summary>P: planned run cost per week, the monthly plan × 12 ÷ 52.</summary>
    public Money PlannedRunCostPerWeek => PlannedRunCostPerMonth * 12m / 52m;

    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (Id == Guid.Empty)
        {
            errors.Add(new FieldError("id", "The use case needs an id."));
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add(new FieldError("name", "Give the use case a name."));
        }
        else if (Name.Length > MaxNameLength)
        {
            errors.Add(new FieldError("name", $"The name can be at most {MaxNameLength} characters."));
        }

        if (!Enum.IsDefined(ValueModel))
        {
            errors.Add(new FieldError("valueModel", "Pick one of the five value models."));
        }

        if (!Enum.IsDefined(Stage))
        {
            errors.Add(new FieldError("stage", "Pick a stage."));
        }

        if (!Enum.IsDefined(PnlLine))
        {
            errors.Add(new FieldError("pnlLine", "Pick the P&L line it moves: cost, revenue or risk."));
        }

        Person(errors, "owner", Owner);
        Person(errors, "delegate", Delegate);
        Person(errors, "sponsor", Sponsor);
        if (Owner is not null && Delegate is not null
            && string.Equals(Owner.AadObjectId, Delegate.AadObjectId, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new FieldError("delegate", "The delegate must be someone other than the owner."));
        }

        if (TargetUsers < 1)
        {
            errors.Add(new FieldError("targetUsers", "Target users must be at least 1."));
        }

        if (Baseline is null)
        {
            errors.Add(new FieldError("baseline", "Capture the baseline before AI."));
        }
        else
        {
            NonNegative(errors, "baseline.minutesPerTask", Baseline.MinutesPerTask, "Minutes per task");
            NonNegative(errors, "baseline.tasksPerWeek", Baseline.TasksPerWeek, "Tasks per week");
            NonNegative(errors, "baseline.hourlyCost", Baseline.HourlyCost.Amount, "Hourly cost");
            Fraction(errors, "baseline.reworkRateBeforeAi", Baseline.ReworkRateBeforeAi, "Rework rate before AI");
            NonNegative(errors, "baseline.minutesPerException", Baseline.MinutesPerException, "Minutes per exception");
            if (!IsCurrencyCode(Baseline.HourlyCost.Currency))
            {
                errors.Add(new FieldError("baseline.hourlyCost",
                    "Give the hourly cost's currency as a three-letter code such as EUR."));
            }
            else if (!string.Equals(PlannedRunCostPerMonth.Currency, Baseline.HourlyCost.Currency, StringComparison.Ordinal))
            {
                errors.Add(new FieldError("plannedRunCostPerMonth",
                    $"The planned run cost must be in {Baseline.HourlyCost.Currency}, the currency of the hourly cost."));
            }
        }

        Fraction(errors, "declaredPilotBenefit", DeclaredPilotBenefit, "Declared pilot benefit");
        NonNegative(errors, "plannedRunCostPerMonth", PlannedRunCostPerMonth.Amount, "Planned run cost");
        if (CheckInSchedule is null || !Enum.IsDefined(CheckInSchedule.Day))
        {
            errors.Add(new FieldError("checkInSchedule", "Pick the day of the week the check-in is sent."));
        }

        if (PolicyOverrides is not null)
        {
            // Ranges only: whether the scale requirement fits its window depends on the organisation's policy too.
            errors.AddRange(PolicyParameters.Check(PolicyOverrides));
        }

        return errors;
    }

    private static bool IsCurrencyCode(string? code) =>
        code is { Length: 3 } && code.All(char.IsAsciiLetterUpper);

    private static void Person(List<FieldError> errors, string field, PersonRef? person)
    {
        if (person is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(person.AadObjectId))
        {
            errors.Add(new FieldError(field + ".aadObjectId", "Pick a person from the directory."));
        }

        if (string.IsNullOrWhiteSpace(person.DisplayName))
        {
            errors.Add(new FieldError(field + ".displayName", "The person needs a display name."));
        }
    }

    private static void NonNegative(List<FieldError> errors, string field, decimal value, string label)
    {
        if (value < 0m)
        {
            errors.Add(new FieldError(field, $"{label} cannot be negative."));
        }
    }

    private static void Fraction(List<FieldError> errors, string field, decimal value, string label)
    {
        if (value is < 0m or > 1m)
        {
            errors.Add(new FieldError(field, $"{label} must be between 0 % and 100 %."));
        }
    }
}
