using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.Evidence;
using ValueBot.Domain.Periods;
using ValueBot.Web.Persistence;

namespace ValueBot.Web.Evidence;

/// <summary>What one measurement did, per linked use case.</summary>
public sealed record MeasurementReport(IReadOnlyList<MeasuredWeek> Measured, IReadOnlyList<string> Problems, bool NamesConcealed)
{
    public static MeasurementReport NotConfigured { get; } =
        new([], ["Microsoft Graph is not configured (Graph:Enabled): nothing is measured."], false);
}

public sealed record MeasuredWeek(Guid UseCaseId, string Week, int? ActiveUsers, int GroupMembers, bool NamesConcealed, int TenantActiveUsers);

/// <summary>
/// Measured beside reported: reads Graph's Copilot usage report once and, for every use case linked to Copilot, stores the
/// members of its target group active in the ISO week (<c>measured_usage</c>) — this week so far and the week before,
/// whose last days the report shows only after its refresh. Readings of the same week are united, never lowered:
/// the report keeps only each user's latest activity.
/// </summary>
public sealed partial class CopilotUsageMeasurement(
    ValueBotDbContext db, ICopilotUsageReport report, TimeProvider time, ILogger<CopilotUsageMeasurement> logger)
{
    public async Task<MeasurementReport> MeasureAsync(IsoWeek week, CancellationToken cancellationToken)
    {
        var links = await db.Set<CopilotLink>().AsNoTracking().ToListAsync(cancellationToken);
        if (links.Count == 0)
        {
            return new MeasurementReport([], [], false);
        }

        if (!report.Configured)
        {
            return MeasurementReport.NotConfigured;
        }

        var reading = await report.ReadAsync(cancellationToken);
        if (reading.Value is not { } usage)
        {
            Log.ReportUnavailable(logger, reading.Failure!.ToString());
            return new MeasurementReport([], [$"The Copilot usage report could not be read: {reading.Failure}"], false);
        }

        var concealed = usage.NamesConcealed;
        if (concealed)
        {
            Log.Concealed(logger);
        }

        var measured = new List<MeasuredWeek>();
        var problems = new List<string>();
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var link in links.OrderBy(l => l.UseCaseId))
        {
            var members = await report.MembersAsync(link.GroupId, cancellationToken);
            if (members.Value is not { } group)
            {
                problems.Add($"The members of group {link.GroupId} (use case {link.UseCaseId}) could not be read: {members.Failure}");
                Log.MembersUnavailable(logger, link.GroupId, members.Failure!.ToString());
                continue;
            }

            foreach (var w in new[] { week.Previous(), week })
            {
                measured.Add(await StoreAsync(link, w, group, usage, concealed, now, cancellationToken));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return new MeasurementReport(measured, problems, concealed);
    }

    private async Task<MeasuredWeek> StoreAsync(
        CopilotLink link, IsoWeek week, IReadOnlyList<GroupMember> group, CopilotUsageReading usage, bool concealed, DateTime now,
        CancellationToken cancellationToken)
    {
        var key = week.ToString();
        var row = await db.Set<MeasuredUsageRecord>().SingleOrDefaultAsync(m => m.UseCaseId == link.UseCaseId && m.Week == key, cancellationToken);
        var reading = CopilotUsage.ActiveMembers(week, group, usage.Rows, concealed);
        var tenant = CopilotUsage.TenantActiveUsers(week, usage.Rows);
        // Readings of another group (the link changed) are not united with this one's.
        var known = row is not null && row.GroupId == link.GroupId ? Ids(row.ActiveMemberIds) : null;
        var active = CopilotUsage.Union(known, reading);
        if (row is null)
        {
            row = new MeasuredUsageRecord { UseCaseId = link.UseCaseId, Week = key, GroupId = link.GroupId };
            db.Add(row);
        }

        row.GroupId = link.GroupId;
        row.ActiveMemberIds = active is null ? null : JsonSerializer.Serialize(active.Order(StringComparer.OrdinalIgnoreCase).ToArray());
        row.ActiveUsers = active?.Count;
        row.GroupMembers = group.Select(m => m.ObjectId).Distinct(StringComparer.OrdinalIgnoreCase).Count();
        row.NamesConcealed = concealed && active is null;
        row.TenantActiveUsers = Math.Max(tenant, row.TenantActiveUsers);
        row.ReportRefreshDate = usage.RefreshDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        row.MeasuredAt = now;
        return new MeasuredWeek(link.UseCaseId, key, row.ActiveUsers, row.GroupMembers, row.NamesConcealed, row.TenantActiveUsers);
    }

    private static HashSet<string>? Ids(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return (JsonSerializer.Deserialize<string[]>(json) ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "The Copilot usage report could not be read: {Reason}")]
        public static partial void ReportUnavailable(ILogger logger, string reason);

        [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "The tenant conceals user names in usage reports (admin/reportSettings displayConcealedNames): group members cannot be matched, only tenant-level counts are stored")]
        public static partial void Concealed(ILogger logger);

        [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "The members of group {GroupId} could not be read: {Reason}")]
        public static partial void MembersUnavailable(ILogger logger, string groupId, string reason);
    }
}
