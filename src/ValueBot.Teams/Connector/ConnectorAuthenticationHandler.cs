using System.Net.Http.Headers;
using Azure.Core;

namespace ValueBot.Teams.Connector;

/// <summary>
/// The credential the bot uses towards the Connector. <see cref="Credential"/> is null only in local mode,
/// where outbound calls carry no token.
/// </summary>
public sealed class BotConnectorCredential
{
    /// <summary>The scope of Connector tokens.</summary>
    public const string Scope = "https://api.botframework.com/.default";

    /// <param name="credential">An Azure.Identity credential (keep one per identity: it caches tokens), or null for none.</param>
    public BotConnectorCredential(TokenCredential? credential) => Credential = credential;

    /// <summary>The credential, or null when calls are sent without a token.</summary>
    public TokenCredential? Credential { get; }
}

/// <summary>
/// Adds <c>Authorization: Bearer</c> to Connector requests (except, in local mode, to loopback URLs). As a second line of defence it refuses to
/// attach the token to (or send) a request whose URL the <see cref="ServiceUrlPolicy"/> does not trust.
/// </summary>
public sealed class ConnectorAuthenticationHandler : DelegatingHandler
{
    private readonly ConnectorToken _token;
    private readonly ServiceUrlPolicy _policy;

    /// <param name="token">The bot's cached, time-limited token.</param>
    /// <param name="policy">Which URLs may receive the token.</param>
    public ConnectorAuthenticationHandler(ConnectorToken token, ServiceUrlPolicy policy)
    {
        _token = token;
        _policy = policy;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!_policy.IsTrusted(request.RequestUri?.AbsoluteUri))
        {
            throw new InvalidOperationException("Refusing to send a Connector request to an untrusted URL.");
        }

        // In local mode the loopback connector (Agents Playground) never receives the token. No token in time throws
        // ConnectorTokenUnavailableException before anything is written: the caller knows the message was not sent.
        if (_token.IsNeededFor(request.RequestUri))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _token.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false));
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
