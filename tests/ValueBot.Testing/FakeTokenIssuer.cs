using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ValueBot.Testing;

/// <summary>An RSA signing key of the <see cref="FakeTokenIssuer"/>.</summary>
public sealed class FakeSigningKey
{
    internal FakeSigningKey(string kid, IReadOnlyList<string>? endorsements)
    {
        Kid = kid;
        Rsa = RSA.Create(2048);
        SecurityKey = new RsaSecurityKey(Rsa) { KeyId = kid };
        Endorsements = endorsements;
    }

    /// <summary>The key id (<c>kid</c>).</summary>
    public string Kid { get; }

    /// <summary>The private key.</summary>
    public RSA Rsa { get; }

    /// <summary>The key for <see cref="SigningCredentials"/>.</summary>
    public RsaSecurityKey SecurityKey { get; }

    /// <summary>The JWKS <c>endorsements</c> array; null means the member is absent.</summary>
    public IReadOnlyList<string>? Endorsements { get; set; }

    internal JsonObject ToJwk()
    {
        var parameters = Rsa.ExportParameters(false);
        var jwk = new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = Kid,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
        if (Endorsements is not null)
        {
            jwk["endorsements"] = new JsonArray(Endorsements.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray());
        }

        return jwk;
    }
}

/// <summary>A person who signs in at the <see cref="FakeTokenIssuer"/>'s authorization endpoint.</summary>
public sealed record FakeEntraUser(string ObjectId, string Name, string UserPrincipalName);

/// <summary>What <see cref="FakeTokenIssuer.CreateToken"/> puts in a token. Anything null is left out.</summary>
public sealed record FakeTokenSpec
{
    /// <summary><c>iss</c>.</summary>
    public string? Issuer { get; init; }

    /// <summary><c>aud</c>.</summary>
    public string? Audience { get; init; }

    /// <summary><c>nbf</c>; default now − 1 minute.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary><c>exp</c>; default now + 1 hour. Use <see cref="OmitExpiry"/> to leave it out.</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>Leave <c>exp</c> out entirely.</summary>
    public bool OmitExpiry { get; init; }

    /// <summary>Further claims, for example <c>serviceurl</c>, <c>tid</c>, <c>appid</c>.</summary>
    public IReadOnlyDictionary<string, object> Claims { get; init; } = new Dictionary<string, object>();

    /// <summary>The signing key; default the issuer's <see cref="FakeTokenIssuer.DefaultKey"/>.</summary>
    public FakeSigningKey? Key { get; init; }

    /// <summary>RS256 by default.</summary>
    public string Algorithm { get; init; } = SecurityAlgorithms.RsaSha256;
}

/// <summary>
/// A loopback stand-in for login.botframework.com and login.microsoftonline.com: serves OpenID metadata and a
/// JWKS whose keys carry the Bot Framework <c>endorsements</c> array, and mints RS256 tokens (valid, expired,
/// signed by unpublished or unendorsed keys, unsigned, tampered…). Dispose to stop it.
/// Also the outbound side: a client-credentials token endpoint that can be made slow or unavailable.
/// <para>Routes: <c>/v1/.well-known/openidconfiguration</c> (Bot Framework metadata, jwks_uri <c>/v1/.well-known/keys</c>)
/// and <c>/{tenantId}/v2.0/.well-known/openid-configuration</c> (Entra metadata, jwks_uri <c>/{tenantId}/discovery/v2.0/keys</c>).
/// Both JWKS list every published key.</para>
/// </summary>
public sealed class FakeTokenIssuer : IAsyncDisposable
{
    /// <summary>The Bot Framework channel token issuer.</summary>
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    private readonly WebApplication _app;
    private readonly List<FakeSigningKey> _published = [];
    private readonly Lock _gate = new();
    private int _metadataRequests;
    private int _keyRequests;
    private int _tokenRequests;

    private FakeTokenIssuer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        DefaultKey = CreateKey("default-key", publish: true, "msteams");
    }

    /// <summary>http://127.0.0.1:PORT</summary>
    public string BaseUrl { get; }

    /// <summary>The Bot Framework metadata address to configure (<c>Bot:Authentication:BotFrameworkMetadataAddress</c>).</summary>
    public string BotFrameworkMetadataAddress => BaseUrl + "/v1/.well-known/openidconfiguration";

    /// <summary>The Entra template to configure (<c>Bot:Authentication:EntraMetadataAddressTemplate</c>).</summary>
    public string EntraMetadataAddressTemplate => BaseUrl + "/{tenantId}/v2.0/.well-known/openid-configuration";

    /// <summary>A published key endorsed for <c>msteams</c>.</summary>
    public FakeSigningKey DefaultKey { get; }

    /// <summary>How many metadata documents were served.</summary>
    public int MetadataRequests => Volatile.Read(ref _metadataRequests);

    /// <summary>How many key sets were served.</summary>
    public int KeyRequests => Volatile.Read(ref _keyRequests);

    /// <summary>How many client-credentials token requests came in (answered or not).</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>How long the token endpoint takes to answer (a slow Entra); zero by default.</summary>
    public TimeSpan TokenDelay { get; set; }

    /// <summary>While true the token endpoint answers 503 <c>temporarily_unavailable</c>, as Entra does in an outage.</summary>
    public bool TokenEndpointDown { get; set; }

    /// <summary>The lifetime of issued outbound tokens (<c>expires_in</c>); one hour by default.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The clock that dates the tokens it mints (<c>nbf</c>, <c>iat</c>, default <c>exp</c>): the machine's unless a test
    /// host runs on a clock of its own, which then sets it here so its tokens are valid by the time it validates with.
    /// </summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>The client-credentials token endpoint of a tenant (<c>POST</c>, form-encoded, as login.microsoftonline.com's v2 endpoint).</summary>
    public string TokenEndpoint(string tenantId) => $"{BaseUrl}/{tenantId}/oauth2/v2.0/token";

    /// <summary>Starts the issuer on 127.0.0.1 with an OS-chosen port.</summary>
    public static async Task<FakeTokenIssuer> StartAsync()
    {
        var builder = LoopbackApp.CreateBuilder();
        var app = builder.Build();
        FakeTokenIssuer? issuer = null;
        app.MapGet("/v1/.well-known/openidconfiguration", () => issuer!.Metadata(BotFrameworkIssuer, "/v1/.well-known/keys"));
        app.MapGet("/v1/.well-known/openid-configuration", () => issuer!.Metadata(BotFrameworkIssuer, "/v1/.well-known/keys"));
        app.MapGet("/v1/.well-known/keys", () => issuer!.Jwks());
        app.MapGet("/{tenantId}/v2.0/.well-known/openid-configuration", (string tenantId) =>
            issuer!.Metadata($"https://login.microsoftonline.com/{tenantId}/v2.0", $"/{tenantId}/discovery/v2.0/keys", tenantId));
        app.MapGet("/{tenantId}/discovery/v2.0/keys", (string tenantId) => issuer!.Jwks());
        app.MapPost("/{tenantId}/oauth2/v2.0/token", (string tenantId, HttpContext http) => issuer!.IssueAsync(tenantId, http));
        app.MapGet("/{tenantId}/oauth2/v2.0/authorize", (string tenantId, HttpContext http) => issuer!.Authorize(tenantId, http));
        var baseUrl = await LoopbackApp.StartAsync(app).ConfigureAwait(false);
        issuer = new FakeTokenIssuer(app, baseUrl);
        return issuer;
    }

    /// <summary>Creates a key; when <paramref name="publish"/> it appears in the JWKS at once.</summary>
    /// <param name="kid">Key id.</param>
    /// <param name="publish">Whether to list it in the JWKS.</param>
    /// <param name="endorsements">Its endorsements; pass none for an empty array, or set
    /// <see cref="FakeSigningKey.Endorsements"/> to null for a key without the member.</param>
    public FakeSigningKey CreateKey(string kid, bool publish, params string[] endorsements)
    {
        var key = new FakeSigningKey(kid, endorsements);
        if (publish)
        {
            Publish(key);
        }

        return key;
    }

    /// <summary>Adds a key to the JWKS (key rotation).</summary>
    public void Publish(FakeSigningKey key)
    {
        lock (_gate)
        {
            _published.Add(key);
        }
    }

    /// <summary>Removes a key from the JWKS.</summary>
    public void Unpublish(FakeSigningKey key)
    {
        lock (_gate)
        {
            _published.Remove(key);
        }
    }

    /// <summary>Mints a signed JWT as described by <paramref name="spec"/>.</summary>
    public string CreateToken(FakeTokenSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var now = Clock.GetUtcNow();
        var claims = new Dictionary<string, object>(spec.Claims);
        var notBefore = spec.NotBefore ?? now.AddMinutes(-1);
        claims["nbf"] = notBefore.ToUnixTimeSeconds();
        claims["iat"] = Math.Min(notBefore.ToUnixTimeSeconds(), now.ToUnixTimeSeconds());
        if (!spec.OmitExpiry)
        {
            claims["exp"] = (spec.Expires ?? now.AddHours(1)).ToUnixTimeSeconds();
        }

        if (spec.Issuer is not null)
        {
            claims["iss"] = spec.Issuer;
        }

        if (spec.Audience is not null)
        {
            claims["aud"] = spec.Audience;
        }

        var key = spec.Key ?? DefaultKey;
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(key.SecurityKey, spec.Algorithm),
        });
    }

    /// <summary>A Bot Framework channel token as Teams sends it: iss api.botframework.com, aud appId, serviceurl claim.</summary>
    public string CreateBotFrameworkToken(string appId, string? serviceUrl, FakeSigningKey? key = null, DateTimeOffset? notBefore = null, DateTimeOffset? expires = null)
    {
        var claims = new Dictionary<string, object>();
        if (serviceUrl is not null)
        {
            claims["serviceurl"] = serviceUrl;
        }

        return CreateToken(new FakeTokenSpec
        {
            Issuer = BotFrameworkIssuer,
            Audience = appId,
            Claims = claims,
            Key = key,
            NotBefore = notBefore,
            Expires = expires,
        });
    }

    /// <summary>The app id the fake Azure Bot Service calls from on the Entra path (<c>azp</c> / <c>appid</c>).</summary>
    public const string EntraCaller = "00000000-0000-0000-0000-0000000ca11e";

    /// <summary>
    /// An Entra-issued token for a single-tenant bot (v2 issuer by default): the caller app id in <c>azp</c> (v2) or
    /// <c>appid</c> (v1); <paramref name="extraClaims"/> adds or replaces claims (for example <c>scp</c> of a user token).
    /// </summary>
    public string CreateEntraToken(
        string tenantId,
        string audience,
        string? serviceUrl = null,
        bool v1Issuer = false,
        FakeSigningKey? key = null,
        string? caller = EntraCaller,
        IReadOnlyDictionary<string, object>? extraClaims = null)
    {
        var claims = new Dictionary<string, object> { ["tid"] = tenantId, ["ver"] = v1Issuer ? "1.0" : "2.0" };
        if (caller is not null)
        {
            claims[v1Issuer ? "appid" : "azp"] = caller;
        }

        foreach (var (name, value) in extraClaims ?? new Dictionary<string, object>())
        {
            claims[name] = value;
        }

        if (serviceUrl is not null)
        {
            claims["serviceurl"] = serviceUrl;
        }

        return CreateToken(new FakeTokenSpec
        {
            Issuer = v1Issuer ? $"https://sts.windows.net/{tenantId}/" : $"https://login.microsoftonline.com/{tenantId}/v2.0",
            Audience = audience,
            Claims = claims,
            Key = key,
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>, empty signature) with the given claims.</summary>
    public static string CreateUnsignedToken(IReadOnlyDictionary<string, object> claims)
    {
        var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        var payload = Base64UrlEncoder.Encode(JsonSerializer.Serialize(claims));
        return header + "." + payload + ".";
    }

    /// <summary>The same token with one payload claim changed and the original signature kept.</summary>
    public static string Tamper(string token, string claim, string newValue)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload[claim] = newValue;
        parts[1] = Base64UrlEncoder.Encode(payload.ToJsonString());
        return string.Join('.', parts);
    }

    private readonly Dictionary<string, FakeWebApp> _webApps = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The authorization endpoint of a tenant (<c>GET</c>, the interactive sign-in of login.microsoftonline.com's v2 endpoint).</summary>
    public string AuthorizeEndpoint(string tenantId) => $"{BaseUrl}/{tenantId}/oauth2/v2.0/authorize";

    /// <summary>Who signs in at the authorization endpoint, as if they had typed their password there; null shows the sign-in prompt only.</summary>
    public FakeEntraUser? SignedInUser { get; set; }

    /// <summary>How many interactive sign-ins were asked for.</summary>
    public int AuthorizeRequests => Volatile.Read(ref _authorizeRequests);

    private int _authorizeRequests;

    /// <summary>
    /// Registers a web app in a tenant, as an app registration does: its client id, its redirect URIs and whether it may
    /// receive ID tokens from the authorization endpoint ("ID tokens" under implicit grant).
    /// </summary>
    public void RegisterWebApp(string tenantId, string clientId, bool idTokens, params string[] redirectUris)
    {
        lock (_gate)
        {
            _webApps[tenantId + "/" + clientId] = new FakeWebApp(idTokens, redirectUris);
        }
    }

    private sealed record FakeWebApp(bool IdTokens, IReadOnlyList<string> RedirectUris);

    /// <summary>
    /// The interactive sign-in: checks the request as Entra does (a registered client, one of its redirect URIs exactly —
    /// both shown as an error page, never redirected —, a response type the app allows, a nonce for an ID token, form_post),
    /// then answers with the auto-submitting form that posts <c>id_token</c> and <c>state</c> to the redirect URI.
    /// </summary>
    private IResult Authorize(string tenantId, HttpContext http)
    {
        Interlocked.Increment(ref _authorizeRequests);
        var query = http.Request.Query;
        string clientId = query["client_id"].ToString(), redirectUri = query["redirect_uri"].ToString(), state = query["state"].ToString();
        FakeWebApp? app;
        lock (_gate)
        {
            _webApps.TryGetValue(tenantId + "/" + clientId, out app);
        }

        if (app is null)
        {
            return ErrorPage($"AADSTS700016: Application with identifier '{clientId}' was not found in the directory '{tenantId}'.");
        }

        if (!app.RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
        {
            return ErrorPage($"AADSTS50011: The redirect URI '{redirectUri}' specified in the request does not match the redirect URIs configured for the application '{clientId}'.");
        }

        var responseType = query["response_type"].ToString();
        var responseMode = query["response_mode"].ToString();
        var nonce = query["nonce"].ToString();
        string? error = responseType != "id_token" ? $"AADSTS700054: response_type '{responseType}' is not supported by this fake; ValueBot asks for id_token."
            : !app.IdTokens ? "AADSTS700054: response_type 'id_token' is not enabled for the application."
            : nonce.Length == 0 ? "AADSTS90014: The required field 'nonce' is missing from the request."
            : !query["scope"].ToString().Split(' ').Contains("openid") ? "AADSTS900144: The request body must contain the following parameter: 'scope' with openid."
            : responseMode != "form_post" ? $"AADSTS900144: response_mode '{responseMode}' is not supported by this fake; ValueBot asks for form_post."
            : null;
        if (error is not null)
        {
            return FormPost(redirectUri, new Dictionary<string, string> { ["error"] = "invalid_request", ["error_description"] = error, ["state"] = state });
        }

        if (SignedInUser is not { } user)
        {
            return Results.Content("<!DOCTYPE html><title>Sign in to your account</title><p>Sign in</p>", "text/html", Encoding.UTF8);
        }

        var token = CreateToken(new FakeTokenSpec
        {
            Issuer = $"https://login.microsoftonline.com/{tenantId}/v2.0",
            Audience = clientId,
            Claims = new Dictionary<string, object>
            {
                ["oid"] = user.ObjectId, ["sub"] = "sub-" + user.ObjectId, ["tid"] = tenantId, ["name"] = user.Name,
                ["preferred_username"] = user.UserPrincipalName, ["nonce"] = nonce, ["ver"] = "2.0",
            },
        });
        return FormPost(redirectUri, new Dictionary<string, string> { ["id_token"] = token, ["state"] = state });
    }

    /// <summary>The page Entra answers with for response_mode=form_post: a form the browser submits at once.</summary>
    private static IResult FormPost(string action, IReadOnlyDictionary<string, string> fields)
    {
        var html = new StringBuilder("<!DOCTYPE html><html><head><title>Working...</title></head><body onload=\"document.forms[0].submit()\">")
            .Append("<form method=\"POST\" name=\"hiddenform\" action=\"").Append(System.Net.WebUtility.HtmlEncode(action)).Append("\">");
        foreach (var (name, value) in fields)
        {
            html.Append("<input type=\"hidden\" name=\"").Append(name).Append("\" value=\"").Append(System.Net.WebUtility.HtmlEncode(value)).Append("\" />");
        }

        html.Append("<noscript><p>Script is disabled. Click Submit to continue.</p><input type=\"submit\" value=\"Submit\" /></noscript></form></body></html>");
        return Results.Content(html.ToString(), "text/html", Encoding.UTF8);
    }

    private static IResult ErrorPage(string message) =>
        Results.Content($"<!DOCTYPE html><title>Sign in to your account</title><p id=\"error\">{System.Net.WebUtility.HtmlEncode(message)}</p>", "text/html", Encoding.UTF8, 400);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The v2 client-credentials grant: <c>grant_type=client_credentials</c>, <c>client_id</c>, <c>client_secret</c> and a
    /// <c>scope</c> ending in <c>/.default</c>; answers <c>{token_type, expires_in, access_token}</c> with a token for the
    /// scope's resource, or an OAuth error as Entra words it.
    /// </summary>
    private async Task<IResult> IssueAsync(string tenantId, HttpContext http)
    {
        Interlocked.Increment(ref _tokenRequests);
        if (TokenDelay > TimeSpan.Zero)
        {
            await Task.Delay(TokenDelay, http.RequestAborted).ConfigureAwait(false);
        }

        if (TokenEndpointDown)
        {
            return Results.Json(new { error = "temporarily_unavailable", error_description = "AADSTS90033: A transient error has occurred. Please try again." }, statusCode: 503);
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var scope = form["scope"].ToString();
        if (form["grant_type"] != "client_credentials" || string.IsNullOrEmpty(form["client_id"]) || string.IsNullOrEmpty(form["client_secret"])
            || !scope.EndsWith("/.default", StringComparison.Ordinal))
        {
            return Results.Json(new { error = "invalid_request", error_description = "AADSTS900144: The request body must contain grant_type, client_id, client_secret and scope." }, statusCode: 400);
        }

        var token = CreateToken(new FakeTokenSpec
        {
            Issuer = $"https://login.microsoftonline.com/{tenantId}/v2.0",
            Audience = scope[..^"/.default".Length],
            Expires = Clock.GetUtcNow() + TokenLifetime,
            Claims = new Dictionary<string, object> { ["tid"] = tenantId, ["azp"] = form["client_id"].ToString(), ["ver"] = "2.0" },
        });
        return Results.Json(new { token_type = "Bearer", expires_in = (int)TokenLifetime.TotalSeconds, access_token = token });
    }

    private IResult Metadata(string issuer, string jwksPath, string? tenantId = null)
    {
        Interlocked.Increment(ref _metadataRequests);
        var document = new JsonObject
        {
            ["issuer"] = issuer,
            ["jwks_uri"] = BaseUrl + jwksPath,
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
        };
        if (tenantId is not null)
        {
            // A tenant's v2 metadata also names where people sign in, as login.microsoftonline.com's does.
            document["authorization_endpoint"] = AuthorizeEndpoint(tenantId);
            document["token_endpoint"] = TokenEndpoint(tenantId);
            document["response_modes_supported"] = new JsonArray("query", "fragment", "form_post");
            document["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token");
            document["scopes_supported"] = new JsonArray("openid", "profile", "email", "offline_access");
        }

        return Results.Text(document.ToJsonString(), "application/json", Encoding.UTF8);
    }

    private IResult Jwks()
    {
        Interlocked.Increment(ref _keyRequests);
        JsonArray keys;
        lock (_gate)
        {
            keys = new JsonArray(_published.Select(k => (JsonNode?)k.ToJwk()).ToArray());
        }

        return Results.Text(new JsonObject { ["keys"] = keys }.ToJsonString(), "application/json", Encoding.UTF8);
    }
}
