using ValueBot.Domain.Scheduling;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Digests;

namespace ValueBot.Web.Scheduling;

/// <summary>Friday 15:00 (organisation's zone): the manager digests and the leadership digest of the week.</summary>
internal sealed class WeeklyDigestRun(DigestPublisher publisher) : IPeriodicRun
{
    public string Name => "weekly-digest";

    public string Cron(CheckInCalendar calendar) => ScheduleCron.Weekly(calendar.Cadence.Settings.Digest);

    public string? DueKey(DateTimeOffset now, CheckInCalendar calendar) =>
        ScheduledRuns.WeeklyKey("digest:weekly", now, calendar.Cadence.Settings.Digest, calendar.OrganisationZone);

    public Task RunAsync(string key, CancellationToken cancellationToken) =>
        publisher.PublishWeeklyAsync(ScheduledRuns.WeekOf(key), cancellationToken);
}

/// <summary>The first Monday of the month, 09:00: the monthly financial review.</summary>
internal sealed class MonthlyReviewRun(DigestPublisher publisher) : IPeriodicRun
{
    public string Name => "monthly-review";

    /// <summary>Every Monday 09:00; the run itself knows whether it is the month's first week (cron cannot say both).</summary>
    public string Cron(CheckInCalendar calendar) => ScheduleCron.Weekly(ScheduledRuns.ReviewMoment);

    public string? DueKey(DateTimeOffset now, CheckInCalendar calendar) =>
        ScheduledRuns.ReviewKey("review:monthly", now, calendar.OrganisationZone, Cadence.IsFirstWeekOfMonth);

    public Task RunAsync(string key, CancellationToken cancellationToken) =>
        publisher.PublishMonthlyReviewAsync(ScheduledRuns.WeekOf(key).Start, cancellationToken);
}

/// <summary>The first week of the quarter, Monday 09:00: the stage-gate review.</summary>
internal sealed class QuarterlyReviewRun(DigestPublisher publisher) : IPeriodicRun
{
    public string Name => "quarterly-review";

    public string Cron(CheckInCalendar calendar) => ScheduleCron.Weekly(ScheduledRuns.ReviewMoment);

    public string? DueKey(DateTimeOffset now, CheckInCalendar calendar) =>
        ScheduledRuns.ReviewKey("review:quarterly", now, calendar.OrganisationZone, Cadence.IsFirstWeekOfQuarter);

    public Task RunAsync(string key, CancellationToken cancellationToken) =>
        publisher.PublishQuarterlyReviewAsync(ScheduledRuns.WeekOf(key), cancellationToken);
}
