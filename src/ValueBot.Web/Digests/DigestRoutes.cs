using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.Digests;
using ValueBot.Domain.Periods;
using ValueBot.Domain.StageGates;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Cards;
using ValueBot.Teams.Routing;
using ValueBot.Teams.Schema;
using ValueBot.Web.AdminCards;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Delivery;
using ValueBot.Web.Installations;
using ValueBot.Web.Persistence;
using ValueBot.Web.UseCases;
using Microsoft.Extensions.Options;

namespace ValueBot.Web.Digests;

/// <summary>
/// The digest commands (<c>digest</c>, <c>wins</c>, <c>post digests here</c>) and the digest cards' actions (nudge an
/// owner, share a win, open a use case's details, record a stage-gate decision).
/// </summary>
public sealed class DigestRoutes(
    UseCaseRegistry registry, DigestStore store, IOptions<DigestOptions> digestOptions, TeamsAdmins admins, CheckInStore checkIns,
    InstallationStore installations, Outbox outbox, DigestPublisher publisher, PersonalChats chats, ValueBotDbContext db,
    AdoptionConfirmations confirmations) : IBotRoutes
{
    public static void Map(BotRouter router)
    {
        router.OnCommand<DigestRoutes>("digest", "Preview the digest of this week: for your team as a manager, for the portfolio as an admin or in the digest channel", r => r.DigestAsync);
        router.OnCommand("wins", "Recent wins from the AI use cases", PersonalAnswers.Command<DigestRoutes>(r => r.WinsAsync));
        router.OnCommand<DigestRoutes>("post digests here", "Admins, in a team channel: post the leadership digest and shared wins here", r => r.PostDigestsHereAsync);
        router.OnVerb<DigestRoutes>(DigestCards.NudgeVerb, r => r.NudgeAsync);
        router.OnVerb<DigestRoutes>(DigestCards.ShareWinVerb, r => r.ShareWinAsync);
        router.OnVerb(DigestCards.DetailsVerb, PersonalAnswers.Verb<DigestRoutes>(r => r.DetailsAsync));
        router.OnVerb<DigestRoutes>(DigestCards.DecideVerb, r => r.DecideAsync);
    }

    /// <summary>
    /// <c>digest</c> as DOMAIN.md "Who sees what" has it: a manager's digest only in the manager's 1:1 chat; the
    /// leadership digest for admins in their 1:1 chat and for everyone in the channel an admin chose, and nowhere
    /// else — typed in another channel or group chat, the answer says where it is posted.
    /// </summary>
    public async Task DigestAsync(TurnContext turn, CancellationToken ct)
    {
        var options = digestOptions.Value;
        var week = registry.CurrentWeek;
        var snapshot = await store.LoadAsync(week, ct);
        var lines = DigestComposer.Lines(snapshot.UseCases, week, registry.OrganisationPolicy);
        var caller = Caller(turn);
        List<DigestLine> mine = caller is null ? [] : lines.Where(l => snapshot.ManagerOf(l.UseCase.Owner?.AadObjectId) == caller).ToList();
        var forCaller = new List<Activity>();
        if (mine.Count > 0)
        {
            var adoption = await confirmations.ForAsync(mine, week, ct);
            forCaller.Add(Activity.CreateCardMessage(DigestCards.Manager(DigestComposer.ForManager(snapshot.Ref(caller!), mine, week), options, adoption)));
        }

        var channel = await store.ChannelAsync(ct);
        var inDigestChannel = IsDigestChannel(turn.Activity, channel);
        var admin = await IsAdminAsync(turn, ct);
        if (admin && !inDigestChannel)
        {
            forCaller.Add(Activity.CreateCardMessage(await LeadershipCardAsync(lines, week, options, ct)));
        }

        if (PersonalAnswers.IsPersonal(turn.Activity))
        {
            foreach (var card in forCaller)
            {
                await turn.SendAsync(card, ct);
            }

            if (forCaller.Count == 0)
            {
                await turn.SendTextAsync("None of your reports owns a use case, so there is no manager digest for you. The portfolio digest is posted in the leadership channel (and an admin can preview it here).", ct);
            }

            return;
        }

        var said = new List<string>();
        if (forCaller.Count > 0)
        {
            said.Add(await chats.SendToPersonalChatAsync(turn, forCaller, ct) ? PersonalAnswers.SentPrivately : PersonalAnswers.NoPersonalChat);
        }

        if (inDigestChannel)
        {
            await turn.SendCardAsync(await LeadershipCardAsync(lines, week, options, ct), ct);
        }
        else
        {
            said.Add(channel is null
                ? "The leadership digest is posted each week in the team channel an admin chooses (with \"post digests here\"); none is chosen yet, and it is not posted here."
                : $"The leadership digest is posted each week in the channel an admin chose{(channel.TeamName is { Length: > 0 } team ? $" in {CardText.Escape(team)}" : "")}, for its members; it is not posted here.");
        }

        if (said.Count > 0)
        {
            await turn.SendTextAsync(string.Join(" ", said), ct);
        }
    }

    private async Task<AdaptiveCard> LeadershipCardAsync(IReadOnlyList<DigestLine> lines, IsoWeek week, DigestOptions options, CancellationToken ct)
    {
        var stopped = await store.StoppedDuringAsync(week, ct);
        return DigestCards.Leadership(DigestComposer.ForLeadership(lines, week, stopped), options);
    }

    /// <summary>Whether the activity comes from the channel an admin chose for the leadership digest (or a thread of it).</summary>
    private static bool IsDigestChannel(Activity activity, DigestChannel? channel) =>
        channel is not null
        && activity.ChannelData?.Team?.Id == channel.TeamId
        && (activity.ChannelData?.Channel?.Id ?? ChannelOf(activity.Conversation?.Id)) == channel.ChannelId;

    public async Task WinsAsync(TurnContext turn, CancellationToken ct)
    {
        var week = registry.CurrentWeek;
        var snapshot = await store.LoadAsync(week, ct);
        var caller = Caller(turn);
        var admin = await IsAdminAsync(turn, ct);
        // Shared wins are for everyone; the others only for their owner, the owner's manager and admins.
        var wins = DigestComposer.RecentWins(snapshot.UseCases, week.AddWeeks(-3), week, (useCase, answer) =>
            answer.ShareWinWithLeadership || admin
            || (caller is not null && (useCase.Owner?.AadObjectId == caller || snapshot.ManagerOf(useCase.Owner?.AadObjectId) == caller)),
            registry.OrganisationPolicy.Evidence);
        var options = digestOptions.Value;
        await turn.SendCardAsync(DigestCards.Wins(wins, $"Wins of the last four weeks ({week.AddWeeks(-3)} to {week})", options), ct);
    }

    public async Task PostDigestsHereAsync(TurnContext turn, CancellationToken ct)
    {
        var activity = turn.Activity;
        var team = activity.ChannelData?.Team;
        if (team?.Id is null)
        {
            await turn.SendTextAsync("Type \"post digests here\" in the team channel where the leadership digest should appear (with @ValueBot); it does not work in a 1:1 or group chat.", ct);
            return;
        }

        if (!await IsAdminAsync(turn, ct))
        {
            await turn.SendTextAsync("Only ValueBot admins can choose the digest channel; nothing changed. Ask an admin to add you to Admin:TeamsAdmins.", ct);
            return;
        }

        var channelId = activity.ChannelData?.Channel?.Id ?? ChannelOf(activity.Conversation?.Id);
        if (string.IsNullOrEmpty(channelId) || string.IsNullOrEmpty(activity.ServiceUrl))
        {
            await turn.SendTextAsync("I could not tell which channel this is; nothing changed.", ct);
            return;
        }

        await store.SetChannelAsync(new DigestChannel
        {
            TenantId = activity.Conversation?.TenantId ?? activity.ChannelData?.Tenant?.Id,
            TeamId = team.Id,
            TeamName = team.Name,
            ChannelId = channelId,
            ServiceUrl = activity.ServiceUrl,
            SetBy = $"{activity.From?.Name ?? "admin"} ({activity.From?.AadObjectId})",
        }, ct);
        await turn.SendTextAsync($"Done: the leadership digest (Fridays), shared wins and the monthly and quarterly reviews will be posted in this channel{(team.Name is { Length: > 0 } n ? $" of {n}" : "")}.", ct);
    }

    public async Task<CardActionResult> NudgeAsync(TurnContext turn, CardActionData action, CancellationToken ct)
    {
        var (target, refusal) = await ResolveAsync(turn, action, ct);
        if (target is not { } t)
        {
            return refusal!;
        }

        var caller = Caller(turn)!;
        var owner = t.UseCase.Owner;
        if (owner is null)
        {
            return CardActionResult.Message($"{t.UseCase.Name} has no owner to nudge. An admin can name one.");
        }

        if (!await MayActAsync(turn, t.UseCase, Role.Manager, ct))
        {
            return CardActionResult.Message($"Only {owner.DisplayName}'s manager (or an admin) can nudge them. Nothing was sent.");
        }

        if (await checkIns.FindAsync(t.UseCase.Id, t.Week, ct) is { Status: ValueBot.Domain.CheckIns.CheckInStatus.Answered or ValueBot.Domain.CheckIns.CheckInStatus.Skipped } row)
        {
            return CardActionResult.Message($"{owner.DisplayName} has already {(row.Status == ValueBot.Domain.CheckIns.CheckInStatus.Answered ? "answered" : "skipped")} {t.UseCase.Name} for {t.Week}; no nudge needed.");
        }

        var chat = await installations.FindPersonalAsync(owner.AadObjectId, ct);
        if (chat is null)
        {
            return CardActionResult.Message($"{owner.DisplayName} has no chat with ValueBot yet, so I cannot nudge them. Nothing was sent.");
        }

        var previous = await checkIns.PreviousAnswerAsync(t.UseCase.Id, t.Week, ct);
        var card = CheckInCard.Build(t.UseCase, t.Week, previous);
        var result = await outbox.EnqueueAsync(
            Outbox.Message($"nudge:{t.UseCase.Id:D}:{t.Week}:{caller}", "nudge", chat.ServiceUrl, chat.ConversationId, chat.TenantId,
                Activity.CreateCardMessage(card)), ct);
        return CardActionResult.Message(result == EnqueueResult.Queued
            ? $"Nudged {owner.DisplayName}: they get the {t.UseCase.Name} check-in for {t.Week} again."
            : $"You already nudged {owner.DisplayName} about {t.UseCase.Name} for {t.Week}; I don't send it twice.");
    }

    public async Task<CardActionResult> ShareWinAsync(TurnContext turn, CardActionData action, CancellationToken ct)
    {
        var (target, refusal) = await ResolveAsync(turn, action, ct);
        if (target is not { } t)
        {
            return refusal!;
        }

        if (!await MayActAsync(turn, t.UseCase, Role.Owner | Role.Manager, ct))
        {
            return CardActionResult.Message("Only the owner, the owner's manager or an admin can share this win. Nothing was posted.");
        }

        var row = await checkIns.FindAsync(t.UseCase.Id, t.Week, ct);
        var answer = row?.Status == ValueBot.Domain.CheckIns.CheckInStatus.Answered ? AnswerJson.TryDeserialize(row.AnswerJson) : null;
        if (answer?.Win is not { Length: > 0 } story)
        {
            return CardActionResult.Message($"{t.UseCase.Name} has no win for {t.Week} to share.");
        }

        var evaluation = await registry.EvaluateAsync(t.UseCase.Id, t.Week, ct);
        var win = new DigestWin(t.UseCase, t.Week, story.Trim(), true, ValueBot.Domain.Metrics.WeeklyMetrics.Compute(t.UseCase, t.Week, answer, registry.OrganisationPolicy.Evidence));
        var result = await publisher.ShareWinAsync(win, evaluation, ct);
        return CardActionResult.Message(result switch
        {
            null => "No digest channel is chosen yet, so the win was not posted. An admin types \"post digests here\" in the leadership channel.",
            EnqueueResult.Queued => $"Shared: the {t.UseCase.Name} win is posted in the leadership channel.",
            _ => $"The {t.UseCase.Name} win for {t.Week} is already shared.",
        });
    }

    public async Task<CardActionResult> DetailsAsync(TurnContext turn, CardActionData action, CancellationToken ct)
    {
        var (target, refusal) = await ResolveAsync(turn, action, ct);
        if (target is not { } t)
        {
            return refusal!;
        }

        if (!await MayActAsync(turn, t.UseCase, Role.Owner | Role.Manager | Role.Sponsor, ct))
        {
            return CardActionResult.Message("Only the owner, their manager, the sponsor or an admin can open this use case's details.");
        }

        var evaluation = await registry.EvaluateAsync(t.UseCase.Id, t.Week, ct);
        // Sent as a new message so the digest card stays as it is.
        var sent = await turn.SendCardAsync(DigestCards.Details(t.UseCase, evaluation!), ct);
        return CardActionResult.Message(sent.IsSuccess || sent.Queued ? $"Details of {t.UseCase.Name} are below." : $"I could not send the details of {t.UseCase.Name}; please try again.");
    }

    public async Task<CardActionResult> DecideAsync(TurnContext turn, CardActionData action, CancellationToken ct)
    {
        var (target, refusal) = await ResolveAsync(turn, action, ct);
        if (target is not { } t)
        {
            return refusal!;
        }

        if (!await MayActAsync(turn, t.UseCase, Role.Sponsor, ct))
        {
            return CardActionResult.Message($"Only the sponsor of {t.UseCase.Name} or an admin can record its stage-gate decision. Nothing was recorded.");
        }

        var decision = action.GetString(DigestCards.DecisionInput(t.UseCase.Id))?.Trim();
        if (!Enum.TryParse<Recommendation>(decision, ignoreCase: true, out var outcome) || int.TryParse(decision, out _))
        {
            return CardActionResult.Message("Choose scale, redesign, hold or stop. Nothing was recorded.");
        }

        var reason = action.GetString(DigestCards.ReasonInput(t.UseCase.Id))?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            return CardActionResult.Message($"Give the reason for {UseCaseRegistry.Name(outcome)} on {t.UseCase.Name}. Nothing was recorded.");
        }

        if (reason.Length > DigestCards.DecisionReasonMaxLength)
        {
            return CardActionResult.Message($"The reason is longer than {DigestCards.DecisionReasonMaxLength} characters. Nothing was recorded.");
        }

        var from = turn.Activity.From;
        var recorded = await registry.RecordDecisionAsync(
            t.UseCase.Id, outcome, reason, $"{from?.Name ?? "leader"} ({from?.AadObjectId})", ct);
        if (recorded is null)
        {
            return CardActionResult.Message("This use case no longer exists. Nothing was recorded.");
        }

        // The review card is updated in place: the decision, who took it and why, where its inputs were.
        return CardActionResult.Card(await publisher.QuarterlyReviewCardAsync(t.Week, ct));
    }

    private async Task<((UseCase UseCase, IsoWeek Week)? Target, CardActionResult? Refusal)> ResolveAsync(
        TurnContext turn, CardActionData action, CancellationToken ct)
    {
        if (!Guid.TryParse(action.GetString(DigestCards.UseCaseIdKey), out var id)
            || !IsoWeek.TryParse(action.GetString(DigestCards.WeekKey), out var week))
        {
            return (null, CardActionResult.Error(400, "BadRequest", "This card does not name a use case and week."));
        }

        if (Caller(turn) is null)
        {
            return (null, CardActionResult.Error(400, "BadRequest", "The action does not say who clicked it."));
        }

        var stored = await registry.GetAsync(id, ct);
        if (stored is null || stored.UseCase.Retired)
        {
            return (null, CardActionResult.Message("This use case is no longer measured."));
        }

        return ((stored.UseCase, week), null);
    }

    /// <summary>Who besides admins may act on a use case from a digest card.</summary>
    [Flags]
    private enum Role
    {
        Owner = 1,
        Manager = 2,
        Sponsor = 4,
    }

    /// <summary>Whether the caller is an admin or holds one of <paramref name="roles"/> for the use case (the owner's manager as the registry knows it).</summary>
    private async Task<bool> MayActAsync(TurnContext turn, UseCase useCase, Role roles, CancellationToken ct)
    {
        var caller = Caller(turn);
        var owner = useCase.Owner?.AadObjectId;
        if (caller is null)
        {
            return false;
        }

        if ((roles.HasFlag(Role.Owner) && owner == caller) || (roles.HasFlag(Role.Sponsor) && useCase.Sponsor?.AadObjectId == caller))
        {
            return true;
        }

        return await IsAdminAsync(turn, ct)
            || (roles.HasFlag(Role.Manager) && owner is not null && await ManagerOfAsync(owner, ct) == caller);
    }

    private async Task<string?> ManagerOfAsync(string aadObjectId, CancellationToken ct)
    {
        return await db.Set<Person>().AsNoTracking().Where(p => p.AadObjectId == aadObjectId).Select(p => p.ManagerAadObjectId).FirstOrDefaultAsync(ct);
    }

    /// <summary>A channel thread's conversation id is <c>channel;messageid=…</c>; the channel is the part before it.</summary>
    internal static string? ChannelOf(string? conversationId) =>
        conversationId?.Split(';', 2)[0] is { Length: > 0 } channel ? channel : null;

    private Task<bool> IsAdminAsync(TurnContext turn, CancellationToken ct) =>
        admins.IsAdminAsync(turn.Activity.From?.AadObjectId, ct);

    private static string? Caller(TurnContext turn) => turn.Activity.From?.AadObjectId is { Length: > 0 } id ? id : null;
}
