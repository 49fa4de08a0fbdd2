using Microsoft.Extensions.Options;

namespace ValueBot.Web.People;

/// <summary>How ValueBot authenticates towards Microsoft Graph (<c>Graph:Credential:Type</c>).</summary>
public enum GraphCredentialType
{
    /// <summary>No token; allowed only when <c>Graph:BaseUrl</c> is a loopback address (a local fake).</summary>
    None,

    /// <summary><c>ClientSecretCredential(TenantId, ClientId, ClientSecret)</c>.</summary>
    ClientSecret,

    /// <summary><c>ClientCertificateCredential(TenantId, ClientId, CertificatePath[, CertificatePassword])</c>.</summary>
    Certificate,

    /// <summary><c>ManagedIdentityCredential</c> of the user-assigned identity <c>ManagedIdentityClientId</c> (default ClientId).</summary>
    ManagedIdentity,
}

/// <summary>The app-only Graph credential (<c>Graph:Credential</c>); tokens are issued by ValueBot's own tenant.</summary>
public sealed class GraphCredentialOptions
{
    public GraphCredentialType Type { get; set; } = GraphCredentialType.None;

    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    /// <summary>Keep it in a secret store, not in appsettings.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Path to a PFX or PEM certificate.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    public string? ManagedIdentityClientId { get; set; }
}

/// <summary>Settings of the Graph-backed people directory and Teams app installer, bound from <c>Graph</c>.</summary>
public sealed class GraphOptions
{
    public const string SectionName = "Graph";

    public const string DefaultBaseUrl = "https://graph.microsoft.com/v1.0";

    /// <summary>Off by default: without Graph the host falls back to the people it already knows.</summary>
    public bool Enabled { get; set; }

    public string BaseUrl { get; set; } = DefaultBaseUrl;

    public GraphCredentialOptions Credential { get; set; } = new();

    /// <summary>The Teams app manifest's <c>id</c>, which Graph calls <c>externalId</c> in the org app catalog.</summary>
    public string? TeamsAppExternalId { get; set; }

    /// <summary>How long a person found in the directory is remembered.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long "not found" / "not a user" is remembered, so a typo does not hit Graph on every message.</summary>
    public TimeSpan MissCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the catalog id of the Teams app is remembered.</summary>
    public TimeSpan CatalogCacheDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long an answer of checkMemberGroups (who is in an admin group) is remembered; briefly, so removals take effect.</summary>
    public TimeSpan GroupMembershipCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Retries of throttled (429) and unavailable (503, 504) responses, honouring Retry-After.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The longest Retry-After waited out inside one call; a longer one fails the call with the 429 and its Retry-After.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Start-up checks of <see cref="GraphOptions"/>; every missing setting is named.</summary>
internal sealed class GraphOptionsValidator : IValidateOptions<GraphOptions>
{
    public ValidateOptionsResult Validate(string? name, GraphOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        var credential = options.Credential;
        Uri? baseUrl = null;
        if (string.IsNullOrWhiteSpace(options.BaseUrl)
            || !Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out baseUrl)
            || (baseUrl.Scheme != Uri.UriSchemeHttps && !(baseUrl.Scheme == Uri.UriSchemeHttp && baseUrl.IsLoopback)))
        {
            failures.Add("Graph:BaseUrl must be an absolute https URL (http only on loopback).");
        }

        Require(options.TeamsAppExternalId, "Graph:TeamsAppExternalId");
        switch (credential.Type)
        {
            case GraphCredentialType.None when baseUrl is not { IsLoopback: true }:
                failures.Add("Graph:Credential:Type must be ClientSecret, Certificate or ManagedIdentity when Graph:Enabled is true (None only for a loopback Graph:BaseUrl).");
                break;
            case GraphCredentialType.ClientSecret:
                Require(credential.TenantId, "Graph:Credential:TenantId");
                Require(credential.ClientId, "Graph:Credential:ClientId");
                Require(credential.ClientSecret, "Graph:Credential:ClientSecret");
                break;
            case GraphCredentialType.Certificate:
                Require(credential.TenantId, "Graph:Credential:TenantId");
                Require(credential.ClientId, "Graph:Credential:ClientId");
                Require(credential.CertificatePath, "Graph:Credential:CertificatePath");
                break;
            case GraphCredentialType.ManagedIdentity when string.IsNullOrWhiteSpace(credential.ManagedIdentityClientId) && string.IsNullOrWhiteSpace(credential.ClientId):
                failures.Add("Graph:Credential:ManagedIdentityClientId (or Graph:Credential:ClientId) is required for ManagedIdentity.");
                break;
        }

        if (options.CacheDuration <= TimeSpan.Zero)
        {
            failures.Add("Graph:CacheDuration must be positive.");
        }

        if (options.MissCacheDuration < TimeSpan.Zero)
        {
            failures.Add("Graph:MissCacheDuration must not be negative.");
        }

        if (options.GroupMembershipCacheDuration < TimeSpan.Zero)
        {
            failures.Add("Graph:GroupMembershipCacheDuration must not be negative.");
        }

        if (options.CatalogCacheDuration <= TimeSpan.Zero)
        {
            failures.Add("Graph:CatalogCacheDuration must be positive.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add("Graph:MaxRetries must be between 0 and 10.");
        }

        if (options.MaxRetryAfter < TimeSpan.Zero)
        {
            failures.Add("Graph:MaxRetryAfter must not be negative.");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            failures.Add("Graph:Timeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Require(string? value, string key)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                failures.Add(credential.Type is GraphCredentialType.None || key == "Graph:TeamsAppExternalId"
                    ? $"{key} is required when Graph:Enabled is true."
                    : $"{key} is required for Graph:Credential:Type {credential.Type}.");
            }
        }
    }
}
