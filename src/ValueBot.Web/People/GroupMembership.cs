namespace ValueBot.Web.People;

/// <summary>The answer to "which of these groups is this user in?".</summary>
public abstract record GroupMembership
{
    private GroupMembership()
    {
    }

    /// <summary>The groups (of those asked about) the user is a member of, directly or through nested groups; may be empty.</summary>
    public sealed record Known(IReadOnlyList<string> MemberOf) : GroupMembership;

    /// <summary>Graph is not configured, so group membership cannot be resolved.</summary>
    public sealed record NotConfigured : GroupMembership;

    /// <summary>Graph did not answer; nothing is known (and nothing is cached).</summary>
    public sealed record Unavailable(string Reason) : GroupMembership;
}
