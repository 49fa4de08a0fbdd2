using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Teams.Schema;
using ValueBot.Testing;
using ValueBot.Web.Delivery;
using ValueBot.Web.Digests;
using ValueBot.Web.Installations;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Digests.DigestWorld;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Installations;

/// <summary>
/// DOMAIN.md "Who sees what", through the real /api/messages pipeline and the fake Connector: personal commands and
/// cards typed in a channel or group chat are answered in the caller's 1:1 chat, and the place they were typed gets one
/// line without figures or names; the leadership digest only in the channel an admin chose.
/// </summary>
public sealed class PrivacyByScopeTests
{
    private const string OtherChannel = "19:random@thread.tacv2";
    private const string GroupChat = "19:group-chat@thread.v2";

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task StatusCheckinAndWinsTypedInAChannelGoToTheOwnersPersonalChatAndTheChannelGetsOneLineEach(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        host.Connector.Reset();

        var thread = ChannelMessage(Grace, "status").Conversation!.Id;
        foreach (var command in new[] { "status", "checkin", "wins" })
        {
            await SendAsync(host, ChannelMessage(Grace, command));
        }

        var status = await DeliveredToAsync(host, Grace.ConversationId, "Latest answered week: 2026-W11");
        Assert.Contains("Invoice triage", status, StringComparison.Ordinal);
        Assert.Contains("720.00 EUR", status, StringComparison.Ordinal);
        await DeliveredToAsync(host, Grace.ConversationId, "Weekly check-in: Invoice triage");
        Assert.Contains(WinStory, await DeliveredToAsync(host, Grace.ConversationId, "Wins of the last four weeks"), StringComparison.Ordinal);

        var inChannel = PostsTo(host, thread);
        Assert.Equal(3, inChannel.Count);
        Assert.All(inChannel, post => AssertNeutralLine(post, PersonalAnswers.SentPrivately));
        Assert.DoesNotContain(host.Connector.Requests, r => r.Method == "POST" && r.Route is ["conversations"]); // her chat was stored
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task WithoutAStoredPersonalChatOneIsOpenedThroughTheConnectorStoredAndUsedFromThenOn(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        host.Connector.Reset();

        // Ada (an admin) has never opened a 1:1 chat with ValueBot; she types admin commands in a team channel.
        await SendAsync(host, ChannelMessage(Ada, "preview digest"));
        await SendAsync(host, ChannelMessage(Ada, "new use case"));

        var create = Assert.Single(host.Connector.Requests, r => r.Method == "POST" && r.Route is ["conversations"]);
        var parameters = create.Json!;
        Assert.False(parameters["isGroup"]!.GetValue<bool>());
        Assert.Equal(Ada.Id, parameters["members"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(BotId, parameters["bot"]!["id"]!.GetValue<string>());
        Assert.Equal(ValueBotTestHost.TenantId, parameters["tenantId"]!.GetValue<string>());
        Assert.Equal(ValueBotTestHost.TenantId, parameters["channelData"]!["tenant"]!["id"]!.GetValue<string>());

        var chat = await host.WithScopeAsync(sp => sp.GetRequiredService<InstallationStore>().FindPersonalAsync(Ada.AadObjectId, CancellationToken.None));
        Assert.NotNull(chat);
        Assert.StartsWith("a:conversation-", chat.ConversationId, StringComparison.Ordinal);
        Assert.Equal(Ada.Id, chat.UserId);
        Assert.Equal(host.ServiceUrl, chat.ServiceUrl);

        Assert.Contains("Invoice triage", await DeliveredToAsync(host, chat.ConversationId, "AI portfolio — week 2026-W11"), StringComparison.Ordinal);
        await DeliveredToAsync(host, chat.ConversationId, "Register a new AI use case");
        var inChannel = PostsTo(host, ChannelMessage(Ada, "").Conversation!.Id);
        Assert.Equal(2, inChannel.Count);
        Assert.All(inChannel, post => AssertNeutralLine(post, PersonalAnswers.SentPrivately));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task WhenTeamsRefusesToOpenAPersonalChatTheChannelGetsOnlyTheHintAndNothingIsQueued(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        host.Connector.Reset();
        var queuedBefore = await PersonalAnswersQueuedAsync(host);

        // The create-conversation call: Teams refuses, as it does when the app is not installed for Eve (docs/protocol.md §3.3).
        host.Connector.Faults = r => r.Method == "POST" && r.Route is ["conversations"]
            ? new ScriptedResponse(403, """{"error":{"code":"ForbiddenOperationException","message":"The bot is not installed for this user."}}""")
            : null;
        await SendAsync(host, InGroupChat(ChannelMessage(Eve, "status")));

        var post = Assert.Single(PostsTo(host, GroupChat));
        AssertNeutralLine(post, PersonalAnswers.NoPersonalChat);
        Assert.Null(await host.WithScopeAsync(sp => sp.GetRequiredService<InstallationStore>().FindPersonalAsync(Eve.AadObjectId, CancellationToken.None)));
        Assert.Equal(queuedBefore, await PersonalAnswersQueuedAsync(host));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task DigestIsPostedOnlyInTheChosenChannelElsewhereItSaysWhereAndTheManagerDigestGoesToTheManagerOnly(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        await SendAsync(host, ChannelMessage(Ada, "post digests here"));
        host.Connector.Reset();

        // Mia, a manager and no admin, in another channel of the team and in a group chat.
        var otherChannel = InChannel(ChannelMessage(Mia, "digest"), OtherChannel);
        await SendAsync(host, otherChannel);
        await SendAsync(host, InGroupChat(ChannelMessage(Mia, "digest")));
        // Eve, neither manager nor admin, in another channel.
        await SendAsync(host, InChannel(ChannelMessage(Eve, "digest"), OtherChannel));

        var whereItIs = "The leadership digest is posted each week in the channel an admin chose in AI Leadership, for its members; it is not posted here.";
        var managerLine = PersonalAnswers.SentPrivately + " " + whereItIs;
        var inOtherChannel = PostsTo(host, otherChannel.Conversation!.Id);
        Assert.Equal(2, inOtherChannel.Count);
        AssertNeutralLine(inOtherChannel[0], managerLine);
        AssertNeutralLine(inOtherChannel[1], whereItIs);
        AssertNeutralLine(Assert.Single(PostsTo(host, GroupChat)), managerLine);

        var managerDigest = await DeliveredToAsync(host, Mia.ConversationId, "Your team's AI use cases — week 2026-W11");
        Assert.Contains("Claims intake", managerDigest, StringComparison.Ordinal);
        Assert.Equal(2, (await PersonalAnswersAsync(host)).Count(m => m.ConversationId == Mia.ConversationId));
        Assert.DoesNotContain(await PersonalAnswersAsync(host), m => m.ConversationId != Mia.ConversationId);
        Assert.DoesNotContain(host.Connector.Requests, r => r.Method == "POST" && r.Route is ["conversations"]); // nothing opened for Eve

        // In the chosen channel every member may see the leadership digest; Mia's own digest still goes to her 1:1 chat.
        host.Connector.Reset();
        var digestChannel = ChannelMessage(Mia, "digest");
        await SendAsync(host, digestChannel);
        var posts = PostsTo(host, digestChannel.Conversation!.Id);
        Assert.Equal(2, posts.Count);
        Assert.Contains("AI portfolio — week 2026-W11", Texts(posts[0].Body), StringComparison.Ordinal);
        AssertNeutralLine(posts[1], PersonalAnswers.SentPrivately);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task OpenDetailsClickedOnACardInAChannelSendsTheDetailsToTheClickersPersonalChat(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        host.Connector.Reset();

        var click = CardAction(Mia, DigestCards.DetailsVerb, new JsonObject
        {
            [DigestCards.UseCaseIdKey] = Claims.ToString("D"),
            [DigestCards.WeekKey] = Week.ToString(),
        });
        var inChannel = ChannelMessage(Mia, "");
        click.Conversation = inChannel.Conversation;
        click.ChannelData = inChannel.ChannelData;
        var (type, value) = await ReadInvokeResponseAsync(await SendAsync(host, click));

        Assert.Equal("application/vnd.microsoft.activity.message", type);
        Assert.Equal(PersonalAnswers.SentPrivately, value.GetValue<string>());
        Assert.Empty(PostsTo(host, inChannel.Conversation!.Id));
        var details = await DeliveredToAsync(host, Mia.ConversationId, "gross 1,200.00 EUR · absorption 480.00 EUR · net (reported) 720.00 EUR");
        Assert.Contains("Stop-loss breach", details, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ACommandFromAChannelThatOmitsTheConversationTypeIsStillAnsweredInThe1To1Chat(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        host.Connector.Reset();

        var typed = ChannelMessage(Grace, "status");
        typed.Conversation!.ConversationType = null; // the channel is still named by channelData and the thread id
        await SendAsync(host, typed);

        Assert.Contains("Invoice triage", await DeliveredToAsync(host, Grace.ConversationId, "Latest answered week: 2026-W11"), StringComparison.Ordinal);
        var inChannel = PostsTo(host, typed.Conversation.Id);
        AssertNeutralLine(Assert.Single(inChannel), PersonalAnswers.SentPrivately);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task DeliveryTypedInAChannelByAnAdminIsAnsweredInTheAdminsPersonalChatNotInTheChannel(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        await SendAsync(host, PersonalInstall(Ada));
        await DeliveredToAsync(host, Ada.ConversationId, "Welcome to ValueBot");
        host.Connector.Reset();

        var typed = ChannelMessage(Ada, "delivery");
        await SendAsync(host, typed);

        await DeliveredToAsync(host, Ada.ConversationId, "Delivery of the check-ins, week 2026-W11");
        AssertNeutralLine(Assert.Single(PostsTo(host, typed.Conversation!.Id)), PersonalAnswers.SentPrivately);
    }

    /// <summary>Waits for the outbox to deliver a message to <paramref name="conversationId"/> whose texts contain <paramref name="text"/>; returns its texts.</summary>
    private static async Task<string> DeliveredToAsync(ValueBotTestHost host, string conversationId, string text)
    {
        var request = await host.Connector.WaitForRequestAsync(r =>
            r.Method == "POST" && r.Route is ["conversations", var id, "activities"] && id == conversationId
            && Texts(r.Body).Contains(text, StringComparison.Ordinal));
        return Texts(request.Body);
    }

    /// <summary>What the bot posted in a conversation (or a thread of it), in order.</summary>
    private static List<RecordedRequest> PostsTo(ValueBotTestHost host, string? conversationId) =>
        host.Connector.Requests.Where(r => r.Method is "POST" or "PUT" && r.Route.Count >= 3 && r.Route[0] == "conversations" && r.Route[1] == conversationId).ToList();

    /// <summary>A plain text message, exactly <paramref name="expected"/>: no card, no figure, no one else's name.</summary>
    private static void AssertNeutralLine(RecordedRequest post, string expected)
    {
        var activity = post.Json!;
        Assert.Equal(expected, activity["text"]?.GetValue<string>());
        Assert.True(activity["attachments"] is null || activity["attachments"]!.AsArray().Count == 0, post.Body);
        foreach (var secret in new[] { "Invoice triage", "Claims intake", "Contract review", Grace.Name, Bob.Name, "EUR", WinStory })
        {
            Assert.DoesNotContain(secret, post.Body, StringComparison.Ordinal);
        }
    }

    private static Activity InChannel(Activity activity, string channelId)
    {
        activity.Conversation!.Id = channelId + ";messageid=1700000000001";
        activity.ChannelData!.Channel = new ChannelInfo { Id = channelId };
        return activity;
    }

    private static Activity InGroupChat(Activity activity)
    {
        activity.Conversation = new ConversationAccount { Id = GroupChat, ConversationType = ConversationTypes.GroupChat, IsGroup = true, TenantId = ValueBotTestHost.TenantId };
        activity.ChannelData = new TeamsChannelData { Tenant = new TenantInfo { Id = ValueBotTestHost.TenantId } };
        return activity;
    }

    private static Task<List<OutboxMessage>> PersonalAnswersAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.Kind == PersonalChats.Kind).ToListAsync());

    private static async Task<int> PersonalAnswersQueuedAsync(ValueBotTestHost host) => (await PersonalAnswersAsync(host)).Count;
}
