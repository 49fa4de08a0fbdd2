using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.UseCases;
using ValueBot.Testing;
using ValueBot.Web.Delivery;
using ValueBot.Web.Digests;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Digests.DigestWorld;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Digests;

/// <summary>The digests through the real host: the channel setting, the publisher the scheduler calls, and the card actions.</summary>
public sealed class DigestPublisherTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task PostDigestsHereIsForAdminsInATeamChannelAndStoresTheChannel(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);

        await SendAsync(host, ChannelMessage(Eve, "post digests here"));
        await SendAsync(host, Message(Ada, "post digests here"));
        Assert.Null(await ChannelAsync(host));
        var replies = host.Connector.Requests.Where(r => r.Method == "POST").Select(r => Texts(r.Body)).ToList();
        Assert.Contains(replies, b => b.Contains("Only ValueBot admins can choose the digest channel; nothing changed.", StringComparison.Ordinal));
        Assert.Contains(replies, b => b.Contains("in the team channel where the leadership digest should appear", StringComparison.Ordinal));

        await SendAsync(host, ChannelMessage(Ada, "post digests here"));
        var channel = await ChannelAsync(host);
        Assert.NotNull(channel);
        Assert.Equal(TeamId, channel.TeamId);
        Assert.Equal(ChannelId, channel.ChannelId);
        Assert.Equal(host.ServiceUrl, channel.ServiceUrl);
        Assert.Equal(ValueBotTestHost.TenantId, channel.TenantId);
        Assert.Contains(Ada.AadObjectId, channel.SetBy, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task WeeklyPublicationQueuesTheManagerDigestTheLeadershipDigestAndTheSharedWinOnce(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        await SendAsync(host, ChannelMessage(Ada, "post digests here"));

        var first = await PublishAsync(host);
        var second = await PublishAsync(host);

        Assert.Equal((1, 0, 0, true, 2, 0), (first.ManagerDigestsQueued, first.ManagerDigestsAlready, first.ManagersWithoutChat, first.ChannelChosen, first.ChannelPostsQueued, first.ChannelPostsAlready));
        Assert.Equal((0, 1, 2), (second.ManagerDigestsQueued, second.ManagerDigestsAlready, second.ChannelPostsAlready));
        var rows = await OutboxAsync(host);
        Assert.Equal(
            [DigestPublisher.LeadershipKey(Week), DigestPublisher.ManagerKey(Mia.AadObjectId, Week), DigestPublisher.WinKey(Invoices, Week)],
            rows.Select(r => r.DedupeKey).Order(StringComparer.Ordinal).ToList());

        var manager = rows.Single(r => r.DedupeKey.StartsWith("digest:manager:", StringComparison.Ordinal));
        Assert.Equal(Mia.ConversationId, manager.ConversationId);
        var managerText = Texts(manager.ActivityJson);
        Assert.Contains("Claims intake", managerText, StringComparison.Ordinal);
        Assert.Contains("Stop-loss breach: Adoption 50 % is below the 60 % minimum", managerText, StringComparison.Ordinal);
        Assert.Contains("Contract review", managerText, StringComparison.Ordinal);
        Assert.Contains("2 answered, 1 not reported", managerText, StringComparison.Ordinal);
        // Invoice triage: net 720 this week and last week (adoption changed, not the money).
        Assert.Contains("720.00 EUR (+0.00 EUR vs last week)", managerText, StringComparison.Ordinal);
        var managerCard = CardReader.FromActivity(manager.ActivityJson);
        Assert.Equal("Nudge owner", managerCard.Action(DigestCards.NudgeVerb).Title);
        Assert.Equal(Invoices.ToString("D"), managerCard.Data(DigestCards.ShareWinVerb)[DigestCards.UseCaseIdKey]!.GetValue<string>()); // Grace's win

        var leadership = rows.Single(r => r.DedupeKey == DigestPublisher.LeadershipKey(Week));
        Assert.Equal(ChannelId, leadership.ConversationId);
        var card = CardOf(leadership);
        var text = Texts(card.ToJsonString());
        Assert.Contains(WinStory, text, StringComparison.Ordinal);
        // Every total says how many use cases it sums: Contract review has not reported this week.
        // Beside it the risk-adjusted net: the answers do not say where their minutes come from (estimated, medium:
        // s × k = 0.8 × 0.85 = 0.68), so each week's gross 1,200 is believed as 816 and its net as 816 − 480 = 336.
        Assert.Contains("Net value this week: **1,440.00 EUR** reported, **672.00 EUR** risk-adjusted (2 of 3 reported) · over 90 days: **2,880.00 EUR** reported, **1,344.00 EUR** risk-adjusted (3 of 3 with data)", text, StringComparison.Ordinal);
        Assert.Contains("Measured share of the value: 0 % (EUR) of the gross value rests on measured minutes saved", text, StringComparison.Ordinal);
        Assert.Contains("Adoption 50 % is below the 60 % minimum", text, StringComparison.Ordinal);
        Assert.Contains("Has not reported (1 use case)", text, StringComparison.Ordinal);
        Assert.Contains("<at>Bob Builder</at>: Contract review", text, StringComparison.Ordinal);
        var mentioned = card["msteams"]!["entities"]!.AsArray().Select(e => (string)e!["mentioned"]!["id"]!).ToList();
        Assert.Equal(new[] { Bob.AadObjectId, Grace.AadObjectId }.Order(StringComparer.Ordinal), mentioned.Order(StringComparer.Ordinal).ToList());

        var win = Texts(CardOf(rows.Single(r => r.DedupeKey == DigestPublisher.WinKey(Invoices, Week))).ToJsonString());
        Assert.Contains(WinStory, win, StringComparison.Ordinal);
        Assert.Contains("<at>Grace Hopper</at>", win, StringComparison.Ordinal);
        Assert.Contains("net (reported) 720.00 EUR · net (risk-adjusted) 336.00 EUR", win, StringComparison.Ordinal);

        // The sender delivers the leadership digest to the channel (a new post).
        var delivered = await host.Connector.WaitForRequestAsync(r => r.Method == "POST" && r.Path.Contains(ChannelId, StringComparison.Ordinal) && r.Body.Contains("AI portfolio", StringComparison.Ordinal));
        Assert.Contains("Bob Builder", delivered.Body, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task WithoutAChannelOnlyManagerDigestsGoOutAndAManagerWithoutAChatIsCounted(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        await SendAsync(host, RemovedInstall(Mia));

        var publication = await PublishAsync(host);

        Assert.False(publication.ChannelChosen);
        Assert.Equal((0, 1, 0), (publication.ManagerDigestsQueued, publication.ManagersWithoutChat, publication.ChannelPostsQueued));
        Assert.Empty(await OutboxAsync(host));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnOwnerWithoutAManagerInTheRegistryGetsOneFromGraphAndItIsRemembered(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var graph = await FakeGraph.StartAsync();
        graph.AddUser(new GraphUser("aad-owen", "owen@example.com", "Owen Owner"));
        graph.AddUser(new GraphUser("aad-gus", "gus@example.com", "Gus Graph"));
        graph.SetManager("aad-owen", "aad-gus");
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Graph:Enabled"] = "true",
            ["Graph:BaseUrl"] = graph.BaseUrl,
            ["Graph:TeamsAppExternalId"] = "5f0c6e2a-8d4b-4a57-9d1e-7c3b2a1f0e9d",
            ["Graph:MaxRetries"] = "0",
        }, new FixedTime(Now));
        var gus = new User("29:gus", "aad-gus", "Gus Graph", "a:personal-gus");
        await SendAsync(host, PersonalInstall(gus));
        await host.WithScopeAsync(async sp =>
        {
            var useCase = new ValueBot.Domain.UseCases.UseCase
            {
                Id = Guid.NewGuid(),
                Name = "Graph-managed triage",
                ValueModel = ValueBot.Domain.UseCases.ValueModel.ProcessReengineering,
                Owner = new ValueBot.Domain.UseCases.PersonRef("aad-owen", "Owen Owner"),
                TargetUsers = 100,
                Baseline = new ValueBot.Domain.UseCases.Baseline(10m, 500m, new ValueBot.Domain.Common.Money(60m, "EUR"), 0.1m, 20m),
                PlannedRunCostPerMonth = new ValueBot.Domain.Common.Money(1300m, "EUR"),
            };
            return await sp.GetRequiredService<UseCaseRegistry>().CreateAsync(useCase, "test", CancellationToken.None);
        });

        var publication = await PublishAsync(host);

        Assert.Equal(1, publication.ManagerDigestsQueued);
        var row = Assert.Single(await OutboxAsync(host));
        Assert.Equal(DigestPublisher.ManagerKey("aad-gus", Week), row.DedupeKey);
        Assert.Equal(gus.ConversationId, row.ConversationId);
        var owen = await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<Person>().AsNoTracking().SingleAsync(p => p.AadObjectId == "aad-owen"));
        Assert.Equal("aad-gus", owen.ManagerAadObjectId);

        // Next week the registry answers: Graph is not asked again.
        graph.ResetRequests();
        await host.WithScopeAsync(sp => sp.GetRequiredService<DigestPublisher>().PublishWeeklyAsync(Week.Next(), CancellationToken.None));
        Assert.Empty(graph.Requests);
        Assert.Equal(2, (await OutboxAsync(host)).Count);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task TheOwnersManagerCanNudgeOnceAndOthersCannot(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);

        var (_, refused) = await InvokeAsync(host, Eve, DigestCards.NudgeVerb, Contracts);
        Assert.Contains("Only Bob Builder's manager (or an admin) can nudge them. Nothing was sent.", refused.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await OutboxAsync(host));

        var (_, answered) = await InvokeAsync(host, Mia, DigestCards.NudgeVerb, Claims);
        Assert.Contains("already answered", answered.GetValue<string>(), StringComparison.Ordinal);

        var (_, nudged) = await InvokeAsync(host, Mia, DigestCards.NudgeVerb, Contracts);
        Assert.Equal("Nudged Bob Builder: they get the Contract review check-in for 2026-W11 again.", nudged.GetValue<string>());
        var (_, again) = await InvokeAsync(host, Mia, DigestCards.NudgeVerb, Contracts);
        Assert.Contains("already nudged", again.GetValue<string>(), StringComparison.Ordinal);

        var row = Assert.Single(await OutboxAsync(host));
        Assert.Equal($"nudge:{Contracts:D}:2026-W11:{Mia.AadObjectId}", row.DedupeKey);
        Assert.Equal(Bob.ConversationId, row.ConversationId);
        Assert.Contains("Weekly check-in: Contract review", Texts(row.ActivityJson), StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task OpenDetailsSendsTheUseCaseInFullToTheManagerAndNotToStrangers(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        host.Connector.Reset();

        var (_, refused) = await InvokeAsync(host, Eve, DigestCards.DetailsVerb, Claims);
        Assert.Contains("Only the owner, their manager, the sponsor or an admin", refused.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Connector.Requests, r => r.Method == "POST");

        var (_, opened) = await InvokeAsync(host, Mia, DigestCards.DetailsVerb, Claims);

        Assert.Equal("Details of Claims intake are below.", opened.GetValue<string>());
        var details = Texts(Assert.Single(host.Connector.Requests, r => r.Method == "POST" && !r.Body.Contains("Welcome to ValueBot", StringComparison.Ordinal)).Body);
        Assert.Contains("Stop-loss breach", details, StringComparison.Ordinal);
        Assert.Contains("gross 1,200.00 EUR · absorption 480.00 EUR · net (reported) 720.00 EUR · net (risk-adjusted) 336.00 EUR", details, StringComparison.Ordinal);
        Assert.Contains("Hold — not enough evidence.", details, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AManagerSharesAWinAsItsOwnPostInTheChannel(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);

        var (_, noChannel) = await InvokeAsync(host, Mia, DigestCards.ShareWinVerb, Invoices);
        Assert.Contains("No digest channel is chosen yet", noChannel.GetValue<string>(), StringComparison.Ordinal);
        await SendAsync(host, ChannelMessage(Ada, "post digests here"));

        var (_, stranger) = await InvokeAsync(host, Eve, DigestCards.ShareWinVerb, Invoices);
        Assert.Contains("Nothing was posted", stranger.GetValue<string>(), StringComparison.Ordinal);
        var (_, noWin) = await InvokeAsync(host, Mia, DigestCards.ShareWinVerb, Claims);
        Assert.Contains("has no win for 2026-W11", noWin.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await OutboxAsync(host));

        var (_, shared) = await InvokeAsync(host, Mia, DigestCards.ShareWinVerb, Invoices);
        Assert.Equal("Shared: the Invoice triage win is posted in the leadership channel.", shared.GetValue<string>());
        var (_, twice) = await InvokeAsync(host, Grace, DigestCards.ShareWinVerb, Invoices);
        Assert.Contains("already shared", twice.GetValue<string>(), StringComparison.Ordinal);

        var row = Assert.Single(await OutboxAsync(host));
        Assert.Equal(DigestPublisher.WinKey(Invoices, Week), row.DedupeKey);
        Assert.Equal(ChannelId, row.ConversationId);
        Assert.Contains(WinStory, Texts(row.ActivityJson), StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task AnAdminRecordsAStageGateDecisionFromTheReviewAndItIsAudited(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        var inputs = new JsonObject { [DigestCards.DecisionInput(Claims)] = "redesign", [DigestCards.ReasonInput(Claims)] = "" };

        var (_, noReason) = await InvokeAsync(host, Ada, DigestCards.DecideVerb, Claims, inputs);
        Assert.Contains("Give the reason", noReason.GetValue<string>(), StringComparison.Ordinal);
        var (_, notLeader) = await InvokeAsync(host, Mia, DigestCards.DecideVerb, Claims, inputs);
        Assert.Contains("Nothing was recorded", notLeader.GetValue<string>(), StringComparison.Ordinal);
        inputs[DigestCards.DecisionInput(Claims)] = "grow";
        inputs[DigestCards.ReasonInput(Claims)] = "Adoption stalled";
        var (_, badChoice) = await InvokeAsync(host, Ada, DigestCards.DecideVerb, Claims, inputs);
        Assert.Contains("Choose scale, redesign, hold or stop", badChoice.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await DecisionsAsync(host));

        inputs[DigestCards.DecisionInput(Claims)] = "redesign";
        var (type, recorded) = await InvokeAsync(host, Ada, DigestCards.DecideVerb, Claims, inputs);

        // The review card comes back updated in place: who decided and why where the inputs were.
        Assert.Equal("application/vnd.microsoft.card.adaptive", type);
        var card = recorded.ToJsonString();
        Assert.Contains($"Decided: Redesign, by {Ada.Name} on 2026-03-13. Reason: Adoption stalled (ValueBot recommended Hold.)", Texts(card), StringComparison.Ordinal);
        Assert.DoesNotContain(DigestCards.DecisionInput(Claims), card, StringComparison.Ordinal);
        Assert.Contains(DigestCards.DecisionInput(Contracts), card, StringComparison.Ordinal);
        var decision = Assert.Single(await DecisionsAsync(host));
        Assert.Equal(("redesign", "hold", "Adoption stalled"), (decision.Outcome, decision.Recommendation, decision.Reason));
        Assert.Contains(Ada.AadObjectId, decision.DecidedBy, StringComparison.Ordinal);
        // The decision takes effect: the stage changes, audited under the one who decided.
        var stored = await host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().GetAsync(Claims, CancellationToken.None));
        Assert.Equal(Stage.Redesign, stored!.UseCase.Stage);
        var audit = await host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().AuditTrailAsync(Claims, CancellationToken.None));
        Assert.Contains(audit, a => a.Field == "stage" && a.NewValue == "Redesign" && a.ChangedBy.Contains(Ada.AadObjectId, StringComparison.Ordinal));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task MonthlyAndQuarterlyReviewsArePostedOnceEach(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        await SendAsync(host, ChannelMessage(Ada, "post digests here"));

        var monthly = await host.WithScopeAsync(sp => sp.GetRequiredService<DigestPublisher>().PublishMonthlyReviewAsync(new DateOnly(2026, 4, 6), CancellationToken.None));
        var monthlyAgain = await host.WithScopeAsync(sp => sp.GetRequiredService<DigestPublisher>().PublishMonthlyReviewAsync(new DateOnly(2026, 4, 6), CancellationToken.None));
        var quarterly = await host.WithScopeAsync(sp => sp.GetRequiredService<DigestPublisher>().PublishQuarterlyReviewAsync(Week.Next(), CancellationToken.None));
        var quarterlyAgain = await host.WithScopeAsync(sp => sp.GetRequiredService<DigestPublisher>().PublishQuarterlyReviewAsync(Week.Next(), CancellationToken.None));

        Assert.Equal((1, 0, 0, 1), (monthly.ChannelPostsQueued, monthlyAgain.ChannelPostsQueued, quarterlyAgain.ChannelPostsQueued, quarterlyAgain.ChannelPostsAlready));
        Assert.Equal(1, quarterly.ChannelPostsQueued);
        var rows = await OutboxAsync(host);
        var month = Texts(rows.Single(r => r.DedupeKey == "review:monthly:2026-03").ActivityJson);
        // March 2026 weeks W10–W14: Invoices 720 + 720, Claims 720; Contracts' W09 answer is February's.
        Assert.Contains("Monthly financial review — March 2026", month, StringComparison.Ordinal);
        Assert.Contains("2,160.00 EUR", month, StringComparison.Ordinal);
        var quarter = rows.Single(r => r.DedupeKey == "review:quarterly:2026-W12").ActivityJson;
        Assert.Contains(DigestCards.DecideVerb, quarter, StringComparison.Ordinal);
        Assert.Contains(DigestCards.DecisionInput(Claims), quarter, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task DigestCommandPreviewsTheManagerDigestAndTellsOthersWhy(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await StartAsync(database);
        await SeedAsync(host);
        host.Connector.Reset();

        await SendAsync(host, Message(Mia, "digest"));
        await SendAsync(host, Message(Eve, "digest"));
        await SendAsync(host, Message(Mia, "wins"));

        // The seed's welcome cards may still be on their way through the outbox: they are not answers to the commands.
        var bodies = host.Connector.Requests.Where(r => r.Method == "POST").Select(r => Texts(r.Body))
            .Where(b => !b.Contains("Welcome to ValueBot", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, bodies.Count);
        Assert.Contains("Your team's AI use cases", bodies[0], StringComparison.Ordinal);
        Assert.Contains("None of your reports owns a use case", bodies[1], StringComparison.Ordinal);
        Assert.Contains(WinStory, bodies[2], StringComparison.Ordinal);
    }

    private static Task<DigestPublication> PublishAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<DigestPublisher>().PublishWeeklyAsync(Week, CancellationToken.None));

    private static JsonObject CardOf(OutboxMessage message) =>
        JsonNode.Parse(message.ActivityJson)!["attachments"]![0]!["content"]!.AsObject();

    private static Task<List<OutboxMessage>> OutboxAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.Kind != "welcome").ToListAsync());

    private static Task<DigestChannel?> ChannelAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<DigestChannel>().AsNoTracking().SingleOrDefaultAsync());

    private static Task<List<Decision>> DecisionsAsync(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<Decision>().AsNoTracking().ToListAsync());

    private static ValueBot.Teams.Schema.Activity RemovedInstall(User user)
    {
        var activity = PersonalInstallationUpdate(user, "remove");
        return activity;
    }
}
