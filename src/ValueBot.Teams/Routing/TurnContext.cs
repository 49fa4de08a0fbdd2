using ValueBot.Teams.Auth;
using ValueBot.Teams.Cards;
using ValueBot.Teams.Connector;
using ValueBot.Teams.Schema;

namespace ValueBot.Teams.Routing;

/// <summary>A handler for one activity.</summary>
public delegate Task BotHandler(TurnContext turn, CancellationToken cancellationToken);

/// <summary>A handler for a card action (Action.Execute invoke or Action.Submit message) with one verb.</summary>
public delegate Task<CardActionResult> CardActionHandler(TurnContext turn, CardActionData action, CancellationToken cancellationToken);

/// <summary>
/// One inbound activity being handled: the activity and its caller, and send operations bound to the activity's
/// serviceUrl and conversation. It hands out no services: a handler states what it needs in its constructor.
/// </summary>
public sealed class TurnContext
{
    /// <param name="activity">The validated activity.</param>
    /// <param name="caller">Who sent it.</param>
    /// <param name="connector">The Connector client.</param>
    /// <param name="isLocalMode">Whether the bot runs in local mode.</param>
    /// <param name="token">The outbound token: a turn waits for one at most <paramref name="tokenWait"/>, then queues instead.</param>
    /// <param name="tokenWait">How long a send in this turn waits for a token it does not have.</param>
    /// <param name="unsent">Where messages go that cannot be sent during the turn; null returns the failure.</param>
    public TurnContext(Activity activity, BotCaller caller, IConnectorClient connector, bool isLocalMode,
        ConnectorToken? token = null, TimeSpan tokenWait = default, IUnsentMessages? unsent = null)
    {
        Activity = activity;
        Caller = caller;
        Connector = connector;
        IsLocalMode = isLocalMode;
        _token = token;
        _tokenWait = tokenWait;
        _unsent = unsent;
    }

    private readonly ConnectorToken? _token;
    private readonly TimeSpan _tokenWait;
    private readonly IUnsentMessages? _unsent;
    private int _sends;

    /// <summary>The inbound activity.</summary>
    public Activity Activity { get; }

    /// <summary>The validated identity of the sender.</summary>
    public BotCaller Caller { get; }

    /// <summary>The Connector client.</summary>
    public IConnectorClient Connector { get; }

    /// <summary>True in local mode (no token checks for loopback callers, no outbound token).</summary>
    public bool IsLocalMode { get; }

    /// <summary>For a text command: the matched command name; otherwise null.</summary>
    public string? Command { get; internal set; }

    /// <summary>For a text command: the text after the command words (may be empty); otherwise null.</summary>
    public string? CommandArguments { get; internal set; }

    /// <summary>
    /// This turn with its sends, replies and updates going through <paramref name="connector"/> instead: lets a host
    /// deliver a handler's answers somewhere else (for example privately) without the handler knowing.
    /// </summary>
    public TurnContext WithConnector(IConnectorClient connector) =>
        new(Activity, Caller, connector ?? throw new ArgumentNullException(nameof(connector)), IsLocalMode)
        {
            Command = Command,
            CommandArguments = CommandArguments,
        };

    private string ServiceUrl => Activity.ServiceUrl ?? throw new InvalidOperationException("The activity has no serviceUrl.");

    private string ConversationId => Activity.Conversation?.Id ?? throw new InvalidOperationException("The activity has no conversation id.");

    /// <summary>
    /// Sends an activity to this conversation. When it cannot be sent now — no outbound token within the turn's wait,
    /// throttled, or refused before Teams acted on it — it is queued for later (<see cref="ConnectorResult{T}.Queued"/>).
    /// </summary>
    public Task<ConnectorResult<ResourceResponse>> SendAsync(Activity activity, CancellationToken cancellationToken = default) =>
        DeliverAsync(activity, null, () => Connector.SendAsync(ServiceUrl, ConversationId, activity, cancellationToken), cancellationToken);

    /// <summary>Sends a text message to this conversation.</summary>
    public Task<ConnectorResult<ResourceResponse>> SendTextAsync(string text, CancellationToken cancellationToken = default) =>
        SendAsync(Activity.CreateMessage(text), cancellationToken);

    /// <summary>Sends a card to this conversation.</summary>
    public Task<ConnectorResult<ResourceResponse>> SendCardAsync(AdaptiveCard card, CancellationToken cancellationToken = default) =>
        SendAsync(Activity.CreateCardMessage(card), cancellationToken);

    /// <summary>Replies to the inbound activity (threaded in channels).</summary>
    public Task<ConnectorResult<ResourceResponse>> ReplyAsync(Activity activity, CancellationToken cancellationToken = default)
    {
        var activityId = Activity.Id ?? throw new InvalidOperationException("The activity has no id.");
        ArgumentNullException.ThrowIfNull(activity);
        activity.ReplyToId ??= activityId;
        return DeliverAsync(activity, null, () => Connector.ReplyAsync(ServiceUrl, ConversationId, activityId, activity, cancellationToken), cancellationToken);
    }

    /// <summary>Replaces an earlier activity of this conversation (for example the card a Submit came from).</summary>
    public Task<ConnectorResult<ResourceResponse>> UpdateAsync(string activityId, Activity activity, CancellationToken cancellationToken = default) =>
        DeliverAsync(activity, activityId, () => Connector.UpdateAsync(ServiceUrl, ConversationId, activityId, activity, cancellationToken), cancellationToken);

    /// <summary>Sends through <paramref name="send"/>, unless no token comes in the turn's wait; queues what clearly was not sent.</summary>
    private async Task<ConnectorResult<ResourceResponse>> DeliverAsync(Activity activity, string? updateActivityId, Func<Task<ConnectorResult<ResourceResponse>>> send, CancellationToken ct)
    {
        var index = Interlocked.Increment(ref _sends);
        var result = _token is { } token && token.IsNeededFor(new Uri(ServiceUrl)) && !await token.IsReadyAsync(_tokenWait, ct).ConfigureAwait(false)
            ? new ConnectorResult<ResourceResponse>
            {
                Status = ConnectorStatus.Transient,
                ErrorCode = ConnectorClient.TokenUnavailable,
                ErrorMessage = "No Connector token within the turn; nothing was sent.",
            }
            : await send().ConfigureAwait(false);
        var notTaken = result.Status == ConnectorStatus.Throttled || (result.Status == ConnectorStatus.Transient && !result.MayHaveArrived);
        if (_unsent is null || !notTaken)
        {
            return result;
        }

        var key = $"turn:{ConversationId}:{Activity.Id ?? Guid.NewGuid().ToString("N")}:{index}";
        var tenant = Activity.Conversation?.TenantId ?? Activity.ChannelData?.Tenant?.Id;
        await _unsent.QueueAsync(new UnsentMessage(key, ServiceUrl, ConversationId, tenant, activity, updateActivityId), ct).ConfigureAwait(false);
        return result with { Queued = true };
    }
}
