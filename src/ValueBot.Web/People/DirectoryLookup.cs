namespace ValueBot.Web.People;

/// <summary>The outcome of <see cref="GraphPeopleDirectory.FindAsync"/>: exactly one of the nested cases.</summary>
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
