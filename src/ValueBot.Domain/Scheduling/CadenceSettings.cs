namespace ValueBot.Domain.Scheduling;

/// <summary>A day of the ISO week and a local time.</summary>
public readonly record struct WeeklyMoment(DayOfWeek Day, TimeOnly LocalTime);

/// <summary>The weekly rhythm (DOMAIN.md "Cadence"); times are local to the owner's or organisation's zone.</summary>
public sealed record CadenceSettings
{
    public static CadenceSettings Default { get; } = new();

    public WeeklyMoment CheckIn { get; init; } = new(DayOfWeek.Monday, new TimeOnly(9, 0));

    public WeeklyMoment Reminder { get; init; } = new(DayOfWeek.Wednesday, new TimeOnly(9, 0));

    /// <summary>The week closes: unanswered check-ins become missed.</summary>
    public WeeklyMoment Deadline { get; init; } = new(DayOfWeek.Friday, new TimeOnly(12, 0));

    public WeeklyMoment Digest { get; init; } = new(DayOfWeek.Friday, new TimeOnly(15, 0));
}
