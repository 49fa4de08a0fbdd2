using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Testing;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Installations;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using ValueBot.Web.People;

namespace ValueBot.Web.Tests.EndToEnd;

/// <summary>
/// Privacy by scope in Microsoft's Agents Playground, team scope: ValueBot is added to the playground's team only (no
/// personal install), and the signed-in user, Alex Wilber — an owner and a manager, not an admin — types
/// <c>checkin</c>, <c>status</c> and <c>digest</c> in the General channel with @ValueBot. The channel gets one line each
/// with no figures and no names; the answers arrive in Alex's 1:1 chat, which ValueBot opens through the playground's
/// mock Connector (<c>POST /v3/conversations</c>).
/// </summary>
public sealed class PlaygroundTeamScopeTests() : LocalModePlaygroundTests(new Dictionary<string, string?> { ["Admin:LocalKey"] = AdminKey })
{
    private const string AdminKey = "playground-admin-key";

    private static readonly TimeSpan OutboxWait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task CheckinStatusAndDigestTypedInAChannelByANonAdminRevealNoFiguresThereAndArriveInThePersonalChat()
    {
        var alex = Playground.Config.GetProperty("currentUser");
        var alexId = alex.GetProperty("aadObjectId").GetString()!;
        // Megan Bowen reports to Alex. (The API takes only GUIDs and, in local mode, Alex's playground id, so she has her own.)
        const string meganId = "6a1c0e52-0000-4000-8000-0000000e6a10";
        await RegisterUseCaseAsync(AdminKey, "Playground triage", alexId, alex.GetProperty("name").GetString()!);
        await RegisterUseCaseAsync(AdminKey, "Megan's intake bot", meganId, "Megan Bowen");
        await Host.WithScopeAsync(async sp =>
        {
            await sp.GetRequiredService<KnownPeople>().RememberAsync(
                new Person { AadObjectId = meganId, DisplayName = "Megan Bowen", ManagerAadObjectId = alexId }, CancellationToken.None);
            return 0;
        });
        await Playground.InstallInTeamAsync();
        await Playground.WaitForBotMessagesAsync(m => m.CardContains("is now part of"));
        Assert.Null(await PersonalChatAsync(alexId)); // only the team install so far

        // checkin in the channel → the card in the 1:1 chat, which ValueBot opens for Alex.
        var checkinThread = await Playground.SendChannelTextAsync("checkin");
        var card = (await Playground.WaitForBotMessagesAsync(m => m.CardContains("Weekly check-in: Playground triage"), OutboxWait))[0];
        var chat = await PersonalChatAsync(alexId);
        Assert.NotNull(chat);
        Assert.Equal(Playground.PersonalConversationId, chat.ConversationId);
        Assert.Equal(Playground.PersonalConversationId, card.ConversationId);
        await ExpectOneNeutralLineAsync(checkinThread, PersonalAnswers.SentPrivately);

        // Alex answers in the 1:1 chat, so that there are figures to keep out of the channel.
        var stored = await Playground.ExecuteActionAsync(CheckInCard.AnswerVerb, Answer(CardOf(card).Data(CheckInCard.AnswerVerb)), replyToId: card.MessageId);
        Assert.StartsWith("Thanks, check-in stored: Playground triage", CardOf(stored).Heading, StringComparison.Ordinal);
        Assert.Equal(CheckInStatus.Answered, Assert.Single(await CheckInRowsAsync()).Status);

        // status in the channel → the figures in the 1:1 chat only.
        var statusThread = await Playground.SendChannelTextAsync("status");
        // (The team's welcome card lists the commands, "Your use cases…" among them: look in the 1:1 chat.)
        var status = (await Playground.WaitForBotMessagesAsync(m => m.ConversationId == Playground.PersonalConversationId && m.CardContains("Latest answered week"), OutboxWait))[0];
        var statusTexts = Texts(status);
        Assert.Contains("Playground triage", statusTexts, StringComparison.Ordinal);
        Assert.Contains("Net value", statusTexts, StringComparison.Ordinal);
        await ExpectOneNeutralLineAsync(statusThread, PersonalAnswers.SentPrivately);

        // digest in the channel: no digest channel is chosen, Alex is no admin → his team's digest in the 1:1 chat, and
        // the channel is told where the leadership digest is posted.
        var digestThread = await Playground.SendChannelTextAsync("digest");
        var digest = (await Playground.WaitForBotMessagesAsync(m => m.ConversationId == Playground.PersonalConversationId && m.CardContains("Your team's AI use cases"), OutboxWait))[0];
        Assert.Contains("Megan's intake bot", Texts(digest), StringComparison.Ordinal);
        await ExpectOneNeutralLineAsync(digestThread, PersonalAnswers.SentPrivately
            + " The leadership digest is posted each week in the team channel an admin chooses (with \"post digests here\"); none is chosen yet, and it is not posted here.");

        // Nothing but the welcome and those three lines ever reached the team.
        var inTeam = Playground.BotMessages.Where(m => m.ConversationId != Playground.PersonalConversationId).ToList();
        Assert.Equal(4, inTeam.Count);
        Assert.Single(inTeam, m => m.CardContains("is now part of"));
        foreach (var message in inTeam)
        {
            foreach (var secret in new[] { "Playground triage", "Megan", "Net value", "Gross value", "Latest answered week", "EUR" })
            {
                Assert.DoesNotContain(secret, message.Raw.GetRawText(), StringComparison.Ordinal);
            }
        }
    }

    /// <summary>The bot answered in the channel thread with exactly one plain line, and no card.</summary>
    private async Task ExpectOneNeutralLineAsync(string thread, string expected)
    {
        var replies = await Playground.WaitForBotMessagesAsync(m => m.ConversationId == thread || m.PostConversationId == thread);
        var reply = Assert.Single(replies);
        Assert.Equal(expected, reply.Text);
        Assert.Empty(reply.Attachments);
    }

    private static JsonObject Answer(JsonObject hidden)
    {
        var data = hidden.DeepClone().AsObject();
        foreach (var (key, value) in CheckInInputs.Valid())
        {
            if (value is not null)
            {
                data[key] = value;
            }
        }

        return data;
    }

    /// <summary>Every string in the message's cards, one per line.</summary>
    private static string Texts(PlaygroundMessage message) =>
        string.Join("\n", message.AdaptiveCards.Select(c => Digests.DigestWorld.Texts(c.GetRawText())));

    private Task<Installation?> PersonalChatAsync(string aadObjectId) =>
        Host.WithScopeAsync(sp => sp.GetRequiredService<InstallationStore>().FindPersonalAsync(aadObjectId, CancellationToken.None));
}
