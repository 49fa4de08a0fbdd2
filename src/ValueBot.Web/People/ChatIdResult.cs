namespace ValueBot.Web.People;

/// <summary>Outcome of <see cref="GraphTeamsAppInstaller.GetChatIdAsync"/>.</summary>
public abstract record ChatIdResult
{
    private ChatIdResult()
    {
    }

    /// <param name="ChatId">The chat id (<c>19:…@unq.gbl.spaces</c>).</param>
    /// <param name="InstallationId">The <c>teamsAppInstallationId</c>.</param>
    public sealed record Found(string ChatId, string InstallationId) : ChatIdResult;

    /// <summary>The app is not installed for this user; install it first.</summary>
    public sealed record NotInstalled(string User) : ChatIdResult;

    public sealed record NotInCatalog(string ExternalId) : ChatIdResult;

    /// <summary>Graph answered 404: the user (or the installation) does not exist.</summary>
    public sealed record NotFound(string User, string Message) : ChatIdResult;

    public sealed record NotConfigured : ChatIdResult;

    public sealed record Failed(GraphFailure Failure) : ChatIdResult;
}
