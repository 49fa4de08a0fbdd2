using Microsoft.Extensions.Options;
using ValueBot.Domain.Digests;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Cards;
using ValueBot.Teams.Schema;
using ValueBot.Web.Delivery;
using ValueBot.Web.People;
using ValueBot.Web.Installations;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Digests;

/// <summary>What one publication queued. "Already" counts messages an earlier call had queued (nothing sent twice).</summary>
public sealed record DigestPublication(
    int ManagerDigestsQueued,
    int ManagerDigestsAlready,
    int ManagersWithoutChat,
    bool ChannelChosen,
    int ChannelPostsQueued,
    int ChannelPostsAlready);

/// <summary>
/// Publishes the digests through the durable outbox. Every method is idempotent: each message has a dedupe key
/// (<c>digest:manager:{aadObjectId}:{week}</c>, <c>digest:leadership:{week}</c>, <c>win:{useCaseId}:{week}</c>,
/// <c>review:monthly:{yyyy-MM}</c>, <c>review:quarterly:{week}</c>), so calling again sends nothing twice.
/// The scheduler calls these; they can also be called by hand.
/// </summary>
public sealed partial class DigestPublisher(
    DigestStore store,
    InstallationStore installations,
    Outbox outbox,
    UseCaseRegistry registry,
    KnownPeople people,
    GraphPeopleDirectory directory,
    AdoptionConfirmations confirmations,
    IOptions<DigestOptions> options,
    ILogger<DigestPublisher> logger)
{
    public static string ManagerKey(string managerAadObjectId, IsoWeek week) => $"digest:manager:{managerAadObjectId}:{week}";

    public static string LeadershipKey(IsoWeek week) => $"digest:leadership:{week}";

    public static string WinKey(Guid useCaseId, IsoWeek week) => $"win:{useCaseId:D}:{week}";

    /// <summary>
    /// Friday 15:00: every manager's 1:1 digest, the leadership digest, and the wins owners flagged for leadership as
    /// posts of their own (the ones the digest shows, at most <see cref="DigestCards.MaxWins"/>).
    /// </summary>
    public async Task<DigestPublication> PublishWeeklyAsync(IsoWeek week, CancellationToken cancellationToken)
    {
        var snapshot = await store.LoadAsync(week, cancellationToken);
        var managers = await ManagersAsync(snapshot, cancellationToken);
        var lines = DigestComposer.Lines(snapshot.UseCases, week, registry.OrganisationPolicy);
        var chats = await installations.PersonalByUserAsync(cancellationToken);
        // The month's manager confirmation, for every report's use case at once.
        var adoption = await confirmations.ForAsync(lines.Where(l => l.UseCase.Owner is { } o && managers.ContainsKey(o.AadObjectId)), week, cancellationToken);

        int queued = 0, already = 0, withoutChat = 0;
        foreach (var group in lines.Where(l => l.UseCase.Owner is { } o && managers.ContainsKey(o.AadObjectId))
                     .GroupBy(l => managers[l.UseCase.Owner!.AadObjectId], StringComparer.Ordinal))
        {
            var digest = DigestComposer.ForManager(snapshot.Ref(group.Key), group, week);
            if (digest.UseCases.Count == 0)
            {
                continue;
            }

            if (!chats.TryGetValue(group.Key, out var chat))
            {
                withoutChat++;
                Log.ManagerWithoutChat(logger, group.Key, week.ToString());
                continue;
            }

            var card = DigestCards.Manager(digest, options.Value, adoption);
            var result = await outbox.EnqueueAsync(
                Outbox.Message(ManagerKey(group.Key, week), "digest", chat.ServiceUrl, chat.ConversationId, chat.TenantId, Activity.CreateCardMessage(card)),
                cancellationToken);
            if (result == EnqueueResult.Queued)
            {
                queued++;
            }
            else
            {
                already++;
            }
        }

        var channel = await store.ChannelAsync(cancellationToken);
        int posts = 0, postsAlready = 0;
        if (channel is null)
        {
            Log.NoChannel(logger, week.ToString());
        }
        else
        {
            var stopped = await store.StoppedDuringAsync(week, cancellationToken);
            var leadership = DigestComposer.ForLeadership(lines, week, stopped);
            Count(await PostAsync(channel, LeadershipKey(week), "digest", DigestCards.Leadership(leadership, options.Value), cancellationToken), ref posts, ref postsAlready);
            // The wins the digest shows get a post of their own; a flood of posts would bury the channel, so the
            // rest stay in the digest's count and a leader or manager can still share any of them from a card.
            foreach (var win in leadership.Wins.Take(DigestCards.MaxWins))
            {
                var line = lines.First(l => l.Id == win.UseCase.Id);
                Count(await PostAsync(channel, WinKey(win.UseCase.Id, week), "win", DigestCards.Win(win, line.Evaluation), cancellationToken), ref posts, ref postsAlready);
            }
        }

        Log.Published(logger, week.ToString(), queued, already, withoutChat, posts, postsAlready);
        return new DigestPublication(queued, already, withoutChat, channel is not null, posts, postsAlready);
    }

    /// <summary>First Monday of the month: the financial review of the month before, in the digest channel.</summary>
    public async Task<DigestPublication> PublishMonthlyReviewAsync(DateOnly firstMonday, CancellationToken cancellationToken)
    {
        var reviewed = new DateOnly(firstMonday.Year, firstMonday.Month, 1).AddMonths(-1);
        var snapshot = await store.LoadAsync(IsoWeek.FromDate(firstMonday).Previous(), cancellationToken);
        var review = DigestComposer.Monthly(snapshot.UseCases, reviewed, registry.OrganisationPolicy);
        return await PostReviewAsync($"review:monthly:{reviewed:yyyy-MM}", DigestCards.Monthly(review, options.Value), cancellationToken);
    }

    /// <summary>First week of the quarter: every use case with its recommendation, as of the week before.</summary>
    public async Task<DigestPublication> PublishQuarterlyReviewAsync(IsoWeek week, CancellationToken cancellationToken)
    {
        var card = await QuarterlyReviewCardAsync(week.Previous(), cancellationToken);
        return await PostReviewAsync($"review:quarterly:{week}", card, cancellationToken);
    }

    /// <summary>
    /// The quarterly review card as of <paramref name="asOf"/>, with the decisions recorded from it since (shown in place
    /// of the inputs) and those of the quarter before with the figures since: what is posted, previewed, and what a
    /// recorded decision updates the card to.
    /// </summary>
    public async Task<AdaptiveCard> QuarterlyReviewCardAsync(IsoWeek asOf, CancellationToken cancellationToken)
    {
        var snapshot = await store.LoadAsync(asOf, cancellationToken);
        var lines = DigestComposer.Lines(snapshot.UseCases, asOf, registry.OrganisationPolicy);
        var decisions = await store.DecisionsSinceAsync(asOf.AddWeeks(-DigestStore.HistoryWeeks), cancellationToken);
        return DigestCards.Quarterly(DigestComposer.Quarterly(lines, asOf, snapshot.UseCases, decisions, registry.OrganisationPolicy), options.Value);
    }

    /// <summary>Posts one win to the digest channel as its own card; null when no channel is chosen.</summary>
    public async Task<EnqueueResult?> ShareWinAsync(DigestWin win, ValueBot.Domain.Evaluation.UseCaseEvaluation? evaluation, CancellationToken cancellationToken)
    {
        var channel = await store.ChannelAsync(cancellationToken);
        return channel is null ? null : await PostAsync(channel, WinKey(win.UseCase.Id, win.Week), "win", DigestCards.Win(win, evaluation), cancellationToken);
    }

    /// <summary>
    /// Managers by owner: the registry's <c>people.manager_aad_object_id</c> first; owners without one are looked up
    /// in Graph (when configured) and the answer is remembered for next time.
    /// </summary>
    private async Task<Dictionary<string, string>> ManagersAsync(PortfolioSnapshot snapshot, CancellationToken cancellationToken)
    {
        var managers = new Dictionary<string, string>(StringComparer.Ordinal);
        var owners = snapshot.UseCases.Where(u => !u.UseCase.Retired).Select(u => u.UseCase.Owner).OfType<PersonRef>()
            .Select(o => o.AadObjectId).Distinct(StringComparer.Ordinal);
        foreach (var owner in owners)
        {
            if (snapshot.ManagerOf(owner) is { } known)
            {
                managers[owner] = known;
                continue;
            }

            var lookup = await directory.FindAsync(owner, cancellationToken);
            if (lookup is DirectoryLookup.NotConfigured)
            {
                // Graph is off: the registry is the only source, for every remaining owner.
                foreach (var rest in owners.Where(o => snapshot.ManagerOf(o) is not null))
                {
                    managers[rest] = snapshot.ManagerOf(rest)!;
                }

                break;
            }

            if (lookup is DirectoryLookup.Found { Person.Manager: { IsUser: true } manager } found)
            {
                managers[owner] = manager.ObjectId;
                await people.RememberAsync(new Person
                {
                    AadObjectId = owner,
                    DisplayName = snapshot.People.TryGetValue(owner, out var p) ? p.DisplayName : found.Person.DisplayName ?? owner,
                    UserPrincipalName = found.Person.UserPrincipalName,
                    Mail = found.Person.Mail,
                    ManagerAadObjectId = manager.ObjectId,
                    HasLeft = found.Person.AccountEnabled == false,
                }, cancellationToken);
                if (!snapshot.People.ContainsKey(manager.ObjectId))
                {
                    await people.RememberAsync(new Person
                    {
                        AadObjectId = manager.ObjectId,
                        DisplayName = manager.DisplayName ?? manager.ObjectId,
                        UserPrincipalName = manager.UserPrincipalName,
                        Mail = manager.Mail,
                    }, cancellationToken);
                }
            }
        }

        return managers;
    }

    private async Task<DigestPublication> PostReviewAsync(string key, AdaptiveCard card, CancellationToken cancellationToken)
    {
        var channel = await store.ChannelAsync(cancellationToken);
        if (channel is null)
        {
            Log.NoChannel(logger, key);
            return new DigestPublication(0, 0, 0, false, 0, 0);
        }

        var result = await PostAsync(channel, key, "review", card, cancellationToken);
        return new DigestPublication(0, 0, 0, true, result == EnqueueResult.Queued ? 1 : 0, result == EnqueueResult.AlreadyQueued ? 1 : 0);
    }

    private Task<EnqueueResult> PostAsync(DigestChannel channel, string key, string kind, AdaptiveCard card, CancellationToken cancellationToken) =>
        outbox.EnqueueAsync(Outbox.Message(key, kind, channel.ServiceUrl, channel.ChannelId, channel.TenantId, Activity.CreateCardMessage(card)), cancellationToken);

    private static void Count(EnqueueResult result, ref int queued, ref int already)
    {
        if (result == EnqueueResult.Queued)
        {
            queued++;
        }
        else
        {
            already++;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Digests for {Week}: {Queued} manager digests queued ({Already} already), {WithoutChat} managers without a chat with ValueBot, {Posts} channel posts queued ({PostsAlready} already)")]
        public static partial void Published(ILogger logger, string week, int queued, int already, int withoutChat, int posts, int postsAlready);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "No digest channel is chosen, so nothing was posted for {What}; an admin types \"post digests here\" in a team channel")]
        public static partial void NoChannel(ILogger logger, string what);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Manager {Manager} has no chat with ValueBot; no digest for {Week}")]
        public static partial void ManagerWithoutChat(ILogger logger, string manager, string week);
    }
}
