using ValueBot.Teams.Routing;
using ValueBot.Teams.Schema;
using ValueBot.Web.Delivery;

namespace ValueBot.Web.Installations;

/// <summary>The 1:1 chats of the people who write to ValueBot elsewhere: found among the installations, or opened.</summary>
public sealed partial class PersonalChats(InstallationStore installations, Outbox outbox, ILogger<PersonalChats> logger)
{
    /// <summary>The outbox kind of an answer moved to the 1:1 chat.</summary>
    public const string Kind = "personal-answer";

    /// <summary>
    /// The caller's 1:1 chat: the stored one, else one opened with the Connector's create-conversation call
    /// (docs/protocol.md §3.3) on the activity's serviceUrl and stored as a personal installation. Null when the caller is
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

    /// <summary>
    /// Queues <paramref name="activities"/> for the caller's 1:1 chat (opening it if needed), whatever the turn's
    /// conversation; false when there is no such chat and none could be opened (nothing is sent then).
    /// </summary>
    public async Task<bool> SendToPersonalChatAsync(TurnContext turn, IReadOnlyList<Activity> activities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (await FindOrOpenAsync(turn, cancellationToken) is not { } chat)
        {
            return false;
        }

        await DeliverAsync(turn, chat, activities, cancellationToken);
        return true;
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
