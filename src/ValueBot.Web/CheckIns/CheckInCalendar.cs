using Microsoft.Extensions.Options;
using ValueBot.Domain.Periods;
using ValueBot.Domain.Scheduling;

namespace ValueBot.Web.CheckIns;

/// <summary>
/// The weekly rhythm as configured (section <c>Schedule</c>). Days and times are local to the owner's time zone, or
/// to <see cref="OrganisationTimeZone"/> when the owner's zone is unknown; defaults follow DOMAIN.md's cadence.
/// </summary>
public sealed class ScheduleOptions
{
    public const string SectionName = "Schedule";

    /// <summary>Run the Hangfire schedule (check-in cycle, digests, reviews) in this instance.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the check-in cycle looks for what is due (send, remind, close, escalate).</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>IANA or Windows id; the zone of owners whose own zone is unknown, and of the digests.</summary>
    public string OrganisationTimeZone { get; set; } = "UTC";

    public DayOfWeek ReminderDay { get; set; } = DayOfWeek.Wednesday;

    public TimeOnly ReminderTime { get; set; } = new(9, 0);

    /// <summary>The week closes: unanswered check-ins become missed.</summary>
    public DayOfWeek DeadlineDay { get; set; } = DayOfWeek.Friday;

    public TimeOnly DeadlineTime { get; set; } = new(12, 0);

    public DayOfWeek DigestDay { get; set; } = DayOfWeek.Friday;

    public TimeOnly DigestTime { get; set; } = new(15, 0);

    /// <summary>
    /// The serviceUrl used for a 1:1 chat that ValueBot opened through Graph's proactive installation, when no other
    /// installation in the tenant tells a better one.
    /// </summary>
    public string ProactiveServiceUrl { get; set; } = "https://smba.trafficmanager.net/teams/";
}

internal sealed class ScheduleOptionsValidator : IValidateOptions<ScheduleOptions>
{
    public ValidateOptionsResult Validate(string? name, ScheduleOptions options)
    {
        var errors = new List<string>();
        if (options.TickInterval < TimeSpan.FromSeconds(1) || options.TickInterval > TimeSpan.FromHours(1))
        {
            errors.Add("Schedule:TickInterval must be between 00:00:01 and 01:00:00.");
        }

        if (!CheckInCalendar.TryFindZone(options.OrganisationTimeZone, out _))
        {
            errors.Add($"Schedule:OrganisationTimeZone '{options.OrganisationTimeZone}' is not a time zone this machine knows (use an IANA id such as Europe/Berlin).");
        }

        if (!Uri.TryCreate(options.ProactiveServiceUrl, UriKind.Absolute, out _))
        {
            errors.Add("Schedule:ProactiveServiceUrl must be an absolute URL.");
        }

        var week = IsoWeek.FromDate(new DateOnly(2026, 1, 5));
        if (Cadence.At(week, new WeeklyMoment(options.ReminderDay, options.ReminderTime), TimeZoneInfo.Utc)
            >= Cadence.At(week, new WeeklyMoment(options.DeadlineDay, options.DeadlineTime), TimeZoneInfo.Utc))
        {
            errors.Add("Schedule:ReminderDay/ReminderTime must come before Schedule:DeadlineDay/DeadlineTime within the week.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>The configured <see cref="Cadence"/> and the time zone each owner's week runs in.</summary>
public sealed class CheckInCalendar
{
    public CheckInCalendar(IOptions<ScheduleOptions> options)
    {
        var o = options.Value;
        Cadence = new Cadence(new CadenceSettings
        {
            Reminder = new WeeklyMoment(o.ReminderDay, o.ReminderTime),
            Deadline = new WeeklyMoment(o.DeadlineDay, o.DeadlineTime),
            Digest = new WeeklyMoment(o.DigestDay, o.DigestTime),
        });
        OrganisationZone = TryFindZone(o.OrganisationTimeZone, out var zone) ? zone : TimeZoneInfo.Utc;
    }

    public Cadence Cadence { get; }

    public TimeZoneInfo OrganisationZone { get; }

    /// <summary>The owner's zone when it is known and valid, else the organisation's.</summary>
    public TimeZoneInfo ZoneOf(string? personTimeZone) =>
        TryFindZone(personTimeZone, out var zone) ? zone : OrganisationZone;

    /// <summary>
    /// When <paramref name="week"/> closes for a check-in: the deadline it was scheduled with, else the deadline in the
    /// zone it was scheduled in, else in <paramref name="zone"/>.
    /// </summary>
    public DateTimeOffset DeadlineOf(IsoWeek week, CheckIn? row, TimeZoneInfo zone) =>
        row?.DeadlineAt is { } stored
            ? new DateTimeOffset(DateTime.SpecifyKind(stored, DateTimeKind.Utc))
            : Cadence.DeadlineAt(week, row?.TimeZone is { } rowZone ? ZoneOf(rowZone) : zone);

    public static bool TryFindZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var found))
        {
            zone = found;
            return true;
        }

        return false;
    }
}
