namespace ValueBot.Domain.Evidence;

/// <summary>
/// What Microsoft Graph's Copilot usage report says about one use case's target group in one ISO week.
/// When the tenant conceals user names in reports the group's members cannot be matched, so
/// <see cref="ActiveUsers"/> is null and only the tenant-level count is known.
/// </summary>
/// <param name="ActiveUsers">Members of the target group whose last Copilot activity falls in the ISO week.</param>
/// <param name="GroupMembers">Members of the target group (Entra).</param>
/// <param name="NamesConcealed">The tenant shows concealed user names in reports (admin/reportSettings).</param>
/// <param name="TenantActiveUsers">Users of the whole tenant whose last Copilot activity falls in the ISO week.</param>
public sealed record MeasuredUsage(int? ActiveUsers, int GroupMembers, bool NamesConcealed, int TenantActiveUsers)
{
    public static MeasuredUsage Concealed(int groupMembers, int tenantActiveUsers) =>
        new(null, groupMembers, true, tenantActiveUsers);
}

/// <summary>A manager's verdict on an adoption figure of one of their reports.</summary>
public enum AdoptionVerdict
{
    Confirmed,
    Disputed,
}

/// <summary>The monthly manager confirmation of one week's adoption figure (<paramref name="ReviewedAt"/>: when it was given).</summary>
public sealed record ManagerReview(AdoptionVerdict Verdict, string ManagerName, DateTimeOffset? ReviewedAt = null);
