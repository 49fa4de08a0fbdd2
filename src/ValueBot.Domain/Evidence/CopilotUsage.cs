using ValueBot.Domain.Periods;

namespace ValueBot.Domain.Evidence;

/// <summary>One row of Graph's Microsoft 365 Copilot usage report: a licensed user and their latest Copilot activity.</summary>
/// <param name="UserPrincipalName">The user's UPN, or a 32-hex-digit hash when the tenant conceals names in reports.</param>
/// <param name="LastActivityDate">The user's latest Copilot activity in any app; null when none in the period.</param>
public readonly record struct CopilotUsageRow(string UserPrincipalName, DateOnly? LastActivityDate);

/// <summary>A member of a use case's target group (Entra, transitive).</summary>
public readonly record struct GroupMember(string ObjectId, string? UserPrincipalName);

/// <summary>
/// DOMAIN.md "Measured beside reported": which members of the target group Graph's Copilot usage report shows active in
/// an ISO week. A user counts as active when their last Copilot activity falls in the week. The report names users by
/// UPN; when the tenant conceals names (<c>admin/reportSettings</c> displayConcealedNames) the UPNs are hashes that no
/// member can be matched to, so only the tenant-level count is known — ValueBot does not guess.
/// </summary>
public static class CopilotUsage
{
    /// <summary>Members of the group active in <paramref name="week"/>, by object id; null when names are concealed.</summary>
    public static IReadOnlySet<string>? ActiveMembers(
        IsoWeek week, IReadOnlyCollection<GroupMember> members, IReadOnlyCollection<CopilotUsageRow> rows, bool namesConcealed)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(rows);
        if (namesConcealed)
        {
            return null;
        }

        var activeUpns = rows.Where(r => r.LastActivityDate is { } d && week.Contains(d))
            .Select(r => r.UserPrincipalName.Trim())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return members.Where(m => m.UserPrincipalName is { } upn && activeUpns.Contains(upn.Trim()))
            .Select(m => m.ObjectId)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Users of the whole tenant whose last Copilot activity falls in <paramref name="week"/> (known even when names are concealed).</summary>
    public static int TenantActiveUsers(IsoWeek week, IReadOnlyCollection<CopilotUsageRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Count(r => r.LastActivityDate is { } d && week.Contains(d));
    }

    /// <summary>
    /// Whether the report's names look concealed: every row's UPN is a 32-hex-digit hash rather than an address. Used when
    /// the report settings cannot be read (they need their own permission).
    /// </summary>
    public static bool LooksConcealed(IReadOnlyCollection<CopilotUsageRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Count > 0 && rows.All(r => IsHash(r.UserPrincipalName));
    }

    private static bool IsHash(string upn)
    {
        var text = upn.Trim();
        return text.Length == 32 && text.All(char.IsAsciiHexDigit);
    }

    /// <summary>
    /// Folds one reading into what is already known for the week. The report only keeps each user's latest activity, so a
    /// later reading forgets who was active earlier in the week and then again after it; the union of the readings keeps them.
    /// </summary>
    public static IReadOnlySet<string>? Union(IReadOnlySet<string>? known, IReadOnlySet<string>? reading) =>
        (known, reading) switch
        {
            (null, null) => null,
            (null, { } r) => r,
            ({ } k, null) => k,
            ({ } k, { } r) => k.Union(r, StringComparer.OrdinalIgnoreCase).ToHashSet(StringComparer.OrdinalIgnoreCase),
        };
}
