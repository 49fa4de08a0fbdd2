using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ValueBot.Teams.Auth;

namespace ValueBot.Teams.Hosting;

/// <summary>How the bot authenticates towards the Connector (<c>Bot:Credential:Type</c>).</summary>
public enum BotCredentialType
{
    /// <summary>No token; allowed only in local mode.</summary>
    None,

    /// <summary><c>ClientSecretCredential(TenantId, AppId, ClientSecret)</c>.</summary>
    ClientSecret,

    /// <summary><c>ClientCertificateCredential(TenantId, AppId, CertificatePath[, CertificatePassword])</c>.</summary>
    Certificate,

    /// <summary><c>ManagedIdentityCredential</c> of the user-assigned identity <c>ManagedIdentityClientId</c> (default AppId).</summary>
    ManagedIdentity,
}

/// <summary>The bot's outbound credential settings (<c>Bot:Credential</c>).</summary>
public sealed class BotCredentialOptions
{
    /// <summary>Which credential to use.</summary>
    public BotCredentialType Type { get; set; } = BotCredentialType.None;

    /// <summary>The client secret (ClientSecret); keep it in a secret store, not in appsettings.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Path to a PFX or PEM certificate (Certificate).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PFX password, if any (Certificate).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The client id of the user-assigned managed identity; defaults to the AppId.</summary>
    public string? ManagedIdentityClientId { get; set; }
}

/// <summary>Settings of the Teams bot, bound from the configuration section <c>Bot</c>.</summary>
public sealed class BotOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Bot";

    /// <summary>The Microsoft App ID (GUID); required outside local mode.</summary>
    public string? AppId { get; set; }

    /// <summary>The bot's Entra tenant (single-tenant bots); enables Entra-issued inbound tokens.</summary>
    public string? TenantId { get; set; }

    /// <summary>The outbound credential.</summary>
    public BotCredentialOptions Credential { get; set; } = new();

    /// <summary>
    /// Local development only: loopback requests without an Authorization header are accepted, outbound calls
    /// carry no token and loopback serviceUrls are allowed. Refused at start-up in any environment but exactly
    /// <c>Development</c>.
    /// </summary>
    public bool LocalMode { get; set; }

    /// <summary>How long one Connector call may take before it is abandoned (a send then counts as in doubt).</summary>
    public TimeSpan ConnectorTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one acquisition of the outbound token may take; past it the message counts as not sent and is retried.</summary>
    public TimeSpan TokenTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long before its expiry the outbound token is renewed (in the background, the current one serving meanwhile).</summary>
    public TimeSpan TokenRenewAhead { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a turn waits for an outbound token it does not have; past it the turn's messages go to the outbox, which sends
    /// them once a token comes, and the turn answers Teams at once.
    /// </summary>
    public TimeSpan TokenWaitInTurn { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Base URLs the bot may send its token to; empty means the public/GCC/GCCH/DoD Teams hosts.</summary>
    public List<string> TrustedServiceUrls { get; set; } = [];

    /// <summary>Inbound token metadata, issuers and the callers allowed on the Entra path.</summary>
    public BotAuthenticationOptions Authentication { get; set; } = new();

    /// <summary>
    /// True only for the exact environment name <c>Development</c> (surrounding white space ignored, case sensitive):
    /// the one environment where <see cref="LocalMode"/> may be on.
    /// </summary>
    public static bool IsDevelopment(string? environmentName) =>
        string.Equals(environmentName?.Trim(), Environments.Development, StringComparison.Ordinal);

    /// <summary>Abuse limits per conversation and per sender.</summary>
    public BotRateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Largest accepted request body in bytes.</summary>
    public long MaxRequestBodyBytes { get; set; } = 262_144;
}

/// <summary>Start-up checks of <see cref="BotOptions"/> (run by ValidateOnStart).</summary>
internal sealed class BotOptionsValidator(IHostEnvironment environment) : IValidateOptions<BotOptions>
{

    public ValidateOptionsResult Validate(string? name, BotOptions options)
    {
        var failures = new List<string>();
        if (options.LocalMode && !BotOptions.IsDevelopment(environment.EnvironmentName))
        {
            failures.Add($"Bot:LocalMode is only allowed in the Development environment (ASPNETCORE_ENVIRONMENT is '{environment.EnvironmentName}'): it accepts unauthenticated requests.");
        }

        if (!options.LocalMode && string.IsNullOrWhiteSpace(options.AppId))
        {
            failures.Add("Bot:AppId is required (unless Bot:LocalMode is true).");
        }

        switch (options.Credential.Type)
        {
            case BotCredentialType.None when !options.LocalMode:
                failures.Add("Bot:Credential:Type must be ClientSecret, Certificate or ManagedIdentity outside local mode.");
                break;
            case BotCredentialType.ClientSecret:
                Require(options.TenantId, "Bot:TenantId");
                Require(options.AppId, "Bot:AppId");
                Require(options.Credential.ClientSecret, "Bot:Credential:ClientSecret");
                break;
            case BotCredentialType.Certificate:
                Require(options.TenantId, "Bot:TenantId");
                Require(options.AppId, "Bot:AppId");
                Require(options.Credential.CertificatePath, "Bot:Credential:CertificatePath");
                break;
            case BotCredentialType.ManagedIdentity:
                if (string.IsNullOrWhiteSpace(options.Credential.ManagedIdentityClientId) && string.IsNullOrWhiteSpace(options.AppId))
                {
                    failures.Add("Bot:Credential:ManagedIdentityClientId (or Bot:AppId) is required for ManagedIdentity.");
                }

                break;
        }

        if (options.TokenTimeout <= TimeSpan.Zero || options.TokenTimeout >= options.ConnectorTimeout)
        {
            failures.Add("Bot:TokenTimeout must be positive and shorter than Bot:ConnectorTimeout.");
        }

        if (options.TokenWaitInTurn < TimeSpan.Zero || options.TokenRenewAhead <= TimeSpan.Zero)
        {
            failures.Add("Bot:TokenWaitInTurn must not be negative and Bot:TokenRenewAhead must be positive.");
        }

        if (options.MaxRequestBodyBytes <= 0)
        {
            failures.Add("Bot:MaxRequestBodyBytes must be positive.");
        }

        var refresh = options.Authentication.KeyRefreshInterval;
        if (refresh <= TimeSpan.Zero || refresh > TimeSpan.FromHours(24))
        {
            failures.Add("Bot:Authentication:KeyRefreshInterval must be positive and at most 24 hours.");
        }

        foreach (var url in options.TrustedServiceUrls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add($"Bot:TrustedServiceUrls entry '{url}' is not an absolute http(s) URL.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Require(string? value, string key)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                failures.Add($"{key} is required for Bot:Credential:Type {options.Credential.Type}.");
            }
        }
    }
}
