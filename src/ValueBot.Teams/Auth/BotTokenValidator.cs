using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Microsoft.IdentityModel.Validators;
using ValueBot.Teams.Connector;
using ValueBot.Teams.Schema;

namespace ValueBot.Teams.Auth;

/// <summary>Which kind of caller a validated request came from.</summary>
public enum CallerKind
{
    /// <summary>A Bot Framework channel token (issuer api.botframework.com).</summary>
    BotFramework,

    /// <summary>An Entra ID token for a single-tenant bot.</summary>
    Entra,

    /// <summary>No token: local mode, loopback caller.</summary>
    LocalAnonymous,
}

/// <summary>The identity of a request that passed authentication.</summary>
/// <param name="Kind">How it was authenticated.</param>
/// <param name="Identity">The token's claims with their raw names (<c>aud</c>, <c>serviceurl</c>, <c>tid</c>…).</param>
public sealed record BotCaller(CallerKind Kind, ClaimsIdentity Identity)
{
    /// <summary>The anonymous local-mode caller.</summary>
    public static BotCaller LocalAnonymous { get; } = new(CallerKind.LocalAnonymous, new ClaimsIdentity());
}

/// <summary>The outcome of validating one inbound request; <see cref="Failure"/> is for logs only, never for the response.</summary>
public sealed record TokenValidationOutcome(BotCaller? Caller, string? Failure)
{
    /// <summary>True when the request is authenticated.</summary>
    public bool Succeeded => Caller is not null;

    internal static TokenValidationOutcome Fail(string reason) => new(null, reason);
}

/// <summary>
/// Validates the bearer token of a request to <c>/api/messages</c> (PROTOCOL.md §1.2 and §1.3).
/// Path A (Bot Framework): issuer checked before any crypto; RS256/384/512 signature with keys from the
/// Bot Framework metadata; lifetime with 5 minutes' skew; <c>aud</c> = app id; the signing key's endorsements
/// contain the activity's channel id; the <c>serviceurl</c> claim is present and equals the activity's serviceUrl.
/// Path B (Entra, single tenant): tenant issuers, audiences app id / api://app id / api://botid-app id,
/// <c>serviceurl</c> checked when present, otherwise the serviceUrl must be on the trusted list.
/// </summary>
public sealed partial class BotTokenValidator
{
    private static readonly string[] AllowedAlgorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly string _appId;
    private readonly string? _tenantId;
    private readonly BotAuthenticationOptions _options;
    private readonly ServiceUrlPolicy _trustedServiceUrls;
    private readonly HttpClient _metadataClient;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private static readonly TimeSpan ForcedRefreshInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RefreshWait = TimeSpan.FromSeconds(3);
    private readonly ConcurrentDictionary<string, ConfigurationManager<OpenIdConnectConfiguration>> _managers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastForcedRefresh = new(StringComparer.Ordinal);

    /// <param name="appId">The bot's Microsoft App ID: the only accepted audience.</param>
    /// <param name="tenantId">The bot's tenant; without it, Entra tokens (Path B) are refused.</param>
    /// <param name="options">Metadata addresses, issuers and refresh interval.</param>
    /// <param name="trustedServiceUrls">Service URLs accepted for Entra tokens that carry no <c>serviceurl</c> claim
    /// (the non-local policy: loopback is not trusted here).</param>
    /// <param name="metadataClient">Client used to read metadata and keys.</param>
    /// <param name="time">Clock for lifetime checks.</param>
    /// <param name="logger">Logger.</param>
    public BotTokenValidator(
        string appId,
        string? tenantId,
        BotAuthenticationOptions options,
        ServiceUrlPolicy trustedServiceUrls,
        HttpClient metadataClient,
        TimeProvider time,
        ILogger<BotTokenValidator> logger)
    {
        _appId = appId ?? "";
        _tenantId = string.IsNullOrWhiteSpace(tenantId) ? null : tenantId;
        _options = options;
        _trustedServiceUrls = trustedServiceUrls;
        _metadataClient = metadataClient;
        _time = time;
        _logger = logger;
        if (options.KeyRefreshInterval <= TimeSpan.Zero || options.KeyRefreshInterval > TimeSpan.FromHours(24))
        {
            throw new ArgumentException("KeyRefreshInterval must be positive and at most 24 hours.", nameof(options));
        }
    }

    /// <summary>Validates the <c>Authorization</c> header value against the activity it came with.</summary>
    public async Task<TokenValidationOutcome> ValidateAsync(string? authorizationHeader, Activity activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var outcome = await ValidateCoreAsync(authorizationHeader, activity, cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            Log.TokenRejected(_logger, outcome.Failure ?? "unknown");
        }

        return outcome;
    }

    private async Task<TokenValidationOutcome> ValidateCoreAsync(string? authorizationHeader, Activity activity, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(_appId))
        {
            return TokenValidationOutcome.Fail("no app id is configured");
        }

        var parts = authorizationHeader?.Split(' ');
        if (parts is not { Length: 2 } || parts[0] != "Bearer" || parts[1].Length == 0)
        {
            return TokenValidationOutcome.Fail("missing or malformed Authorization header");
        }

        JsonWebToken unverified;
        try
        {
            unverified = _handler.ReadJsonWebToken(parts[1]);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenException)
        {
            return TokenValidationOutcome.Fail("token is not a JWT");
        }

        if (!AllowedAlgorithms.Contains(unverified.Alg, StringComparer.Ordinal))
        {
            return TokenValidationOutcome.Fail($"algorithm '{unverified.Alg}' is not allowed");
        }

        // The issuer decides the path and is checked before any cryptography.
        var issuer = unverified.Issuer;
        if (_options.EffectiveBotFrameworkIssuers.Contains(issuer, StringComparer.Ordinal))
        {
            return await ValidateBotFrameworkAsync(parts[1], activity, ct).ConfigureAwait(false);
        }

        if (_tenantId is not null && EntraIssuers().Contains(issuer, StringComparer.Ordinal))
        {
            return await ValidateEntraAsync(parts[1], activity, ct).ConfigureAwait(false);
        }

        return TokenValidationOutcome.Fail($"issuer '{issuer}' is not trusted");
    }

    private async Task<TokenValidationOutcome> ValidateBotFrameworkAsync(string token, Activity activity, CancellationToken ct)
    {
        var manager = Manager(_options.BotFrameworkMetadataAddress);
        var (result, configuration) = await ValidateSignedAsync(token, manager, _options.EffectiveBotFrameworkIssuers, [_appId], aad: false, ct)
            .ConfigureAwait(false);
        if (!result.IsValid)
        {
            return TokenValidationOutcome.Fail($"Bot Framework token invalid: {result.Exception?.GetType().Name}: {result.Exception?.Message}");
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        var kid = jwt.SigningKey?.KeyId ?? jwt.Kid;
        if (!string.IsNullOrEmpty(activity.ChannelId))
        {
            var endorsements = (configuration as EndorsedOpenIdConfiguration)?.Endorsements;
            if (kid is null || endorsements is null || !endorsements.TryGetValue(kid, out var channels) || !channels.Contains(activity.ChannelId))
            {
                return TokenValidationOutcome.Fail($"signing key '{kid}' is not endorsed for channel '{activity.ChannelId}'");
            }
        }

        if (!jwt.TryGetPayloadValue<string>("serviceurl", out var serviceUrlClaim) || string.IsNullOrEmpty(serviceUrlClaim))
        {
            return TokenValidationOutcome.Fail("serviceurl claim missing");
        }

        if (!string.Equals(serviceUrlClaim, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
        {
            return TokenValidationOutcome.Fail("serviceurl claim does not match the activity");
        }

        return new TokenValidationOutcome(new BotCaller(CallerKind.BotFramework, result.ClaimsIdentity), null);
    }

    private async Task<TokenValidationOutcome> ValidateEntraAsync(string token, Activity activity, CancellationToken ct)
    {
        var manager = Manager(_options.EntraMetadataAddressTemplate.Replace("{tenantId}", _tenantId, StringComparison.OrdinalIgnoreCase));
        string[] audiences = [_appId, $"api://{_appId}", $"api://botid-{_appId}"];
        var (result, _) = await ValidateSignedAsync(token, manager, EntraIssuers(), audiences, aad: true, ct).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return TokenValidationOutcome.Fail($"Entra token invalid: {result.Exception?.GetType().Name}: {result.Exception?.Message}");
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        if (jwt.TryGetPayloadValue<string>("tid", out var tid) && !string.Equals(tid, _tenantId, StringComparison.OrdinalIgnoreCase))
        {
            return TokenValidationOutcome.Fail("tid claim does not match the tenant");
        }

        if (jwt.TryGetPayloadValue<string>("serviceurl", out var serviceUrlClaim))
        {
            if (!string.Equals(serviceUrlClaim, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
            {
                return TokenValidationOutcome.Fail("serviceurl claim does not match the activity");
            }
        }
        else if (!_trustedServiceUrls.IsTrusted(activity.ServiceUrl))
        {
            return TokenValidationOutcome.Fail("Entra token without serviceurl claim and the serviceUrl is not trusted");
        }

        return new TokenValidationOutcome(new BotCaller(CallerKind.Entra, result.ClaimsIdentity), null);
    }

    private async Task<(TokenValidationResult Result, OpenIdConnectConfiguration? Configuration)> ValidateSignedAsync(
        string token,
        ConfigurationManager<OpenIdConnectConfiguration> manager,
        IEnumerable<string> issuers,
        IEnumerable<string> audiences,
        bool aad,
        CancellationToken ct)
    {
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await manager.GetConfigurationAsync(ct).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            Log.MetadataUnavailable(_logger, manager.MetadataAddress, e);
            return (new TokenValidationResult { IsValid = false, Exception = e }, null);
        }

        var result = await ValidateWithAsync(configuration).ConfigureAwait(false);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Keys rotate at any time: an unknown kid triggers a refresh of the metadata and keys, at most once
            // per minute per address (so that random kids cannot make us hammer the issuer).
            var refreshed = await RefreshAsync(manager, configuration, ct).ConfigureAwait(false);
            if (refreshed is null)
            {
                return (result, configuration);
            }

            configuration = refreshed;
            result = await ValidateWithAsync(configuration).ConfigureAwait(false);
        }

        return (result, configuration);

        async Task<TokenValidationResult> ValidateWithAsync(OpenIdConnectConfiguration config)
        {
            var parameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuers = issuers,
                ValidateAudience = true,
                ValidAudiences = audiences,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ClockSkew = ClockSkew,
                RequireSignedTokens = true,
                ValidateIssuerSigningKey = true,
                IssuerSigningKeys = config.SigningKeys,
                ValidAlgorithms = AllowedAlgorithms,
                TryAllIssuerSigningKeys = false,
                LifetimeValidator = ValidateLifetime,
            };
            if (aad)
            {
                parameters.EnableAadSigningKeyIssuerValidation();
            }

            return await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        }
    }

    // Uses the injected clock so that tests can move time; otherwise identical to the default check.
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            return false;
        }

        if (notBefore is { } nbf && nbf > now + ClockSkew)
        {
            return false;
        }

        return expires.Value >= now - ClockSkew;
    }

    /// <summary>
    /// Requests a refresh and waits (briefly) for it: IdentityModel 8 refreshes in the background after
    /// <see cref="ConfigurationManager{T}.RequestRefresh"/>, so the current request would otherwise still see the old keys.
    /// </summary>
    private async Task<OpenIdConnectConfiguration?> RefreshAsync(ConfigurationManager<OpenIdConnectConfiguration> manager, OpenIdConnectConfiguration current, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        if (!TryClaimForcedRefresh(manager.MetadataAddress, now))
        {
            return null;
        }

        Log.RefreshingKeys(_logger, manager.MetadataAddress);
        manager.RequestRefresh();
        var deadline = now + RefreshWait;
        while (true)
        {
            try
            {
                var configuration = await manager.GetConfigurationAsync(ct).ConfigureAwait(false);
                if (!ReferenceEquals(configuration, current))
                {
                    return configuration;
                }
            }
            catch (InvalidOperationException e)
            {
                Log.MetadataUnavailable(_logger, manager.MetadataAddress, e);
                return null;
            }

            if (_time.GetUtcNow() >= deadline)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), ct).ConfigureAwait(false);
        }
    }

    // True for the one caller that may force a refresh of this address now.
    private bool TryClaimForcedRefresh(string address, DateTimeOffset now)
    {
        if (!_lastForcedRefresh.TryGetValue(address, out var last))
        {
            return _lastForcedRefresh.TryAdd(address, now);
        }

        return now - last >= ForcedRefreshInterval && _lastForcedRefresh.TryUpdate(address, now, last);
    }

    private IEnumerable<string> EntraIssuers() =>
        _options.EffectiveEntraIssuerTemplates.Select(t => t.Replace("{tenantId}", _tenantId, StringComparison.OrdinalIgnoreCase));

    private ConfigurationManager<OpenIdConnectConfiguration> Manager(string address) =>
        _managers.GetOrAdd(address, a =>
        {
            // http metadata is only allowed on loopback (the test issuer); everything else must be https.
            var requireHttps = !(Uri.TryCreate(a, UriKind.Absolute, out var uri) && uri.IsLoopback);
            var retriever = new HttpDocumentRetriever(_metadataClient) { RequireHttps = requireHttps };
            return new ConfigurationManager<OpenIdConnectConfiguration>(a, new EndorsedConfigurationRetriever(), retriever)
            {
                AutomaticRefreshInterval = _options.KeyRefreshInterval,
                RefreshInterval = ForcedRefreshInterval,
            };
        });

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Inbound token rejected: {Reason}")]
        public static partial void TokenRejected(ILogger logger, string reason);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Unknown signing key; refreshing keys from {MetadataAddress}")]
        public static partial void RefreshingKeys(ILogger logger, string metadataAddress);

        [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "OpenID metadata at {MetadataAddress} could not be read")]
        public static partial void MetadataUnavailable(ILogger logger, string metadataAddress, Exception exception);
    }
}
