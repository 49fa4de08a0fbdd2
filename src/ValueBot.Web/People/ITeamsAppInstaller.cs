namespace ValueBot.Web.People;

/// <summary>
/// Proactive installation of ValueBot for a user through Graph (PROTOCOL.md §8 steps 1–4), so the bot can open a
/// 1:1 chat with someone who never talked to it. None of the methods throws on an HTTP error; only cancellation throws.
/// </summary>
public interface ITeamsAppInstaller
{
    /// <summary>Step 1: the app's id in the org catalog, found by the manifest id (<c>Graph:TeamsAppExternalId</c>); cached.</summary>
    Task<CatalogAppResult> FindCatalogAppAsync(CancellationToken cancellationToken);

    /// <summary>Step 3: installs the app in personal scope for the user (object id or UPN). Already installed counts as success.</summary>
    Task<InstallResult> InstallForUserAsync(string userIdOrUpn, CancellationToken cancellationToken);

    /// <summary>Steps 2 and 4: the user's installation of the app and the id of its 1:1 chat (usable as the Bot API conversation id).</summary>
    Task<ChatIdResult> GetChatIdAsync(string userIdOrUpn, CancellationToken cancellationToken);
}

/// <summary>Why a Graph call failed, as far as the response tells.</summary>
/// <param name="StatusCode">HTTP status, or null when no response arrived (network error, timeout).</param>
/// <param name="ErrorCode">Graph's <c>error.code</c>, if any.</param>
/// <param name="Message">What went wrong.</param>
/// <param name="RetryAfter">Graph's Retry-After, if it sent one.</param>
public sealed record GraphFailure(int? StatusCode, string? ErrorCode, string Message, TimeSpan? RetryAfter = null)
{
    public override string ToString() => StatusCode is { } status ? $"{status} {ErrorCode}: {Message}" : Message;
}

/// <summary>Outcome of <see cref="ITeamsAppInstaller.FindCatalogAppAsync"/>.</summary>
public abstract record CatalogAppResult
{
    private CatalogAppResult()
    {
    }

    public sealed record Found(string TeamsAppId) : CatalogAppResult;

    /// <summary>Nobody uploaded the app to the org catalog (Graph can only install catalog or Store apps).</summary>
    public sealed record NotInCatalog(string ExternalId) : CatalogAppResult;

    public sealed record NotConfigured : CatalogAppResult;

    public sealed record Failed(GraphFailure Failure) : CatalogAppResult;
}

/// <summary>Outcome of <see cref="ITeamsAppInstaller.InstallForUserAsync"/>.</summary>
public abstract record InstallResult
{
    private InstallResult()
    {
    }

    /// <summary>Installed now (201) or already installed (409).</summary>
    public sealed record Installed(string TeamsAppId, bool AlreadyInstalled) : InstallResult;

    public sealed record NotInCatalog(string ExternalId) : InstallResult;

    /// <summary>Graph answered 404 to the installation: the user (or the catalog app) does not exist.</summary>
    public sealed record NotFound(string User, string Message) : InstallResult;

    public sealed record NotConfigured : InstallResult;

    public sealed record Failed(GraphFailure Failure) : InstallResult;
}

/// <summary>Outcome of <see cref="ITeamsAppInstaller.GetChatIdAsync"/>.</summary>
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
