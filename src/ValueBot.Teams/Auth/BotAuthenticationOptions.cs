namespace ValueBot.Teams.Auth;

/// <summary>
/// Where inbound tokens come from (docs/protocol.md §1): OpenID metadata addresses, issuers and key refresh.
/// The defaults are the public cloud; sovereign clouds are configured here alone (section <c>Bot:Authentication</c>).
/// </summary>
public sealed class BotAuthenticationOptions
{
    /// <summary>Public-cloud Bot Framework OpenID metadata (Path A).</summary>
    public const string DefaultBotFrameworkMetadataAddress = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>Public-cloud Entra metadata template; <c>{tenantId}</c> is replaced by the bot's tenant (Path B).</summary>
    public const string DefaultEntraMetadataAddressTemplate = "https://login.microsoftonline.com/{tenantId}/v2.0/.well-known/openid-configuration";

    /// <summary>OpenID metadata for Bot Framework channel tokens.</summary>
    public string BotFrameworkMetadataAddress { get; set; } = DefaultBotFrameworkMetadataAddress;

    /// <summary>Accepted <c>iss</c> values of Bot Framework channel tokens. Empty means the public-cloud default.</summary>
    public List<string> BotFrameworkIssuers { get; set; } = [];

    /// <summary>OpenID metadata for Entra-issued tokens; <c>{tenantId}</c> is replaced by the configured tenant.</summary>
    public string EntraMetadataAddressTemplate { get; set; } = DefaultEntraMetadataAddressTemplate;

    /// <summary>Accepted Entra issuers; <c>{tenantId}</c> is replaced by the configured tenant. Empty means the defaults.</summary>
    public List<string> EntraIssuerTemplates { get; set; } = [];

    /// <summary>How often signing keys are re-read even without an unknown key id (at most 24 h).</summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// App ids (the <c>azp</c> claim of v2 tokens, <c>appid</c> of v1) allowed to call the bot with an Entra-issued token.
    /// Empty by default, so the Entra path is closed until an operator lists the caller: Microsoft documents the Entra
    /// token path of the Azure Bot Service (docs/protocol.md §1.3) but not, in a source found so far, the app id it calls
    /// from. A refused token's caller id is logged (event 1101) so the value can be read off a real tenant.
    /// </summary>
    public List<string> AllowedCallers { get; set; } = [];

    /// <summary>Issuers used when <see cref="BotFrameworkIssuers"/> is empty.</summary>
    public static IReadOnlyList<string> DefaultBotFrameworkIssuers { get; } = ["https://api.botframework.com"];

    /// <summary>Issuer templates used when <see cref="EntraIssuerTemplates"/> is empty.</summary>
    public static IReadOnlyList<string> DefaultEntraIssuerTemplates { get; } =
        ["https://login.microsoftonline.com/{tenantId}/v2.0", "https://sts.windows.net/{tenantId}/"];

    internal IReadOnlyList<string> EffectiveBotFrameworkIssuers =>
        BotFrameworkIssuers.Count > 0 ? BotFrameworkIssuers : DefaultBotFrameworkIssuers;

    internal IReadOnlyList<string> EffectiveEntraIssuerTemplates =>
        EntraIssuerTemplates.Count > 0 ? EntraIssuerTemplates : DefaultEntraIssuerTemplates;
}
