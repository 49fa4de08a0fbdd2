using ValueBot.Domain.Scheduling;

namespace ValueBot.Web.Scheduling;

/// <summary>The cron expressions of the recurring jobs, from the schedule's options (Hangfire reads them in the job's time zone).</summary>
public static class ScheduleCron
{
    /// <summary>Once a week at <paramref name="moment"/>, e.g. Friday 15:00 → <c>0 15 * * 5</c>.</summary>
    public static string Weekly(WeeklyMoment moment) =>
        $"{moment.LocalTime.Minute} {moment.LocalTime.Hour} * * {(int)moment.Day}";

    /// <summary>
    /// Every <paramref name="interval"/>: whole seconds below a minute (six-field cron, which Hangfire 1.8 accepts),
    /// whole minutes below an hour, hourly above.
    /// </summary>
    public static string Every(TimeSpan interval)
    {
        if (interval < TimeSpan.FromMinutes(1))
        {
            return $"*/{Math.Max(1, (int)interval.TotalSeconds)} * * * * *";
        }

        return interval < TimeSpan.FromHours(1) ? $"*/{(int)interval.TotalMinutes} * * * *" : "0 * * * *";
    }
}
