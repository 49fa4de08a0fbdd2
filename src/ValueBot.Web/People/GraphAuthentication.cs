using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;

namespace ValueBot.Web.People;

/// <summary>
/// The app-only credential for Graph and a cache of its current token (kept until shortly before it expires).
/// <see cref="Credential"/> is null only when Graph is disabled or is a loopback fake reached without a token.
/// </summary>
public sealed class GraphCredential
{
    public const string Scope = "https://graph.microsoft.com/.default";

    private static readonly TokenRequestContext TokenRequest = new([Scope]);
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time;
    private AccessToken? _current;

    public GraphCredential(TokenCredential? credential, TimeProvider? time = null)
    {
        Credential = credential;
        _time = time ?? TimeProvider.System;
    }

    public TokenCredential? Credential { get; }

    /// <summary>The current token, fetched again when less than five minutes of it are left.</summary>
    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (Credential is null)
        {
            return null;
        }

        if (Fresh(_current) is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(_current) is { } again)
            {
                return again;
            }

            var token = await Credential.GetTokenAsync(TokenRequest, cancellationToken).ConfigureAwait(false);
            _current = token;
            return token.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The credential chosen by <c>Graph:Credential:Type</c>.</summary>
    public static GraphCredential Create(GraphOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var c = options.Credential;
        TokenCredential? credential = !options.Enabled ? null : c.Type switch
        {
            GraphCredentialType.None => null,
            GraphCredentialType.ClientSecret => new ClientSecretCredential(c.TenantId, c.ClientId, c.ClientSecret),
            GraphCredentialType.Certificate => new ClientCertificateCredential(c.TenantId, c.ClientId, LoadCertificate(c)),
            GraphCredentialType.ManagedIdentity => new ManagedIdentityCredential(
                ManagedIdentityId.FromUserAssignedClientId(string.IsNullOrWhiteSpace(c.ManagedIdentityClientId) ? c.ClientId! : c.ManagedIdentityClientId)),
            _ => throw new InvalidOperationException($"Unknown Graph:Credential:Type {c.Type}."),
        };
        return new GraphCredential(credential, time);
    }

    private string? Fresh(AccessToken? token) =>
        token is { } t && t.ExpiresOn - RefreshMargin > _time.GetUtcNow() ? t.Token : null;

    private static X509Certificate2 LoadCertificate(GraphCredentialOptions c)
    {
        var path = c.CertificatePath ?? throw new InvalidOperationException("Graph:Credential:CertificatePath is required.");
        return Path.GetExtension(path).Equals(".pem", StringComparison.OrdinalIgnoreCase)
            ? X509Certificate2.CreateFromPemFile(path)
            : X509CertificateLoader.LoadPkcs12FromFile(path, c.CertificatePassword);
    }
}

/// <summary>
/// Adds <c>Authorization: Bearer</c> to Graph requests. The Graph SDK's own Azure.Identity provider only does this
/// for its allowed hosts over https, so the SDK is given an anonymous provider and this handler does it instead —
/// the same code path in production and against the loopback fake. The token only goes to the configured Graph host.
/// </summary>
internal sealed class GraphAuthenticationHandler(GraphCredential credential, IOptions<GraphOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (IsGraphHost(request.RequestUri) && await credential.GetTokenAsync(cancellationToken).ConfigureAwait(false) is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private bool IsGraphHost(Uri? uri) =>
        uri is not null
        && Uri.TryCreate(options.Value.BaseUrl, UriKind.Absolute, out var graph)
        && Uri.Compare(uri, graph, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
