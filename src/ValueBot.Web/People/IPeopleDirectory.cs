namespace ValueBot.Web.People;

/// <summary>Looks people up in the organisation's directory (Microsoft Graph), with their manager.</summary>
public interface IPeopleDirectory
{
    /// <summary>
    /// Finds a user by email, UPN or Entra object id. Never throws for an unknown person or a Graph failure:
    /// the outcome says what happened. Only cancellation of <paramref name="cancellationToken"/> throws.
    /// </summary>
    Task<DirectoryLookup> FindAsync(string emailOrUpnOrObjectId, CancellationToken cancellationToken);
}

/// <summary>A user as the directory knows them.</summary>
/// <param name="ObjectId">Entra object id.</param>
/// <param name="UserPrincipalName">The sign-in name.</param>
/// <param name="DisplayName">Display name.</param>
/// <param name="Mail">Primary SMTP address, if the user has a mailbox.</param>
/// <param name="AccountEnabled">False for a disabled account (a leaver); null if Graph did not say.</param>
/// <param name="Manager">The direct manager, or null when none is set.</param>
public sealed record DirectoryPerson(
    string ObjectId,
    string? UserPrincipalName,
    string? DisplayName,
    string? Mail,
    bool? AccountEnabled,
    DirectoryManager? Manager);

/// <summary>A person's manager. Usually a user; an organisational contact has no UPN and cannot receive Teams messages.</summary>
/// <param name="ObjectId">Entra object id.</param>
/// <param name="DisplayName">Display name.</param>
/// <param name="UserPrincipalName">The sign-in name; null for a contact.</param>
/// <param name="Mail">Email address.</param>
/// <param name="IsUser">True for a <c>#microsoft.graph.user</c>, false for an <c>#microsoft.graph.orgContact</c>.</param>
public sealed record DirectoryManager(string ObjectId, string? DisplayName, string? UserPrincipalName, string? Mail, bool IsUser);

/// <summary>The outcome of <see cref="IPeopleDirectory.FindAsync"/>: exactly one of the nested cases.</summary>
public abstract record DirectoryLookup
{
    private DirectoryLookup()
    {
    }

    /// <summary>A short, human-readable account of the outcome (for logs and admin replies).</summary>
    public abstract string Describe();

    /// <summary>The person was found.</summary>
    public sealed record Found(DirectoryPerson Person) : DirectoryLookup
    {
        public override string Describe() => $"found {Person.DisplayName ?? Person.ObjectId}";
    }

    /// <summary>No user has this email, UPN or object id.</summary>
    public sealed record NotFound(string Query) : DirectoryLookup
    {
        public override string Describe() => $"no user '{Query}' in the directory";
    }

    /// <summary>The id names a directory object that is not a user (a group, a contact, a device…).</summary>
    public sealed record NotAUser(string Query, string ObjectType) : DirectoryLookup
    {
        public override string Describe() => $"'{Query}' is a {ObjectType}, not a user";
    }

    /// <summary>Graph is switched off (<c>Graph:Enabled</c> is false); use what the bot already knows.</summary>
    public sealed record NotConfigured : DirectoryLookup
    {
        public override string Describe() => "Graph is not configured";
    }

    /// <summary>Graph could not answer (throttled, down, unreachable, or refused the app's permissions).</summary>
    /// <param name="Reason">What went wrong.</param>
    /// <param name="StatusCode">The HTTP status, if a response arrived.</param>
    /// <param name="RetryAfter">Graph's Retry-After, if it sent one.</param>
    public sealed record Unavailable(string Reason, int? StatusCode = null, TimeSpan? RetryAfter = null) : DirectoryLookup
    {
        public override string Describe() => $"Graph unavailable: {Reason}";
    }
}
