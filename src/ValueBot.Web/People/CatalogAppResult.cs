namespace ValueBot.Web.People;

/// <summary>Outcome of <see cref="GraphTeamsAppInstaller.FindCatalogAppAsync"/>.</summary>
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
