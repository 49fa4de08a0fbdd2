using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using ValueBot.Teams.Hosting;

namespace ValueBot.Web.Admin;

/// <summary>Settings of the admin API, bound from the configuration section <c>Admin</c>.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    public const string LocalKeyHeader = "X-ValueBot-Admin-Key";

    /// <summary>The token audience; default <c>api://{Bot:AppId}</c>.</summary>
    public string? Audience { get; set; }

    /// <summary>OpenID metadata of the tenant; default the bot's Entra metadata address for <c>Bot:TenantId</c>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>The app role an admin's token must carry in its <c>roles</c> claim.</summary>
    public string Role { get; set; } = "ValueBot.Admin";

    /// <summary>Local mode only: the value of the <c>X-ValueBot-Admin-Key</c> header that stands in for a token.</summary>
    public string? LocalKey { get; set; }
}

/// <summary>Who called the admin API, for the audit trail.</summary>
public sealed record AdminCaller(string Name);

public enum AdminAccess
{
    Granted,

    /// <summary>No credential, or one that is not valid: 401.</summary>
    Unauthenticated,

    /// <summary>A valid token without the admin role: 403.</summary>
    Forbidden,
}

/// <summary>
/// Authenticates admin API calls: an Entra ID bearer token of the bot's tenant (v1 or v2 issuer), for the admin
/// audience, signed with a key from the tenant's OpenID metadata, within its lifetime, carrying the admin app role.
/// In local mode a configured key in <c>X-ValueBot-Admin-Key</c> is accepted instead; outside it the header is ignored.
/// </summary>
public sealed partial class AdminAuthentication
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private static readonly string[] AllowedAlgorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private readonly AdminOptions _admin;
    private readonly BotOptions _bot;
    private readonly TimeProvider _time;
    private readonly IHttpClientFactory _httpClients;
    private readonly ILogger<AdminAuthentication> _logger;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly ConcurrentDictionary<string, ConfigurationManager<OpenIdConnectConfiguration>> _managers = new(StringComparer.Ordinal);

    public AdminAuthentication(
        IOptions<AdminOptions> admin, IOptions<BotOptions> bot, TimeProvider time, IHttpClientFactory httpClients, ILogger<AdminAuthentication> logger)
    {
        _admin = admin.Value;
        _bot = bot.Value;
        _time = time;
        _httpClients = httpClients;
        _logger = logger;
    }

    public string Audience => string.IsNullOrWhiteSpace(_admin.Audience) ? $"api://{_bot.AppId}" : _admin.Audience;

    public string? MetadataAddress => !string.IsNullOrWhiteSpace(_admin.MetadataAddress)
        ? _admin.MetadataAddress
        : string.IsNullOrWhiteSpace(_bot.TenantId)
            ? null
            : _bot.Authentication.EntraMetadataAddressTemplate.Replace("{tenantId}", _bot.TenantId, StringComparison.OrdinalIgnoreCase);

    public async Task<(AdminAccess Access, AdminCaller? Caller)> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (_bot.LocalMode && request.Headers.TryGetValue(AdminOptions.LocalKeyHeader, out var key))
        {
            return IsLocalKey(key.ToString())
                ? (AdminAccess.Granted, new AdminCaller("local-admin"))
                : Reject("wrong local admin key");
        }

        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || authorization.Length <= 7)
        {
            return Reject("no bearer token");
        }

        var identity = await ValidateAsync(authorization[7..].Trim(), cancellationToken);
        if (identity is null)
        {
            return (AdminAccess.Unauthenticated, null);
        }

        if (!identity.Claims.Any(c => c.Type == "roles" && string.Equals(c.Value, _admin.Role, StringComparison.Ordinal)))
        {
            Log.Rejected(_logger, $"token without the {_admin.Role} role");
            return (AdminAccess.Forbidden, null);
        }

        var name = First(identity, "preferred_username", "upn", "unique_name", "name", "oid", "azp", "appid", "sub") ?? "admin";
        return (AdminAccess.Granted, new AdminCaller(name));
    }

    private (AdminAccess, AdminCaller?) Reject(string reason)
    {
        Log.Rejected(_logger, reason);
        return (AdminAccess.Unauthenticated, null);
    }

    private bool IsLocalKey(string presented)
    {
        if (string.IsNullOrEmpty(_admin.LocalKey) || string.IsNullOrEmpty(presented))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(_admin.LocalKey));
    }

    private async Task<ClaimsIdentity?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var address = MetadataAddress;
        if (address is null || string.IsNullOrWhiteSpace(_bot.TenantId))
        {
            Log.Rejected(_logger, "no tenant is configured (Bot:TenantId)");
            return null;
        }

        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await Manager(address).GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            Log.MetadataUnavailable(_logger, address, e);
            return null;
        }

        var parameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuers = [$"https://login.microsoftonline.com/{_bot.TenantId}/v2.0", $"https://sts.windows.net/{_bot.TenantId}/"],
            ValidateAudience = true,
            ValidAudience = Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            LifetimeValidator = ValidateLifetime,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = AllowedAlgorithms,
        };
        var result = await _handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            Log.Rejected(_logger, $"{result.Exception?.GetType().Name}: {result.Exception?.Message}");
            return null;
        }

        return result.ClaimsIdentity;
    }

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return expires is { } exp && exp >= now - ClockSkew && (notBefore is not { } nbf || nbf <= now + ClockSkew);
    }

    private ConfigurationManager<OpenIdConnectConfiguration> Manager(string address) =>
        _managers.GetOrAdd(address, a =>
        {
            // Plain http metadata only on loopback (the test issuer).
            var requireHttps = !(Uri.TryCreate(a, UriKind.Absolute, out var uri) && uri.IsLoopback);
            var retriever = new HttpDocumentRetriever(_httpClients.CreateClient(nameof(AdminAuthentication))) { RequireHttps = requireHttps };
            return new ConfigurationManager<OpenIdConnectConfiguration>(a, new OpenIdConnectConfigurationRetriever(), retriever);
        });

    private static string? First(ClaimsIdentity identity, params string[] types)
    {
        foreach (var type in types)
        {
            if (identity.FindFirst(type)?.Value is { Length: > 0 } value)
            {
                return value;
            }
        }

        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Admin API request rejected: {Reason}")]
        public static partial void Rejected(ILogger logger, string reason);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "OpenID metadata at {MetadataAddress} could not be read")]
        public static partial void MetadataUnavailable(ILogger logger, string metadataAddress, Exception exception);

    }
}

/// <summary>Lets a request into the admin group only when <see cref="AdminAuthentication"/> grants it.</summary>
internal sealed class AdminAuthenticationFilter(AdminAuthentication authentication) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var (access, caller) = await authentication.AuthenticateAsync(http.Request, http.RequestAborted);
        switch (access)
        {
            case AdminAccess.Granted:
                http.Items[typeof(AdminCaller)] = caller;
                return await next(context);
            case AdminAccess.Forbidden:
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                    detail: "The token is valid but does not carry the admin app role.");
            default:
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                    detail: "Send an Entra ID bearer token for the admin API.");
        }
    }
}
