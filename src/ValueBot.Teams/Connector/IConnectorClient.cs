using ValueBot.Teams.Schema;

namespace ValueBot.Teams.Connector;

/// <summary>
/// The Bot Connector v3 REST API (docs/protocol.md §3). Every call takes the conversation's serviceUrl explicitly;
/// an untrusted serviceUrl is refused before a token is attached (<see cref="ConnectorStatus.Failed"/>, nothing sent).
/// </summary>
public interface IConnectorClient
{
    /// <summary><c>POST /v3/conversations/{conversationId}/activities</c>.</summary>
    Task<ConnectorResult<ResourceResponse>> SendAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken = default);

    /// <summary><c>POST /v3/conversations/{conversationId}/activities/{activityId}</c>; sets <c>replyToId</c>.</summary>
    Task<ConnectorResult<ResourceResponse>> ReplyAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /v3/conversations/{conversationId}/activities/{activityId}</c>: replaces the activity.</summary>
    Task<ConnectorResult<ResourceResponse>> UpdateAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default);

    /// <summary><c>POST /v3/conversations</c>.</summary>
    Task<ConnectorResult<ConversationResourceResponse>> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken = default);

    /// <summary>Creates (or finds) the 1:1 chat of the bot with a user (docs/protocol.md §3.3).</summary>
    /// <param name="serviceUrl">The tenant's serviceUrl.</param>
    /// <param name="tenantId">The user's tenant; sent as <c>tenantId</c> and <c>channelData.tenant.id</c>.</param>
    /// <param name="botId">The bot's id (<c>28:appId</c> or the app id).</param>
    /// <param name="userId">The user's <c>29:</c> id or Entra object id.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task<ConnectorResult<ConversationResourceResponse>> CreatePersonalConversationAsync(string serviceUrl, string tenantId, string botId, string userId, CancellationToken cancellationToken = default);

    /// <summary>Starts a new thread in a channel (docs/protocol.md §3.4); the activity may carry mention entities.</summary>
    Task<ConnectorResult<ConversationResourceResponse>> StartChannelThreadAsync(string serviceUrl, string tenantId, string channelId, Activity activity, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v3/conversations/{conversationId}/pagedmembers</c>; loop until the continuation token is null.</summary>
    Task<ConnectorResult<PagedMembersResult>> GetPagedMembersAsync(string serviceUrl, string conversationId, int? pageSize = null, string? continuationToken = null, CancellationToken cancellationToken = default);
}
