using ValueBot.Teams.Cards;
using ValueBot.Teams.Routing;
using ValueBot.Teams.Schema;
using ValueBot.Web.Delivery;

namespace ValueBot.Web.Installations;

/// <summary>
/// Tracks where ValueBot is installed (personal chats and teams), keeps each serviceUrl fresh, welcomes new
/// installations once, and answers <c>help</c>.
/// </summary>
public sealed class InstallationRoutes(InstallationStore installations, Outbox outbox, BotRouter router) : IBotRoutes
{
    /// <summary>The outbox kind of a welcome card.</summary>
    public const string WelcomeKind = "welcome";

    public static void Map(BotRouter router)
    {
        router.OnEveryActivity<InstallationRoutes>(r => r.RefreshServiceUrlAsync);
        router.OnConversationUpdate<InstallationRoutes>(r => r.OnConversationUpdateAsync);
        router.OnInstallationUpdate<InstallationRoutes>(r => r.OnInstallationUpdateAsync);
        router.OnCommand<InstallationRoutes>("help", "List what ValueBot can do", r => r.HelpAsync);
        router.OnVerb<InstallationRoutes>(WelcomeCard.ShowCommandsVerb, r => r.ShowCommandsAsync);
        router.OnUnknownText((turn, ct) => turn.SendTextAsync(
            $"Sorry, I don't know \"{CardText.Escape(Shorten(turn.Activity.GetTextWithoutMentions()))}\". Type **help** to see what I can do.", ct));
    }

    private IReadOnlyList<BotCommand> Commands => router.Commands;

    public Task HelpAsync(TurnContext turn, CancellationToken ct) => turn.SendCardAsync(WelcomeCard.Help(Commands), ct);

    public Task<CardActionResult> ShowCommandsAsync(TurnContext turn, CardActionData action, CancellationToken ct) =>
        Task.FromResult(CardActionResult.Card(WelcomeCard.Help(Commands)));

    public async Task RefreshServiceUrlAsync(TurnContext turn, CancellationToken ct)
    {
        var key = ConversationKey(turn.Activity);
        if (key is not null && !string.IsNullOrEmpty(turn.Activity.ServiceUrl))
        {
            await installations.RefreshServiceUrlAsync(key, turn.Activity.ServiceUrl, ct);
        }
    }

    public async Task OnConversationUpdateAsync(TurnContext turn, CancellationToken ct)
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

    public Task OnInstallationUpdateAsync(TurnContext turn, CancellationToken ct) => turn.Activity.Action switch
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

        var isNew = await installations.RecordInstalledAsync(installation, ct);
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
            await outbox.EnqueueAsync(Outbox.Message(
                $"welcome:{conversationId}:{occasion}", WelcomeKind, installation.ServiceUrl, conversationId, installation.TenantId,
                Activity.CreateCardMessage(card)), ct);
        }
    }

    private async Task RemovedAsync(TurnContext turn, CancellationToken ct)
    {
        var key = ConversationKey(turn.Activity);
        if (key is not null)
        {
            await installations.RecordRemovedAsync(key, ct);
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
