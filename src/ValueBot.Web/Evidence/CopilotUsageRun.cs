using ValueBot.Domain.Scheduling;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Scheduling;

namespace ValueBot.Web.Evidence;

/// <summary>
/// Every day at <c>CopilotUsage:ReadAt</c> (organisation's zone): one reading of the Copilot usage report for the linked
/// use cases. Daily, because the report only keeps each user's latest activity: a user active on Tuesday and again the
/// following Monday would be lost to Tuesday's week by a weekly reading.
/// </summary>
internal sealed class CopilotUsageRun(CopilotUsageMeasurement measurement, Microsoft.Extensions.Options.IOptions<CopilotUsageOptions> options) : IPeriodicRun
{
    public string Name => "copilot-usage";

    public string Cron(CheckInCalendar calendar) => $"{options.Value.ReadAt.Minute} {options.Value.ReadAt.Hour} * * *";

    public string? DueKey(DateTimeOffset now, CheckInCalendar calendar)
    {
        var local = TimeZoneInfo.ConvertTime(now, calendar.OrganisationZone);
        return TimeOnly.FromDateTime(local.DateTime) >= options.Value.ReadAt
            ? $"copilot-usage:{DateOnly.FromDateTime(local.DateTime):yyyy-MM-dd}:{Cadence.WeekAt(now, calendar.OrganisationZone)}"
            : null;
    }

    public Task RunAsync(string key, CancellationToken cancellationToken) =>
        measurement.MeasureAsync(ScheduledRuns.WeekOf(key), cancellationToken);
}
