using ValueBot.Teams.Cards;
using ValueBot.Teams.Routing;
using ValueBot.Teams.Schema;

namespace ValueBot.Web.Installations;

/// <summary>
/// Tracks where ValueBot is installed (personal chats and teams), keeps each serviceUrl fresh, welcomes new
/// installations once, and answers <c>help</c>.
/// </summary>
public sealed class InstallationRoutes : IBotRoutes
{
    /// <summary>The outbox kind of a welcome card.</summary>
    public const string WelcomeKind = "welcome";

    private BotRouter? _router;

    public void Map(BotRouter router)
    {
        _router = router;
        router.OnEveryActivity(RefreshServiceUrlAsync);
        router.OnConversationUpdate(OnConversationUpdateAsync);
        router.OnInstallationUpdate(OnInstallationUpdateAsync);
        router.OnCommand("help", "List what ValueBot can do", (turn, ct) => turn.SendCardAsync(WelcomeCard.Help(Commands), ct));
        router.OnVerb(WelcomeCard.ShowCommandsVerb, (_, _, _) => Task.FromResult(CardActionResult.Card(WelcomeCard.Help(Commands))));
        router.OnUnknownText((turn, ct) => turn.SendTextAsync(
            $"Sorry, I don't know \"{CardText.Escape(Shorten(turn.Activity.GetTextWithoutMentions()))}\". Type **help** to see what I can do.", ct));
    }

    private IReadOnlyList<BotCommand> Commands => _router?.Commands ?? [];

    private static async Task RefreshServiceUrlAsync(TurnContext turn, CancellationToken ct)
    {
        var key = ConversationKey(turn.Activity);
        if (key is not null && !string.IsNullOrEmpty(turn.Activity.ServiceUrl))
        {
            await turn.Services.GetRequiredService<InstallationStore>().RefreshServiceUrlAsync(key, turn.Activity.ServiceUrl, ct);
        }
    }

    private async Task OnConversationUpdateAsync(TurnContext turn, CancellationToken ct)
    {
        var activity = turn.Activity;
        var botId = activity.Recipient?.Id;
        if (activity.MembersAdded?.Any(m => m.Id == botId) == true)
        {
            await InstalledAsync(turn, ct);
        }
        else if (activity.MembersRemoved?.Any(m => m.Id == botId) == true)
        {
            await RemovedAsync(turn, ct);
        }
    }

    private Task OnInstallationUpdateAsync(TurnContext turn, CancellationToken ct) => turn.Activity.Action switch
    {
        InstallationActions.Add or InstallationActions.AddUpgrade => InstalledAsync(turn, ct),
        InstallationActions.Remove => RemovedAsync(turn, ct),
        _ => Task.CompletedTask,
    };

    private async Task InstalledAsync(TurnContext turn, CancellationToken ct)
    {
        var installation = FromActivity(turn.Activity);
        if (installation is null)
        {
            return;
        }

        var isNew = await turn.Services.GetRequiredService<InstallationStore>().RecordInstalledAsync(installation, ct);
        if (isNew)
        {
            var card = installation.Scope == ConversationTypes.Personal
                ? WelcomeCard.ForPersonalChat(installation.UserName, Commands)
                : WelcomeCard.ForTeam(installation.TeamName, Commands);
            // Through the outbox, not inside the turn: during an install burst Teams throttles, and a throttled welcome
            // must wait its turn rather than be lost. Keyed per conversation, so it is sent once.
            // Keyed by the install activity, so Teams redelivering it sends one welcome and a later reinstall another.
            var conversationId = turn.Activity.Conversation?.Id ?? installation.ConversationId;
            var occasion = turn.Activity.Id ?? installation.InstalledAt.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await turn.Services.GetRequiredService<Delivery.Outbox>().EnqueueAsync(Delivery.Outbox.Message(
                $"welcome:{conversationId}:{occasion}", WelcomeKind, installation.ServiceUrl, conversationId, installation.TenantId,
                Activity.CreateCardMessage(card)), ct);
        }
    }

    private static async Task RemovedAsync(TurnContext turn, CancellationToken ct)
    {
        var key = ConversationKey(turn.Activity);
        if (key is not null)
        {
            await turn.Services.GetRequiredService<InstallationStore>().RecordRemovedAsync(key, ct);
        }
    }

    /// <summary>A team installation is keyed by the team id (Teams sends team events on the team's id), others by conversation id.</summary>
    internal static string? ConversationKey(Activity activity) =>
        activity.ChannelData?.Team?.Id ?? activity.Conversation?.Id;

    internal static Installation? FromActivity(Activity activity)
    {
        var key = ConversationKey(activity);
        if (key is null || string.IsNullOrEmpty(activity.ServiceUrl))
        {
            return null;
        }

        var tenantId = activity.Conversation?.TenantId ?? activity.ChannelData?.Tenant?.Id;
        var team = activity.ChannelData?.Team;
        if (team?.Id is not null)
        {
            return new Installation
            {
                ConversationId = key,
                Scope = "team",
                ServiceUrl = activity.ServiceUrl,
                TenantId = tenantId,
                TeamId = team.Id,
                TeamName = team.Name,
                ChannelId = activity.ChannelData?.Settings?.SelectedChannel?.Id ?? activity.ChannelData?.Channel?.Id ?? activity.Conversation?.Id,
            };
        }

        var botId = activity.Recipient?.Id;
        var user = activity.MembersAdded?.FirstOrDefault(m => m.Id != botId && m.Id is not null) ?? activity.From;
        var isPersonal = activity.Conversation?.ConversationType is null or ConversationTypes.Personal;
        return new Installation
        {
            ConversationId = key,
            Scope = isPersonal ? ConversationTypes.Personal : activity.Conversation!.ConversationType!,
            ServiceUrl = activity.ServiceUrl,
            TenantId = tenantId,
            UserId = isPersonal ? user?.Id : null,
            AadObjectId = isPersonal ? user?.AadObjectId : null,
            UserName = isPersonal ? user?.Name : null,
        };
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
