using System.Globalization;
using ValueBot.Domain.Policies;

namespace ValueBot.Domain.UseCases;

/// <summary>One changed field of a use case, for the audit trail; the host adds who and when.</summary>
public sealed record FieldChange(string Field, string? OldValue, string? NewValue);

/// <summary>Lists what changed between two versions of a use case, field by field, as text.</summary>
public static class UseCaseChanges
{
    private static readonly (string Field, Func<UseCase, string?> Value)[] Fields =
    [
        ("name", u => u.Name),
        ("description", u => u.Description),
        ("valueModel", u => u.ValueModel.ToString()),
        ("stage", u => u.Stage.ToString()),
        ("owner", u => Person(u.Owner)),
        ("delegate", u => Person(u.Delegate)),
        ("sponsor", u => Person(u.Sponsor)),
        ("orgUnit", u => u.OrgUnit),
        ("workflow", u => u.Workflow),
        ("pnlLine", u => u.PnlLine.ToString()),
        ("successCriteria", u => u.SuccessCriteria),
        ("launchDate", u => u.LaunchDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("targetUsers", u => Text(u.TargetUsers)),
        ("baseline.minutesPerTask", u => Text(u.Baseline.MinutesPerTask)),
        ("baseline.tasksPerWeek", u => Text(u.Baseline.TasksPerWeek)),
        ("baseline.hourlyCost", u => u.Baseline.HourlyCost.ToString()),
        ("baseline.reworkRateBeforeAi", u => Text(u.Baseline.ReworkRateBeforeAi)),
        ("baseline.minutesPerException", u => Text(u.Baseline.MinutesPerException)),
        ("declaredPilotBenefit", u => Text(u.DeclaredPilotBenefit)),
        ("plannedRunCostPerMonth", u => u.PlannedRunCostPerMonth.ToString()),
        ("checkInSchedule", u => $"{u.CheckInSchedule.Day} {u.CheckInSchedule.LocalTime:HH\\:mm}"),
        ("retired", u => u.Retired ? "true" : "false"),
        // One entry per stop-loss threshold and rule parameter; null means "the organisation's default".
        .. PolicyParameters.All.Select(p => (p.Field, (Func<UseCase, string?>)(u =>
            u.PolicyOverrides is { } o && p.Get(o) is { } v ? Text(v) : null))),
    ];

    public static IReadOnlyList<FieldChange> Between(UseCase before, UseCase after)
    {
        var changes = new List<FieldChange>();
        foreach (var (field, value) in Fields)
        {
            var old = value(before);
            var updated = value(after);
            if (!string.Equals(old, updated, StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(field, old, updated));
            }
        }

        return changes;
    }

    private static string? Person(PersonRef? person) =>
        person is null ? null : $"{person.DisplayName} ({person.AadObjectId}){(person.HasLeftOrganisation ? " left" : "")}";

    // Trailing zeros dropped, so 0.15 and 0.150000 (a NUMERIC(19,6) read back) are the same value.
    private static string Text(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
