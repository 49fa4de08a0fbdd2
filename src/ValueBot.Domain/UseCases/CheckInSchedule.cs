namespace ValueBot.Domain.UseCases;

/// <summary>When the weekly check-in is sent, in the owner's local time.</summary>
public sealed record CheckInSchedule(DayOfWeek Day, TimeOnly LocalTime)
{
    public static CheckInSchedule Default { get; } = new(DayOfWeek.Monday, new TimeOnly(9, 0));
}
