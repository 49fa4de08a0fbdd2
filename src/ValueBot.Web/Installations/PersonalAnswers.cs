using ValueBot.Teams.Connector;
using ValueBot.Teams.Routing;
using ValueBot.Teams.Schema;
using ValueBot.Web.Delivery;

namespace ValueBot.Web.Installations;

/// <summary>
/// Privacy by scope (DOMAIN.md "Who sees what"): a personal command or card action used in a channel or group chat is
/// answered in the caller's 1:1 chat with ValueBot, through the outbox, and the place it was typed gets one neutral
/// line. Wrap a handler at registration: <c>router.OnCommand("status", "…", PersonalAnswers.Command(StatusAsync))</c>.
/// In the 1:1 chat the handler runs as it is.
/// </summary>
public static class PersonalAnswers
{
    /// <summary>The one line left where the command was typed.</summary>
    public const string SentPrivately = "I've sent that to you in our 1:1 chat.";

    /// <summary>What is said in place when no 1:1 chat with the caller exists or can be opened; nothing else is sent.</summary>
    public const string NoPersonalChat =
        "That answer is only for you, so I send it to our 1:1 chat, but I could not open one with you. Add ValueBot for yourself (Apps → ValueBot → Add) and type the command there.";

    /// <summary>
    /// True for a 1:1 chat. Teams omits the conversation type in some personal activities, so a missing type counts as
    /// personal only when nothing else says otherwise: no team or channel in <c>channelData</c>, not a group, and not a
    /// thread id (channel and group chat ids end in <c>@thread.…</c>; 1:1 ids do not). When in doubt, the answer goes
    /// to the 1:1 chat, never into a shared conversation.
    /// </summary>
    public static bool IsPersonal(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var conversation = activity.Conversation;
        if (conversation?.ConversationType is { } type)
        {
            return type == ConversationTypes.Personal;
        }

        return conversation?.IsGroup != true
            && activity.ChannelData?.Team is null
            && activity.ChannelData?.Channel is null
            && conversation?.Id?.Contains("@thread", StringComparison.OrdinalIgnoreCase) != true;
    }

    /// <summary>A command whose answers belong in the caller's 1:1 chat.</summary>
    public static BotHandler Command(BotHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return async (turn, ct) =>
        {
            if (IsPersonal(turn.Activity))
            {
                await handler(turn, ct);
                return;
            }

            var chats = turn.Services.GetRequiredService<PersonalChats>();
            var chat = await chats.FindOrOpenAsync(turn, ct);
            if (chat is null)
            {
                await turn.SendTextAsync(NoPersonalChat, ct);
                return;
            }

            var answers = new HeldAnswers(turn.Connector);
            await handler(turn.WithConnector(answers), ct);
            if (await chats.DeliverAsync(turn, chat, answers.Activities, ct) > 0)
            {
                await turn.SendTextAsync(SentPrivately, ct);
            }
        };
    }

    /// <summary>
    /// Queues <paramref name="activities"/> for the caller's 1:1 chat (opening it if needed), whatever the turn's
    /// conversation; false when there is no such chat and none could be opened (nothing is sent then).
    /// </summary>
    public static async Task<bool> SendToPersonalChatAsync(TurnContext turn, IReadOnlyList<Activity> activities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var chats = turn.Services.GetRequiredService<PersonalChats>();
        if (await chats.FindOrOpenAsync(turn, cancellationToken) is not { } chat)
        {
            return false;
        }

        await chats.DeliverAsync(turn, chat, activities, cancellationToken);
        return true;
    }

    /// <summary>
    /// A card action whose result belongs in the caller's 1:1 chat: what the handler sends and the card or message it
    /// returns go there; the clicked card stays as it is and the clicker sees <see cref="SentPrivately"/>.
    /// Error results (which carry no figures) are returned as they are.
    /// </summary>
    public static CardActionHandler Verb(CardActionHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return async (turn, action, ct) =>
        {
            if (IsPersonal(turn.Activity))
            {
                return await handler(turn, action, ct);
            }

            var chats = turn.Services.GetRequiredService<PersonalChats>();
            var chat = await chats.FindOrOpenAsync(turn, ct);
            if (chat is null)
            {
                return CardActionResult.Message(NoPersonalChat);
            }

            var answers = new HeldAnswers(turn.Connector);
            var result = await handler(turn.WithConnector(answers), action, ct);
            if (result.IsError)
            {
                return result;
            }

            var activities = answers.Activities.ToList();
            if (result.NewCard is { } card)
            {
                activities.Add(Activity.CreateCardMessage(card));
            }
            else if (!string.IsNullOrEmpty(result.Text))
            {
                activities.Add(Activity.CreateMessage(result.Text));
            }

            await chats.DeliverAsync(turn, chat, activities, ct);
            return CardActionResult.Message(SentPrivately);
        };
    }

    /// <summary>
    /// Holds what a handler sends to the turn's conversation instead of sending it, so that it can go to the 1:1 chat;
    /// every other Connector call goes through as it is. A held send reports success: it is queued in the outbox.
    /// </summary>
    private sealed class HeldAnswers(IConnectorClient inner) : IConnectorClient
    {
        private readonly List<Activity> _activities = [];

        public IReadOnlyList<Activity> Activities => _activities;

        public Task<ConnectorResult<ResourceResponse>> SendAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken = default) =>
            Hold(activity);

        public Task<ConnectorResult<ResourceResponse>> ReplyAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default) =>
            Hold(activity);

        // A card in the channel is never replaced by a personal answer: the new card goes to the 1:1 chat.
        public Task<ConnectorResult<ResourceResponse>> UpdateAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default) =>
            Hold(activity);

        public Task<ConnectorResult<ConversationResourceResponse>> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken = default) =>
            inner.CreateConversationAsync(serviceUrl, parameters, cancellationToken);

        public Task<ConnectorResult<ConversationResourceResponse>> CreatePersonalConversationAsync(string serviceUrl, string tenantId, string botId, string userId, CancellationToken cancellationToken = default) =>
            inner.CreatePersonalConversationAsync(serviceUrl, tenantId, botId, userId, cancellationToken);

        public Task<ConnectorResult<ConversationResourceResponse>> StartChannelThreadAsync(string serviceUrl, string tenantId, string channelId, Activity activity, CancellationToken cancellationToken = default) =>
            inner.StartChannelThreadAsync(serviceUrl, tenantId, channelId, activity, cancellationToken);

        public Task<ConnectorResult<PagedMembersResult>> GetPagedMembersAsync(string serviceUrl, string conversationId, int? pageSize = null, string? continuationToken = null, CancellationToken cancellationToken = default) =>
            inner.GetPagedMembersAsync(serviceUrl, conversationId, pageSize, continuationToken, cancellationToken);

        private Task<ConnectorResult<ResourceResponse>> Hold(Activity activity)
        {
            activity.ReplyToId = null;
            _activities.Add(activity);
            return Task.FromResult(new ConnectorResult<ResourceResponse> { Status = ConnectorStatus.Success, Value = new ResourceResponse() });
        }
    }
}

/// <summary>The 1:1 chats of the people who write to ValueBot elsewhere: found among the installations, or opened.</summary>
public sealed partial class PersonalChats(InstallationStore installations, Outbox outbox, ILogger<PersonalChats> logger)
{
    /// <summary>The outbox kind of an answer moved to the 1:1 chat.</summary>
    public const string Kind = "personal-answer";

    /// <summary>
    /// The caller's 1:1 chat: the stored one, else one opened with the Connector's create-conversation call
    /// (PROTOCOL.md §3.3) on the activity's serviceUrl and stored as a personal installation. Null when the caller is
    /// unknown or Teams refuses (for example 403 when the app is not installed for them).
    /// </summary>
    public async Task<Installation?> FindOrOpenAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        if (activity.From?.AadObjectId is not { Length: > 0 } aadObjectId)
        {
            return null;
        }

        if (await installations.FindPersonalAsync(aadObjectId, cancellationToken) is { } stored)
        {
            return stored;
        }

        var tenantId = activity.Conversation?.TenantId ?? activity.ChannelData?.Tenant?.Id;
        if (activity.From.Id is not { Length: > 0 } userId || activity.Recipient?.Id is not { Length: > 0 } botId
            || string.IsNullOrEmpty(tenantId) || string.IsNullOrEmpty(activity.ServiceUrl))
        {
            return null;
        }

        var created = await turn.Connector.CreatePersonalConversationAsync(activity.ServiceUrl, tenantId, botId, userId, cancellationToken);
        if (!created.IsSuccess || created.Value?.Id is not { Length: > 0 } conversationId)
        {
            Log.NotOpened(logger, created.ToString());
            return null;
        }

        var chat = new Installation
        {
            ConversationId = conversationId,
            Scope = ConversationTypes.Personal,
            ServiceUrl = activity.ServiceUrl,
            TenantId = tenantId,
            UserId = userId,
            AadObjectId = aadObjectId,
            UserName = activity.From.Name,
        };
        await installations.RecordInstalledAsync(chat, cancellationToken);
        Log.Opened(logger, conversationId);
        return chat;
    }

    /// <summary>Queues the activities for the 1:1 chat, once per inbound activity (Teams may redeliver it); returns how many.</summary>
    public async Task<int> DeliverAsync(TurnContext turn, Installation chat, IReadOnlyList<Activity> activities, CancellationToken cancellationToken)
    {
        var occasion = turn.Activity.Id is { Length: > 0 } id ? id : Guid.NewGuid().ToString("N");
        for (var i = 0; i < activities.Count; i++)
        {
            await outbox.EnqueueAsync(Outbox.Message(
                $"{Kind}:{chat.ConversationId}:{occasion}:{i}", Kind, chat.ServiceUrl, chat.ConversationId, chat.TenantId, activities[i]), cancellationToken);
        }

        return activities.Count;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "Opened a 1:1 chat {ConversationId} for an answer asked for elsewhere")]
        public static partial void Opened(ILogger logger, string conversationId);

        [LoggerMessage(EventId = 6202, Level = LogLevel.Warning, Message = "Could not open a 1:1 chat for an answer asked for elsewhere: {Outcome}")]
        public static partial void NotOpened(ILogger logger, string outcome);
    }
}
