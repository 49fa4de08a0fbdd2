using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using ValueBot.Teams.Hosting;

namespace ValueBot.Web.Tab;

/// <summary>
/// How people sign in to the tab. Inside Teams: Teams single sign-on — the page asks teams-js for a token, posts it
/// to <c>/tab/session</c>, where the <see cref="SsoScheme"/> JwtBearer scheme validates it (the bot's tenant as issuer,
/// <c>api://{Tab:Host}/{Bot:AppId}</c> as audience, signature from the tenant's OpenID metadata, lifetime); then a
/// cookie session (<see cref="SessionScheme"/>) carries the person's Entra object id. Outside Teams: Entra sign-in with
/// OpenID Connect (<see cref="EntraScheme"/>). In local mode, from loopback only: a development sign-in as a person
/// ValueBot knows. A request with a bearer token is validated as an SSO token instead of reading the cookie.
/// </summary>
public static class TabAuthentication
{
    public const string SsoScheme = "TeamsTab";
    public const string SessionScheme = "TabSession";
    public const string EntraScheme = "TabEntra";

    /// <summary>Picks the SSO scheme for a bearer token, the session cookie otherwise.</summary>
    public const string Scheme = "Tab";

    public const string ObjectIdClaim = "oid";
    public const string NameClaim = "name";
    public const string TenantClaim = "tid";

    /// <summary>How the person signed in: <c>sso</c>, <c>entra</c> or <c>development</c>.</summary>
    public const string SignInClaim = "valuebot_sign_in";

    public static IServiceCollection AddTabAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var bot = configuration.GetSection(BotOptions.SectionName).Get<BotOptions>() ?? new BotOptions();
        var tab = configuration.GetSection(TabOptions.SectionName).Get<TabOptions>() ?? new TabOptions();
        var authentication = services.AddAuthentication()
            .AddPolicyScheme(Scheme, "ValueBot tab", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? SsoScheme : SessionScheme)
            .AddJwtBearer(SsoScheme, _ => { })
            .AddCookie(SessionScheme, _ => { });
        services.AddOptions<JwtBearerOptions>(SsoScheme).Configure<IOptions<BotOptions>, IOptions<TabOptions>, TimeProvider>(ConfigureSso);
        services.AddOptions<CookieAuthenticationOptions>(SessionScheme).Configure<IOptions<TabOptions>, TimeProvider>((o, options, time) =>
        {
            o.Cookie = new TabCookieBuilder { Name = ".ValueBot.Tab" };
            o.LoginPath = "/tab/sign-in";
            o.ReturnUrlParameter = "returnUrl";
            o.ExpireTimeSpan = options.Value.SessionDuration;
            o.SlidingExpiration = true;
            o.TimeProvider = time;
        });

        // Entra sign-in outside Teams, when there is a tenant to sign in to (never in local mode).
        if (tab.EntraSignIn && !bot.LocalMode && !string.IsNullOrWhiteSpace(bot.AppId) && !string.IsNullOrWhiteSpace(bot.TenantId))
        {
            authentication.AddOpenIdConnect(EntraScheme, _ => { });
            services.AddOptions<OpenIdConnectOptions>(EntraScheme).Configure<IOptions<BotOptions>>((o, botOptions) =>
            {
                var b = botOptions.Value;
                o.MetadataAddress = MetadataAddress(b);
                o.RequireHttpsMetadata = !IsLoopbackAddress(o.MetadataAddress);
                o.ClientId = b.AppId;
                // An id token through form_post: no client secret is needed to learn who signed in.
                o.ResponseType = "id_token";
                o.ResponseMode = "form_post";
                o.CallbackPath = "/tab/signin-oidc";
                o.SignInScheme = SessionScheme;
                o.MapInboundClaims = false;
                o.Scope.Clear();
                o.Scope.Add("openid");
                o.Scope.Add("profile");
                o.TokenValidationParameters.ValidIssuers = Issuers(b.TenantId!);
                // The state and nonce cookies ride Entra's cross-site form post back (SameSite=None); Secure whenever the
                // request is https, which it always is behind App Service, and plain on a loopback http test host.
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Events.OnTokenValidated = context =>
                {
                    if (context.Principal?.FindFirst(TenantClaim)?.Value is not { } tid || !string.Equals(tid, b.TenantId, StringComparison.OrdinalIgnoreCase))
                    {
                        context.Fail("The Entra token is not for this tenant.");
                    }
                    else if (context.Principal is { } principal && Session(principal, "entra") is { } session)
                    {
                        context.Principal = session;
                    }
                    else
                    {
                        context.Fail("The Entra token names no object id (oid).");
                    }

                    return Task.CompletedTask;
                };
                // A refused token, a lost or forged state, or an error Entra sent back: a 401 page saying so, never a 500.
                o.Events.OnRemoteFailure = async context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.WriteAsync(TabHtml.Message(context.Request, "Sign-in failed",
                        "Entra did not sign you in, or the answer could not be checked, so you are not signed in. Start again from the sign-in page.",
                        StatusCodes.Status401Unauthorized, null));
                    context.HandleResponse();
                };
            });
        }

        return services;
    }

    /// <summary>Whether the Entra sign-in is offered (it is registered).</summary>
    public static async Task<bool> EntraSignInAvailableAsync(IAuthenticationSchemeProvider schemes) =>
        await schemes.GetSchemeAsync(EntraScheme) is not null;

    /// <summary>The SSO audience: <c>Tab:Audience</c>, else <c>api://{Tab:Host}/{Bot:AppId}</c>; null when neither is set.</summary>
    public static string? Audience(BotOptions bot, TabOptions tab) =>
        !string.IsNullOrWhiteSpace(tab.Audience) ? tab.Audience
        : !string.IsNullOrWhiteSpace(tab.Host) && !string.IsNullOrWhiteSpace(bot.AppId) ? $"api://{tab.Host}/{bot.AppId}"
        : null;

    /// <summary>The session principal for a validated identity: object id, name, tenant and how they signed in.</summary>
    public static ClaimsPrincipal? Session(ClaimsPrincipal from, string signIn)
    {
        var id = from.FindFirst(ObjectIdClaim)?.Value ?? from.FindFirst("http://schemas.microsoft.com/identity/claims/objectidentifier")?.Value;
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        var name = from.FindFirst(NameClaim)?.Value ?? from.FindFirst("preferred_username")?.Value ?? id;
        var claims = new List<Claim> { new(ObjectIdClaim, id), new(NameClaim, name), new(SignInClaim, signIn) };
        if (from.FindFirst(TenantClaim)?.Value is { Length: > 0 } tenant)
        {
            claims.Add(new Claim(TenantClaim, tenant));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, SessionScheme, NameClaim, null));
    }

    public static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);

    private static void ConfigureSso(JwtBearerOptions o, IOptions<BotOptions> botOptions, IOptions<TabOptions> tabOptions, TimeProvider time)
    {
        var bot = botOptions.Value;
        o.MapInboundClaims = false;
        o.TimeProvider = time;
        var audience = Audience(bot, tabOptions.Value);
        if (string.IsNullOrWhiteSpace(bot.TenantId) || audience is null)
        {
            // Without a tenant and a host there is nobody to accept SSO tokens from: every token is refused.
            o.Events = new JwtBearerEvents
            {
                OnMessageReceived = c =>
                {
                    c.Fail("Teams single sign-on needs Bot:TenantId and Tab:Host (or Tab:Audience).");
                    return Task.CompletedTask;
                },
            };
            return;
        }

        o.MetadataAddress = MetadataAddress(bot);
        o.RequireHttpsMetadata = !IsLoopbackAddress(o.MetadataAddress);
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuers = Issuers(bot.TenantId),
            // The resource URI Teams asks for, and the app id itself (v2 access tokens carry the client id).
            ValidAudiences = [audience, bot.AppId],
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            // Lifetime by the application's clock (TimeProvider), with five minutes' skew.
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                var skew = TimeSpan.FromMinutes(5);
                return expires is { } exp && exp >= now - skew && (notBefore is not { } nbf || nbf <= now + skew);
            },
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512],
            NameClaimType = NameClaim,
        };
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = c =>
            {
                var principal = c.Principal!;
                if (principal.FindFirst(TenantClaim)?.Value is { } tid && !string.Equals(tid, bot.TenantId, StringComparison.OrdinalIgnoreCase))
                {
                    c.Fail("The token is for another tenant.");
                }
                else if (string.IsNullOrWhiteSpace(principal.FindFirst(ObjectIdClaim)?.Value))
                {
                    c.Fail("The token names no user (oid).");
                }

                return Task.CompletedTask;
            },
        };
    }

    private static string MetadataAddress(BotOptions bot) =>
        bot.Authentication.EntraMetadataAddressTemplate.Replace("{tenantId}", bot.TenantId, StringComparison.OrdinalIgnoreCase);

    private static string[] Issuers(string tenantId) =>
        [$"https://login.microsoftonline.com/{tenantId}/v2.0", $"https://sts.windows.net/{tenantId}/"];

    // Plain http metadata only on loopback (the tests' issuer).
    private static bool IsLoopbackAddress(string address) => Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.IsLoopback;

    /// <summary>
    /// The session cookie lives inside the Teams client's frame, a third-party context: over https it is
    /// <c>SameSite=None; Secure</c> so the browser sends it there; over plain http (loopback, local mode) <c>Lax</c>,
    /// because browsers drop a <c>None</c> cookie that is not secure.
    /// </summary>
    private sealed class TabCookieBuilder : CookieBuilder
    {
        public TabCookieBuilder()
        {
            HttpOnly = true;
            Path = "/tab";
            IsEssential = true;
        }

        public override CookieOptions Build(HttpContext context, DateTimeOffset expiresFrom)
        {
            var options = base.Build(context, expiresFrom);
            options.Secure = context.Request.IsHttps;
            options.SameSite = context.Request.IsHttps ? SameSiteMode.None : SameSiteMode.Lax;
            return options;
        }
    }
}
