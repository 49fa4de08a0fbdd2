using Azure.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ValueBot.Teams.Hosting;

namespace ValueBot.Teams.Connector;

/// <summary>No Connector token could be had in time: nothing was sent, so sending again later is safe.</summary>
public sealed class ConnectorTokenUnavailableException(string message) : Exception(message);

/// <summary>
/// The bot's outbound (Bot Framework / Entra client-credentials) token, cached and renewed ahead of its expiry. An
/// acquisition is bounded by <see cref="BotOptions.TokenTimeout"/>; callers wait for it at most as long as they say,
/// and only one acquisition runs at a time. While the token endpoint is slow or down the current token keeps serving
/// until a minute before it expires, and a renewal is tried in the background.
/// </summary>
public sealed partial class ConnectorToken
{
    private static readonly TokenRequestContext TokenRequest = new([BotConnectorCredential.Scope]);

    /// <summary>A token is not handed out in its last minute: a call may take that long to reach Teams.</summary>
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromMinutes(1);

    private readonly TokenCredential? _credential;
    private readonly ServiceUrlPolicy _policy;
    private readonly BotOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private volatile Held? _current;
    private Task<string?>? _acquiring;
    private string? _lastProblem;

    /// <param name="credential">The bot's credential (none in local mode).</param>
    /// <param name="policy">Which URLs get a token at all (loopback ones in local mode do not).</param>
    /// <param name="options">The time limits.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Logger.</param>
    public ConnectorToken(BotConnectorCredential credential, ServiceUrlPolicy policy, IOptions<BotOptions> options, TimeProvider time, ILogger<ConnectorToken> logger)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(options);
        _credential = credential.Credential;
        _policy = policy;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Whether a request to <paramref name="url"/> carries the token (not without a credential, nor to loopback in local mode).</summary>
    public bool IsNeededFor(Uri? url) => _credential is not null && !(_policy.AllowLoopback && url is { IsLoopback: true });

    /// <summary>
    /// The token, at once when one is cached, else from an acquisition awaited at most <paramref name="wait"/>
    /// (default <see cref="BotOptions.TokenTimeout"/>).
    /// </summary>
    /// <exception cref="ConnectorTokenUnavailableException">None came in time, or the token endpoint refused.</exception>
    public async Task<string> GetAsync(TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        if (Cached() is { } token)
        {
            return token;
        }

        var limit = wait ?? _options.TokenTimeout;
        try
        {
            return await Acquisition().WaitAsync(limit, _time, cancellationToken).ConfigureAwait(false)
                ?? throw new ConnectorTokenUnavailableException("No Connector token could be obtained: " + _lastProblem);
        }
        catch (TimeoutException)
        {
            throw new ConnectorTokenUnavailableException($"No Connector token within {limit.TotalSeconds:0.###} s; the token endpoint is slow or unreachable.");
        }
    }

    /// <summary>Whether a token is at hand now or arrives within <paramref name="wait"/>; never throws for an outage.</summary>
    public async Task<bool> IsReadyAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await GetAsync(wait, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConnectorTokenUnavailableException)
        {
            return false;
        }
    }

    /// <summary>The cached token while it has more than a minute left; starts a renewal once it is due for one.</summary>
    private string? Cached()
    {
        if (_current?.Token is not { } current)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        if (now >= current.ExpiresOn - ExpiryMargin)
        {
            return null;
        }

        if (now >= (current.RefreshOn ?? current.ExpiresOn - _options.TokenRenewAhead))
        {
            _ = Acquisition();
        }

        return current.Token;
    }

    /// <summary>The acquisition under way, or a new one (started outside the lock, so nobody waits on the lock for the credential).</summary>
    private Task<string?> Acquisition()
    {
        TaskCompletionSource<string?> started;
        lock (_gate)
        {
            if (_acquiring is { IsCompleted: false } running)
            {
                return running;
            }

            started = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _acquiring = started.Task;
        }

        _ = CompleteAsync(started);
        return started.Task;

        async Task CompleteAsync(TaskCompletionSource<string?> acquisition) => acquisition.SetResult(await AcquireAsync().ConfigureAwait(false));
    }

    /// <summary>
    /// One bounded call to the credential; null (and the reason kept) when it fails. It starts on the caller's thread (a
    /// credential with the token at hand answers without a thread switch) and takes no lock itself.
    /// </summary>
    private async Task<string?> AcquireAsync()
    {
        using var limit = new CancellationTokenSource(_options.TokenTimeout, _time);
        try
        {
            var token = await _credential!.GetTokenAsync(TokenRequest, limit.Token).ConfigureAwait(false);
            _current = new Held(token);
            return token.Token;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Azure.Identity wraps network and endpoint failures in AuthenticationFailedException; a cancelled call is the time limit.
            _lastProblem = limit.IsCancellationRequested ? $"the token endpoint did not answer within {_options.TokenTimeout.TotalSeconds:0.###} s" : e.Message;
            Log.AcquisitionFailed(_logger, _lastProblem, e);
            return null;
        }
    }

    /// <summary>A reference around the token, so that it is replaced in one write.</summary>
    private sealed record Held(AccessToken Token);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1205, Level = LogLevel.Warning, Message = "No Connector token: {Problem}; messages wait in the outbox until one comes")]
        public static partial void AcquisitionFailed(ILogger logger, string problem, Exception exception);
    }
}
