using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Microsoft.IdentityModel.Validators;
using ValueBot.Teams.Hosting;

namespace ValueBot.Teams.Auth;

/// <summary>
/// Inbound authentication of <c>/api/messages</c> on ASP.NET Core's pipeline (docs/protocol.md §1): two JwtBearer schemes,
/// one for Bot Framework tokens and one for Entra-issued tokens of a single-tenant bot, and a policy scheme that picks
/// one by the token's <c>iss</c>. On top of JwtBearer's checks (issuer, audience = app id, RS256 only, lifetime with
/// 5 minutes' skew, signature with keys from the issuer's metadata, one forced key refresh for an unknown <c>kid</c>):
/// Bot Framework keys must be endorsed for <c>msteams</c>; both paths require a <c>serviceurl</c> claim (compared with
/// the activity by the endpoint); the Entra path requires <c>tid</c> = the bot's tenant, an application token (no
/// <c>scp</c>, <c>idtyp</c> not <c>user</c>) and a caller (<c>azp</c>/<c>appid</c>) on <c>Bot:Authentication:AllowedCallers</c>.
/// The scheme rejects before the endpoint reads the body.
/// </summary>
public static partial class BotAuthenticationExtensions
{
    private static readonly string[] AllowedAlgorithms = [SecurityAlgorithms.RsaSha256];
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ForcedRefreshInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RefreshWait = TimeSpan.FromSeconds(3);

    /// <summary>Registers the schemes and the <see cref="BotAuthenticationSchemes.TeamsPolicy"/> authorization policy.</summary>
    public static IServiceCollection AddBotAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<KeyRefreshGate>();
        services.AddAuthentication()
            .AddPolicyScheme(BotAuthenticationSchemes.Bot, "Teams (by issuer)", o => o.ForwardDefaultSelector = SelectScheme)
            .AddJwtBearer(BotAuthenticationSchemes.BotFramework, _ => { })
            .AddJwtBearer(BotAuthenticationSchemes.Entra, _ => { });

        services.AddOptions<JwtBearerOptions>(BotAuthenticationSchemes.BotFramework)
            .Configure<IOptions<BotOptions>, IHttpClientFactory, TimeProvider, KeyRefreshGate>((o, bot, http, time, gate) =>
                Configure(o, BotAuthenticationSchemes.BotFramework, bot.Value, http, time, gate));
        services.AddOptions<JwtBearerOptions>(BotAuthenticationSchemes.Entra)
            .Configure<IOptions<BotOptions>, IHttpClientFactory, TimeProvider, KeyRefreshGate>((o, bot, http, time, gate) =>
                Configure(o, BotAuthenticationSchemes.Entra, bot.Value, http, time, gate));

        services.AddAuthorizationBuilder().AddPolicy(BotAuthenticationSchemes.TeamsPolicy, policy => policy
            .AddAuthenticationSchemes(BotAuthenticationSchemes.Bot)
            .RequireAssertion(context => context.User.Identities.Any(i => i.IsAuthenticated) || IsLocalAnonymous(context.Resource)));
        return services;
    }

    /// <summary>
    /// True for a request without an Authorization header from a loopback address while local mode is on: the only
    /// request accepted without a token (docs/protocol.md §1.5).
    /// </summary>
    public static bool IsLocalAnonymous(object? resource)
    {
        if (resource is not HttpContext http)
        {
            return false;
        }

        var options = http.RequestServices.GetRequiredService<IOptions<BotOptions>>().Value;
        return options.LocalMode
            && string.IsNullOrEmpty(http.Request.Headers.Authorization)
            && http.Connection.RemoteIpAddress is { } address
            && IPAddress.IsLoopback(address);
    }

    // The issuer decides the path; it is read without validation and only chooses which validation runs.
    private static string SelectScheme(HttpContext http)
    {
        string? header = http.Request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            var handler = new JsonWebTokenHandler();
            var token = header["Bearer ".Length..].Trim();
            if (handler.CanReadToken(token))
            {
                try
                {
                    var options = http.RequestServices.GetRequiredService<IOptions<BotOptions>>().Value;
                    if (EntraIssuers(options).Contains(handler.ReadJsonWebToken(token).Issuer, StringComparer.Ordinal))
                    {
                        return BotAuthenticationSchemes.Entra;
                    }
                }
                catch (ArgumentException)
                {
                    // Not a readable JWT: the Bot Framework scheme refuses it.
                }
            }
        }

        return BotAuthenticationSchemes.BotFramework;
    }

    private static IEnumerable<string> EntraIssuers(BotOptions options) =>
        string.IsNullOrWhiteSpace(options.TenantId)
            ? []
            : options.Authentication.EffectiveEntraIssuerTemplates.Select(t => t.Replace("{tenantId}", options.TenantId, StringComparison.OrdinalIgnoreCase));

    private static void Configure(JwtBearerOptions o, string scheme, BotOptions bot, IHttpClientFactory http, TimeProvider time, KeyRefreshGate gate)
    {
        var entra = scheme == BotAuthenticationSchemes.Entra;
        var auth = bot.Authentication;
        var appId = bot.AppId ?? "";
        var address = entra
            ? auth.EntraMetadataAddressTemplate.Replace("{tenantId}", bot.TenantId ?? "", StringComparison.OrdinalIgnoreCase)
            : auth.BotFrameworkMetadataAddress;

        // http metadata only on loopback (the test issuer); everything else must be https.
        var requireHttps = !(Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.IsLoopback);
        o.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
            address,
            new EndorsedConfigurationRetriever(),
            new HttpDocumentRetriever(http.CreateClient(TeamsBotServiceCollectionExtensions.MetadataHttpClientName)) { RequireHttps = requireHttps })
        {
            AutomaticRefreshInterval = auth.KeyRefreshInterval,
            RefreshInterval = ForcedRefreshInterval,
        };
        o.MapInboundClaims = false;
        o.IncludeErrorDetails = false;
        o.RefreshOnIssuerKeyNotFound = true;
        o.TimeProvider = time;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            AuthenticationType = scheme,
            ValidateIssuer = true,
            ValidIssuers = entra ? EntraIssuers(bot).ToArray() : auth.EffectiveBotFrameworkIssuers.ToArray(),
            ValidateAudience = true,
            // Never https://api.botframework.com: that is every bot's outbound audience (docs/protocol.md §1.3).
            ValidAudiences = entra ? [appId, $"api://{appId}", $"api://botid-{appId}"] : [appId],
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = ClockSkew,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = AllowedAlgorithms,
            TryAllIssuerSigningKeys = false,
            LifetimeValidator = (notBefore, expires, _, _) => IsWithinLifetime(notBefore, expires, time.GetUtcNow().UtcDateTime),
        };
        if (entra)
        {
            o.TokenValidationParameters.EnableAadSigningKeyIssuerValidation();
        }

        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = async context =>
            {
                var failure = await CheckAsync(context.SecurityToken as JsonWebToken, entra, bot, o, context.HttpContext.RequestAborted).ConfigureAwait(false);
                if (failure is not null)
                {
                    Rejected(context.HttpContext, failure);
                    context.Fail(failure);
                }
            },
            OnAuthenticationFailed = async context =>
            {
                if (context.Exception is SecurityTokenSignatureKeyNotFoundException)
                {
                    await RetryAfterKeyRefreshAsync(context, entra, bot, o, gate, time).ConfigureAwait(false);
                }

                if (context.Result is not { Succeeded: true })
                {
                    Rejected(context.HttpContext, $"{scheme} token invalid: {context.Exception.GetType().Name}: {context.Exception.Message}");
                }
            },
            OnForbidden = _ => Task.CompletedTask,
        };
    }

    /// <summary>The checks JwtBearer does not do; null when the token passes.</summary>
    private static async Task<string?> CheckAsync(JsonWebToken? jwt, bool entra, BotOptions bot, JwtBearerOptions o, CancellationToken ct)
    {
        if (jwt is null)
        {
            return "not a JSON web token";
        }

        if (!jwt.TryGetPayloadValue<string>("serviceurl", out var serviceUrl) || string.IsNullOrWhiteSpace(serviceUrl))
        {
            return "serviceurl claim missing";
        }

        if (!entra)
        {
            var configuration = await o.ConfigurationManager!.GetConfigurationAsync(ct).ConfigureAwait(false) as EndorsedOpenIdConfiguration;
            var kid = jwt.Kid;
            if (kid is null || configuration is null
                || !configuration.Endorsements.TryGetValue(kid, out var channels)
                || !channels.Contains(BotAuthenticationSchemes.TeamsChannelId))
            {
                return $"signing key '{kid}' is not endorsed for msteams";
            }

            return null;
        }

        if (!jwt.TryGetPayloadValue<string>("tid", out var tid) || !string.Equals(tid, bot.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            return "tid claim is not the bot's tenant";
        }

        if (jwt.TryGetPayloadValue<object>("scp", out _)
            || (jwt.TryGetPayloadValue<string>("idtyp", out var idtyp) && string.Equals(idtyp, "user", StringComparison.OrdinalIgnoreCase)))
        {
            return "delegated (user) token";
        }

        var caller = jwt.TryGetPayloadValue<string>("azp", out var azp) && !string.IsNullOrEmpty(azp) ? azp
            : jwt.TryGetPayloadValue<string>("appid", out var appid) ? appid : null;
        if (caller is null || !bot.Authentication.AllowedCallers.Contains(caller, StringComparer.OrdinalIgnoreCase))
        {
            return $"caller '{caller}' is not on Bot:Authentication:AllowedCallers";
        }

        return null;
    }

    /// <summary>
    /// Keys rotate at any time. JwtBearer only asks for a refresh, which IdentityModel performs in the background, so the
    /// request that met the new key would fail: wait (briefly) for the refreshed keys and validate once more. At most one
    /// forced refresh per minute and scheme, so that random key ids cannot make ValueBot hammer the issuer.
    /// </summary>
    private static async Task RetryAfterKeyRefreshAsync(
        AuthenticationFailedContext context, bool entra, BotOptions bot, JwtBearerOptions o, KeyRefreshGate gate, TimeProvider time)
    {
        var manager = (ConfigurationManager<OpenIdConnectConfiguration>)o.ConfigurationManager!;
        var ct = context.HttpContext.RequestAborted;
        if (!gate.TryClaim(manager.MetadataAddress, time.GetUtcNow(), ForcedRefreshInterval))
        {
            return;
        }

        string? header = context.Request.Headers.Authorization;
        var token = header?["Bearer ".Length..].Trim() ?? "";
        var handler = new JsonWebTokenHandler { MapInboundClaims = false };
        if (!handler.CanReadToken(token) || handler.ReadJsonWebToken(token).Kid is not { } kid)
        {
            return;
        }

        // JwtBearer has already asked for a refresh; it may or may not have completed. Wait until the keys hold the kid.
        manager.RequestRefresh();
        var deadline = time.GetUtcNow() + RefreshWait;
        var current = await manager.GetConfigurationAsync(ct).ConfigureAwait(false);
        while (!current.SigningKeys.Any(k => k.KeyId == kid) && time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(25), ct).ConfigureAwait(false);
            current = await manager.GetConfigurationAsync(ct).ConfigureAwait(false);
        }

        if (!current.SigningKeys.Any(k => k.KeyId == kid))
        {
            return;
        }

        var parameters = o.TokenValidationParameters.Clone();
        parameters.IssuerSigningKeys = current.SigningKeys;
        parameters.ValidIssuers = [.. parameters.ValidIssuers ?? [], current.Issuer];
        var result = await handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return;
        }

        var failure = await CheckAsync(result.SecurityToken as JsonWebToken, entra, bot, o, ct).ConfigureAwait(false);
        if (failure is not null)
        {
            Rejected(context.HttpContext, failure);
            return;
        }

        context.Principal = new ClaimsPrincipal(result.ClaimsIdentity);
        context.Success();
    }

    private static bool IsWithinLifetime(DateTime? notBefore, DateTime? expires, DateTime now) =>
        expires is { } exp && exp >= now - ClockSkew && !(notBefore is { } nbf && nbf > now + ClockSkew);

    private static void Rejected(HttpContext http, string reason) =>
        Log.TokenRejected(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BotAuthenticationExtensions).FullName!), reason);

    /// <summary>Remembers when each metadata address was last refreshed on demand.</summary>
    internal sealed class KeyRefreshGate
    {
        private readonly ConcurrentDictionary<string, DateTimeOffset> _last = new(StringComparer.Ordinal);

        public bool TryClaim(string address, DateTimeOffset now, TimeSpan interval)
        {
            if (!_last.TryGetValue(address, out var last))
            {
                return _last.TryAdd(address, now);
            }

            return now - last >= interval && _last.TryUpdate(address, now, last);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Inbound token rejected: {Reason}")]
        public static partial void TokenRejected(ILogger logger, string reason);
    }
}
