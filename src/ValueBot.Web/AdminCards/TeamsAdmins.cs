using ValueBot.Web.People;

namespace ValueBot.Web.AdminCards;

/// <summary>
/// Who may register and edit use cases from a card in Teams: the Entra object ids in <c>Admin:TeamsAdmins</c>, and the
/// members (also through nested groups) of the Entra groups in <c>Admin:TeamsAdminGroups</c> (group object ids), checked
/// with Graph's checkMemberGroups and cached briefly. Each setting is a list or one comma-separated string. Without
/// Graph, group members cannot be resolved and are not admins (a warning says so at start-up).
/// </summary>
public sealed class TeamsAdmins
{
    public const string ObjectIdsKey = "Admin:TeamsAdmins";
    public const string GroupsKey = "Admin:TeamsAdminGroups";

    private readonly HashSet<string> _objectIds;
    private readonly IReadOnlyList<string> _groups;
    private readonly IServiceProvider _services;

    public TeamsAdmins(IConfiguration configuration, IServiceProvider services)
    {
        _objectIds = ReadIds(configuration, ObjectIdsKey).ToHashSet(StringComparer.OrdinalIgnoreCase);
        _groups = ReadIds(configuration, GroupsKey);
        _services = services;
    }

    /// <summary>The admins listed by object id (those ValueBot can message about undeliverable check-ins).</summary>
    public IReadOnlyCollection<string> ObjectIds => _objectIds;

    /// <summary>The ids under <paramref name="key"/>: list entries and/or comma- or semicolon-separated values.</summary>
    public static IReadOnlyList<string> ReadIds(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        return section.GetChildren().Select(c => c.Value).Append(section.Value)
            .Where(v => !string.IsNullOrWhiteSpace(v))
            .SelectMany(v => v!.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>Listed by object id in <c>Admin:TeamsAdmins</c> (no Graph call).</summary>
    public bool IsListed(string? aadObjectId) => !string.IsNullOrWhiteSpace(aadObjectId) && _objectIds.Contains(aadObjectId.Trim());

    /// <summary>Listed, or a member of an admin group; when membership cannot be checked, not an admin.</summary>
    public async Task<bool> IsAdminAsync(string? aadObjectId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(aadObjectId))
        {
            return false;
        }

        if (IsListed(aadObjectId))
        {
            return true;
        }

        if (_groups.Count == 0 || _services.GetService<GraphGroupMembership>() is not { } membership)
        {
            return false;
        }

        return await membership.CheckAsync(aadObjectId.Trim(), _groups, cancellationToken) is GroupMembership.Known { MemberOf.Count: > 0 };
    }
}
