namespace ValueBot.Web.People;

/// <summary>Outcome of <see cref="GraphTeamsAppInstaller.InstallForUserAsync"/>.</summary>
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
