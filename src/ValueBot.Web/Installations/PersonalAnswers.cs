using ValueBot.Teams.Routing;
using ValueBot.Teams.Schema;

namespace ValueBot.Web.Installations;

/// <summary>
/// Privacy by scope (DOMAIN.md "Who sees what"): a personal command or card action used in a channel or group chat is
/// answered in the caller's 1:1 chat with ValueBot, through the outbox, and the place it was typed gets one neutral
/// line. Wrap a handler at registration: <c>router.OnCommand("status", "…", PersonalAnswers.Command&lt;CheckInRoutes&gt;(r =&gt; r.StatusAsync))</c>.
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

    /// <summary>A command of <typeparamref name="THandler"/> whose answers belong in the caller's 1:1 chat.</summary>
    public static Func<PersonalAnswer<THandler>, BotHandler> Command<THandler>(Func<THandler, BotHandler> handler)
        where THandler : class
    {
        ArgumentNullException.ThrowIfNull(handler);
        return answer => answer.Command(handler(answer.Handler));
    }

    /// <summary>
    /// A card action of <typeparamref name="THandler"/> whose result belongs in the caller's 1:1 chat: what the handler
    /// sends and the card or message it returns go there; the clicked card stays as it is and the clicker sees
    /// <see cref="SentPrivately"/>. Error results (which carry no figures) are returned as they are.
    /// </summary>
    public static Func<PersonalAnswer<THandler>, CardActionHandler> Verb<THandler>(Func<THandler, CardActionHandler> handler)
        where THandler : class
    {
        ArgumentNullException.ThrowIfNull(handler);
        return answer => answer.Verb(handler(answer.Handler));
    }
}
