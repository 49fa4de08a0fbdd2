using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
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

    /// <summary>
    /// Local mode only, and only from a loopback address: the value of the <c>X-ValueBot-Admin-Key</c> header that
    /// stands in for a token.
    /// </summary>
    public string? LocalKey { get; set; }
}

/// <summary>Who called the admin API, for the audit trail.</summary>
public sealed record AdminCaller(string Name)
{
    /// <summary>The caller's name from the authenticated principal (UPN first, then ids).</summary>
    public static AdminCaller From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        foreach (var type in new[] { "preferred_username", "upn", "unique_name", "name", "oid", "azp", "appid", "sub" })
        {
            if (user.FindFirst(type)?.Value is { Length: > 0 } value)
            {
                return new AdminCaller(value);
            }
        }

        return new AdminCaller("admin");
    }
}

/// <summary>
/// The admin API's place on ASP.NET Core's authentication pipeline: a JwtBearer scheme for Entra ID tokens of the bot's
/// tenant (v1 or v2 issuer, the admin audience, RS256 keys from the tenant's metadata, 5 minutes' skew), a scheme for
/// the local admin key (local mode and loopback only; anywhere else the header is ignored), and the
/// <see cref="Policy"/> policy: authenticated by either and carrying the admin app role (401 without a valid credential,
/// 403 for a valid token without the role).
/// </summary>
public static partial class AdminAuthentication
{
    /// <summary>The authorization policy of every admin endpoint (API, OpenAPI document, job dashboard).</summary>
    public const string Policy = "ValueBotAdmin";

    /// <summary>JwtBearer scheme for Entra admin tokens.</summary>
    public const string BearerScheme = "AdminBearer";

    /// <summary>The local-mode key scheme.</summary>
    public const string LocalKeyScheme = "AdminLocalKey";

    private const string RoleClaim = "roles";
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static IServiceCollection AddAdminAuthentication(this IServiceCollection services)
    {
        services.AddHttpClient(nameof(AdminAuthentication));
        services.AddAuthentication()
            .AddJwtBearer(BearerScheme, _ => { })
            .AddScheme<AuthenticationSchemeOptions, LocalAdminKeyHandler>(LocalKeyScheme, _ => { });
        services.AddOptions<JwtBearerOptions>(BearerScheme)
            .Configure<IOptions<AdminOptions>, IOptions<BotOptions>, IHttpClientFactory, TimeProvider>((o, admin, bot, http, time) =>
                ConfigureBearer(o, admin.Value, bot.Value, http, time));
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<AdminOptions>>((o, admin) => o.AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(BearerScheme, LocalKeyScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(RoleClaim, admin.Value.Role)));
        return services;
    }

    /// <summary>The token audience: <c>Admin:Audience</c>, default <c>api://{Bot:AppId}</c>.</summary>
    public static string AudienceOf(AdminOptions admin, BotOptions bot) =>
        string.IsNullOrWhiteSpace(admin.Audience) ? $"api://{bot.AppId}" : admin.Audience;

    private static void ConfigureBearer(JwtBearerOptions o, AdminOptions admin, BotOptions bot, IHttpClientFactory http, TimeProvider time)
    {
        var tenant = bot.TenantId ?? "";
        var address = !string.IsNullOrWhiteSpace(admin.MetadataAddress)
            ? admin.MetadataAddress
            : bot.Authentication.EntraMetadataAddressTemplate.Replace("{tenantId}", tenant, StringComparison.OrdinalIgnoreCase);
        var requireHttps = !(Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.IsLoopback);
        o.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
            address, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever(http.CreateClient(nameof(AdminAuthentication))) { RequireHttps = requireHttps });
        o.MapInboundClaims = false;
        o.IncludeErrorDetails = false;
        o.TimeProvider = time;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            // Without a tenant no issuer is valid, so every token is refused.
            ValidIssuers = string.IsNullOrWhiteSpace(tenant) ? [] : [$"https://login.microsoftonline.com/{tenant}/v2.0", $"https://sts.windows.net/{tenant}/"],
            ValidateIssuer = true,
            ValidAudience = AudienceOf(admin, bot),
            ValidateAudience = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } exp && exp >= now - ClockSkew && (notBefore is not { } nbf || nbf <= now + ClockSkew);
            },
            RequireSignedTokens = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RoleClaimType = RoleClaim,
            NameClaimType = "preferred_username",
        };
        o.Events = new JwtBearerEvents
        {
            OnAuthenticationFailed = context =>
            {
                Log.Rejected(Logger(context.HttpContext), $"{context.Exception.GetType().Name}: {context.Exception.Message}");
                return Task.CompletedTask;
            },
            OnChallenge = context =>
            {
                // A plain challenge, without the error details JwtBearer would otherwise describe.
                context.HandleResponse();
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return Task.CompletedTask;
            },
        };
    }

    private static ILogger Logger(HttpContext http) =>
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminAuthentication).FullName!);

    /// <summary>The local admin key: only in local mode, only from loopback, compared in constant time.</summary>
    private sealed class LocalAdminKeyHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options,
        ILoggerFactory loggerFactory,
        UrlEncoder encoder,
        IOptions<AdminOptions> admin,
        IOptions<BotOptions> bot)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(AdminOptions.LocalKeyHeader, out var presented))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            if (!bot.Value.LocalMode || Context.Connection.RemoteIpAddress is not { } address || !IPAddress.IsLoopback(address))
            {
                Log.Rejected(Logger(Context), "local admin key outside local mode or from a non-loopback address");
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var key = admin.Value.LocalKey;
            if (string.IsNullOrEmpty(key) || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented.ToString()), Encoding.UTF8.GetBytes(key)))
            {
                Log.Rejected(Logger(Context), "wrong local admin key");
                return Task.FromResult(AuthenticateResult.Fail("wrong local admin key"));
            }

            var identity = new ClaimsIdentity(
                [new Claim("preferred_username", "local-admin"), new Claim(RoleClaim, admin.Value.Role)], LocalKeyScheme, "preferred_username", RoleClaim);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), LocalKeyScheme)));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Admin API request rejected: {Reason}")]
        public static partial void Rejected(ILogger logger, string reason);
    }
}
