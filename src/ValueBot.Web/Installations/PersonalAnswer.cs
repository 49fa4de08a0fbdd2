using ValueBot.Teams.Connector;
using ValueBot.Teams.Routing;
using ValueBot.Teams.Schema;

namespace ValueBot.Web.Installations;

/// <summary>
/// A handler of <typeparamref name="THandler"/> with what it takes to move its answers to the caller's 1:1 chat;
/// resolved per turn like any handler class (see <see cref="PersonalAnswers"/>).
/// </summary>
public sealed class PersonalAnswer<THandler>(THandler handler, PersonalChats chats)
    where THandler : class
{
    /// <summary>The feature's handler.</summary>
    public THandler Handler => handler;

    /// <summary><paramref name="inner"/> as it runs in the 1:1 chat, and answering there when used elsewhere.</summary>
    public BotHandler Command(BotHandler inner) => async (turn, ct) =>
    {
        if (PersonalAnswers.IsPersonal(turn.Activity))
        {
            await inner(turn, ct);
            return;
        }

        var chat = await chats.FindOrOpenAsync(turn, ct);
        if (chat is null)
        {
            await turn.SendTextAsync(PersonalAnswers.NoPersonalChat, ct);
            return;
        }

        var answers = new HeldAnswers(turn.Connector);
        await inner(turn.WithConnector(answers), ct);
        if (await chats.DeliverAsync(turn, chat, answers.Activities, ct) > 0)
        {
            await turn.SendTextAsync(PersonalAnswers.SentPrivately, ct);
        }
    };

    /// <summary><paramref name="inner"/> as it runs in the 1:1 chat, and with its result moved there when clicked elsewhere.</summary>
    public CardActionHandler Verb(CardActionHandler inner) => async (turn, action, ct) =>
    {
        if (PersonalAnswers.IsPersonal(turn.Activity))
        {
            return await inner(turn, action, ct);
        }

        var chat = await chats.FindOrOpenAsync(turn, ct);
        if (chat is null)
        {
            return CardActionResult.Message(PersonalAnswers.NoPersonalChat);
        }

        var answers = new HeldAnswers(turn.Connector);
        var result = await inner(turn.WithConnector(answers), action, ct);
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
        return CardActionResult.Message(PersonalAnswers.SentPrivately);
    };
}

/// <summary>
/// Holds what a handler sends to the turn's conversation instead of sending it, so that it can go to the 1:1 chat;
/// every other Connector call goes through as it is. A held send reports success: it is queued in the outbox.
/// </summary>
file sealed class HeldAnswers(IConnectorClient inner) : IConnectorClient
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
