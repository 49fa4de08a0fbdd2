using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.Periods;
using ValueBot.Domain.Scheduling;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Persistence;

namespace ValueBot.Web.Scheduling;

/// <summary>
/// Something the schedule does once per period, in the organisation's time zone (the weekly digests on Friday
/// 15:00, the monthly and quarterly reviews). Implementations must be idempotent on their own (outbox dedupe keys):
/// a run is recorded as done in <c>schedule_runs</c> only after it succeeded, so a crash in between repeats the run,
/// and the repetition sends nothing twice.
/// </summary>
public interface IPeriodicRun
{
    /// <summary>The id of its recurring job (e.g. <c>weekly-digest</c>).</summary>
    string Name { get; }

    /// <summary>When it is due, in the organisation's zone: the cron of its recurring job.</summary>
    string Cron(CheckInCalendar calendar);

    /// <summary>The key of the period due at <paramref name="now"/> (e.g. <c>digest:2026-W49</c>), or null when nothing is due.</summary>
    string? DueKey(DateTimeOffset now, CheckInCalendar calendar);

    Task RunAsync(string key, CancellationToken cancellationToken);
}

/// <summary>Runs every registered <see cref="IPeriodicRun"/> whose period is due and not yet done.</summary>
public sealed partial class ScheduledRuns(
    ValueBotDbContext db, IEnumerable<IPeriodicRun> runs, CheckInCalendar calendar, TimeProvider time, ILogger<ScheduledRuns> logger)
{
    /// <summary>Every run that is due (<paramref name="name"/> set: only that one).</summary>
    public async Task RunDueAsync(CancellationToken cancellationToken, string? name = null)
    {
        var now = time.GetUtcNow();
        foreach (var run in runs.Where(r => name is null || r.Name == name))
        {
            if (run.DueKey(now, calendar) is not { } key)
            {
                continue;
            }

            var done = await db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM schedule_runs WHERE run_key = {key}").SingleAsync(cancellationToken);
            if (done > 0)
            {
                continue;
            }

            await run.RunAsync(key, cancellationToken);
            var at = now.UtcDateTime;
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO schedule_runs (run_key, ran_at) VALUES ({key}, {at}) ON CONFLICT (run_key) DO NOTHING", cancellationToken);
            Log.Ran(logger, key);
        }
    }

    /// <summary>
    /// The key of a weekly moment: the latest week whose moment (in the organisation's zone) has passed, as long as
    /// it passed within the same week — a digest is not sent days late after a long outage.
    /// </summary>
    public static string? WeeklyKey(string prefix, DateTimeOffset now, WeeklyMoment moment, TimeZoneInfo zone)
    {
        var week = Cadence.WeekAt(now, zone);
        return now >= Cadence.At(week, moment, zone) ? $"{prefix}:{week}" : null;
    }

    /// <summary>Monday 09:00, when the monthly and quarterly reviews go out.</summary>
    public static WeeklyMoment ReviewMoment { get; } = new(DayOfWeek.Monday, new TimeOnly(9, 0));

    /// <summary>The key of a review due in a week <paramref name="isReviewWeek"/> picks, from its Monday 09:00 on.</summary>
    public static string? ReviewKey(string prefix, DateTimeOffset now, TimeZoneInfo zone, Func<IsoWeek, bool> isReviewWeek)
    {
        var week = Cadence.WeekAt(now, zone);
        return isReviewWeek(week) && now >= Cadence.At(week, ReviewMoment, zone) ? $"{prefix}:{week}" : null;
    }

    /// <summary>The ISO week a run key ends with (<c>digest:weekly:2026-W49</c> → 2026-W49).</summary>
    public static IsoWeek WeekOf(string key) => IsoWeek.Parse(key[(key.LastIndexOf(':') + 1)..]);

    private static partial class Log
    {
        [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "Scheduled run {Key} done")]
        public static partial void Ran(ILogger logger, string key);
    }
}
