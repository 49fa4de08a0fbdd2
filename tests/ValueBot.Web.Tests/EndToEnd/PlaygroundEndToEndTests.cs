using Microsoft.EntityFrameworkCore;
using ValueBot.Testing;
using ValueBot.Web.Installations;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;

namespace ValueBot.Web.Tests.EndToEnd;

/// <summary>
/// The real ValueBot host in local mode, driven by Microsoft's Agents Playground as the Teams client (through the
/// playground's own HTTP and websocket API, no browser): what a newcomer sees after <c>scripts/run-local.sh</c>.
/// </summary>
public sealed class PlaygroundEndToEndTests() : LocalModePlaygroundTests
{
    [Fact]
    public async Task InstallWelcomesHelpAnswersAndTheWelcomeButtonReplacesTheCard()
    {
        await Playground.InstallPersonalAsync();
        var welcome = await Playground.WaitForBotMessagesAsync(m => m.CardContains("Welcome to ValueBot"));
        Assert.Single(Playground.BotMessages, m => m.CardContains("Welcome to ValueBot")); // two install events, one welcome

        var installation = await Host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Installations.AsNoTracking().SingleAsync());
        Assert.Equal(Playground.PersonalConversationId, installation.ConversationId);
        Assert.Equal(Playground.UserId, installation.UserId);
        Assert.Equal(Playground.ServiceUrl, installation.ServiceUrl);

        await Playground.SendTextAsync("help");
        var help = await Playground.WaitForBotMessagesAsync(m => m.CardContains("What I can do"));
        Assert.True(help[0].CardContains("List what ValueBot can do"));

        var response = await Playground.ExecuteActionAsync(WelcomeCard.ShowCommandsVerb, replyToId: welcome[0].MessageId);
        Assert.Contains("What I can do", CardOf(response).Texts());
    }

    [Fact]
    public async Task TeamInstallIsRecordedAndWelcomedInTheChannel()
    {
        await Playground.InstallInTeamAsync();

        var welcome = await Playground.WaitForBotMessagesAsync(m => m.CardContains("is now part of"));
        Assert.Equal(Playground.TeamChannelId, welcome[0].ConversationId);
        var installation = await Host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Installations.AsNoTracking().SingleAsync());
        Assert.Equal("team", installation.Scope);
        Assert.Equal(Playground.TeamId, installation.TeamId);
    }
}
