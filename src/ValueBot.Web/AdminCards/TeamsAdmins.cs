namespace ValueBot.Web.AdminCards;

/// <summary>
/// Who may register use cases from a card in Teams: the Entra object ids listed in <c>Admin:TeamsAdmins</c>
/// (a list, or one comma-separated string). Membership of an Entra group (<c>Admin:TeamsAdminGroupId</c>) is not
/// checked yet: it needs Graph's checkMemberGroups; until then, list the admins by object id.
/// </summary>
public sealed class TeamsAdmins
{
    private readonly HashSet<string> _objectIds;

    public TeamsAdmins(IConfiguration configuration)
    {
        var section = configuration.GetSection("Admin:TeamsAdmins");
        var values = section.GetChildren().Select(c => c.Value).Append(section.Value);
        _objectIds = values
            .Where(v => !string.IsNullOrWhiteSpace(v))
            .SelectMany(v => v!.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The admins listed by object id (those ValueBot can message about undeliverable check-ins).</summary>
    public IReadOnlyCollection<string> ObjectIds => _objectIds;

    public bool IsAdmin(string? aadObjectId) => !string.IsNullOrWhiteSpace(aadObjectId) && _objectIds.Contains(aadObjectId.Trim());
}
