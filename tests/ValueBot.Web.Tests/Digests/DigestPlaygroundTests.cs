using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.UseCases;
using ValueBot.Testing;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Digests;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using ValueBot.Web.People;

namespace ValueBot.Web.Tests.Digests;

/// <summary>
/// Team scope in Microsoft's Agents Playground as the Teams client: an admin types <c>post digests here</c> in the
/// team's channel, the weekly publication runs, and the leadership digest (owners mentioned) and the shared win arrive
/// in that channel as posts of their own, through the real outbox and sender.
/// </summary>
public sealed class DigestPlaygroundTests() : LocalModePlaygroundTests(new Dictionary<string, string?> { ["Admin:TeamsAdmins"] = AlexObjectId })
{
    /// <summary>The playground's default user, Alex Wilber (its built-in configuration).</summary>
    private const string AlexObjectId = "00000000-0000-0000-0000-0000000000020";
    private const string MeganObjectId = "00000000-0000-0000-0000-0000000000021";

    [Fact]
    public async Task PostDigestsHereThenTheDigestAndTheSharedWinArriveInTheChannelWithOwnersMentioned()
    {
        Assert.Equal(AlexObjectId, Playground.Config.GetProperty("currentUser").GetProperty("aadObjectId").GetString());
        var week = await SeedAsync();
        await Playground.InstallInTeamAsync();
        await Playground.WaitForBotMessagesAsync(m => m.CardContains("is now part of"));

        await Playground.SendChannelTextAsync("post digests here");
        await Playground.WaitForBotMessagesAsync(m => m.Text?.Contains("the leadership digest (Fridays), shared wins", StringComparison.Ordinal) == true);

        var publication = await Host.WithScopeAsync(sp => sp.GetRequiredService<DigestPublisher>().PublishWeeklyAsync(week, CancellationToken.None));
        Assert.Equal(2, publication.ChannelPostsQueued);

        var digest = (await Playground.WaitForBotMessagesAsync(m => m.CardContains("AI portfolio")))[0];
        Assert.Equal(Playground.TeamChannelId, digest.ConversationId);
        Assert.NotNull(digest.PostConversationId); // a new post in the channel, not a reply
        var card = digest.AdaptiveCards.Single();
        var mentioned = card.GetProperty("msteams").GetProperty("entities").EnumerateArray()
            .Select(e => e.GetProperty("mentioned").GetProperty("id").GetString()).ToList();
        Assert.Contains(AlexObjectId, mentioned);
        Assert.Contains(MeganObjectId, mentioned);
        var text = DigestWorld.Texts(card.GetRawText());
        Assert.Contains("<at>Alex Wilber</at>", text, StringComparison.Ordinal);
        Assert.Contains("Adoption 40 % is below the 60 % minimum", text, StringComparison.Ordinal);

        var win = (await Playground.WaitForBotMessagesAsync(m => m.CardContains("A win: Invoice triage")))[0];
        Assert.Equal(Playground.TeamChannelId, win.ConversationId);
        Assert.NotEqual(digest.MessageId, win.MessageId);
        Assert.Contains("Closed the books a day early", DigestWorld.Texts(win.AdaptiveCards.Single().GetRawText()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AManagerConfirmsAReportsAdoptionFigureFromTheDigestAndTheCardUpdatesInPlace()
    {
        await SeedAsync();
        // Alex manages Megan, who owns Claims intake (40 of 100 target users this week).
        await Host.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<KnownPeople>().RememberAsync(
                new Person { AadObjectId = MeganObjectId, DisplayName = "Megan Bowen", ManagerAadObjectId = AlexObjectId }, CancellationToken.None);
            return 0;
        });
        await InstallPersonalAsync();

        await Playground.SendTextAsync("digest");
        var digest = (await Playground.WaitForBotMessagesAsync(m => m.CardContains(AdoptionReviewCards.ConfirmVerb)))[0];
        var confirm = digest.AdaptiveCards.Single().GetRawText();
        var data = FindExecuteData(System.Text.Json.Nodes.JsonNode.Parse(confirm), AdoptionReviewCards.ConfirmVerb)
            ?? throw new Xunit.Sdk.XunitException("The manager digest has no Confirm.");
        Assert.Contains("40 of 100 target users (40 %), as Megan Bowen reported it. Does it match what you see?", DigestWorld.Texts(confirm), StringComparison.Ordinal);

        var clicked = await Playground.ExecuteActionAsync(AdoptionReviewCards.ConfirmVerb, data, replyToId: digest.MessageId);

        Assert.True(clicked.IsSuccess, clicked.Body);
        Assert.Equal(PlaygroundMessage.AdaptiveCardContentType, clicked.Type);
        Assert.Contains("as Megan Bowen reported it — **confirmed by you on", DigestWorld.Texts(clicked.Value!.Value.GetRawText()), StringComparison.Ordinal);
        var review = await Host.WithScopeAsync(sp => sp.GetRequiredService<ValueBot.Web.Persistence.ValueBotDbContext>()
            .Set<ValueBot.Web.Evidence.AdoptionReviewRecord>().AsNoTracking().ToListAsync());
        Assert.Equal((ValueBot.Web.Evidence.AdoptionReviews.Confirmed, 40, AlexObjectId), (Assert.Single(review).Verdict, review[0].ActiveUsers, review[0].ManagerAadObjectId));
    }

    private static System.Text.Json.Nodes.JsonObject? FindExecuteData(System.Text.Json.Nodes.JsonNode? node, string verb) => node switch
    {
        System.Text.Json.Nodes.JsonObject obj when obj["type"]?.GetValue<string>() == "Action.Execute" && obj["verb"]?.GetValue<string>() == verb
            => obj["data"]!.DeepClone().AsObject(),
        System.Text.Json.Nodes.JsonObject obj => obj.Select(p => FindExecuteData(p.Value, verb)).FirstOrDefault(d => d is not null),
        System.Text.Json.Nodes.JsonArray array => array.Select(i => FindExecuteData(i, verb)).FirstOrDefault(d => d is not null),
        _ => null,
    };

    private async Task<ValueBot.Domain.Periods.IsoWeek> SeedAsync() => await Host.WithScopeAsync(async sp =>
    {
        var registry = sp.GetRequiredService<UseCaseRegistry>();
        var checkIns = sp.GetRequiredService<CheckInStore>();
        var week = registry.CurrentWeek;
        var invoices = UseCase("Invoice triage", AlexObjectId, "Alex Wilber");
        var claims = UseCase("Claims intake", MeganObjectId, "Megan Bowen");
        await registry.CreateAsync(invoices, "test", CancellationToken.None);
        await registry.CreateAsync(claims, "test", CancellationToken.None);
        await checkIns.RecordAnswerAsync(invoices.Id, week, DigestWorld.Answer(80) with { Win = "Closed the books a day early", ShareWinWithLeadership = true }, AlexObjectId, CancellationToken.None);
        await checkIns.RecordAnswerAsync(claims.Id, week, DigestWorld.Answer(40), MeganObjectId, CancellationToken.None);
        return week;
    });

    private static UseCase UseCase(string name, string ownerId, string ownerName) => new()
    {
        Id = Guid.NewGuid(),
        Name = name,
        ValueModel = ValueModel.ProcessReengineering,
        Stage = Stage.Production,
        Owner = new PersonRef(ownerId, ownerName),
        TargetUsers = 100,
        Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0.1m, 20m),
        PlannedRunCostPerMonth = new Money(1300m, "EUR"),
    };
}
