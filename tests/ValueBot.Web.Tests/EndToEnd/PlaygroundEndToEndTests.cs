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
public sealed class PlaygroundEndToEndTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private ValueBotTestHost _host = null!;
    private AgentsPlayground _playground = null!;

    public async Task InitializeAsync()
    {
        _database = TestDatabase.CreateSqlite();
        _host = await ValueBotTestHost.StartAsync(_database.ConnectionString, new Dictionary<string, string?>
        {
            ["Bot:LocalMode"] = "true",
            ["Bot:AppId"] = "",
            ["Bot:TenantId"] = "",
            ["Bot:Credential:Type"] = "None",
        });
        _playground = await AgentsPlayground.StartAsync(_host.BaseUrl + "/api/messages");
    }

    public async Task DisposeAsync()
    {
        if (_playground is not null)
        {
            await _playground.DisposeAsync();
        }

        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task InstallWelcomesHelpAnswersAndTheWelcomeButtonReplacesTheCard()
    {
        await _playground.InstallPersonalAsync();
        var welcome = await _playground.WaitForBotMessagesAsync(m => m.CardContains("Welcome to ValueBot"));
        Assert.Single(_playground.BotMessages, m => m.CardContains("Welcome to ValueBot")); // two install events, one welcome

        var installation = await _host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Installations.AsNoTracking().SingleAsync());
        Assert.Equal(_playground.PersonalConversationId, installation.ConversationId);
        Assert.Equal(_playground.UserId, installation.UserId);
        Assert.Equal(_playground.ServiceUrl, installation.ServiceUrl);

        await _playground.SendTextAsync("help");
        var help = await _playground.WaitForBotMessagesAsync(m => m.CardContains("What I can do"));
        Assert.True(help[0].CardContains("List what ValueBot can do"));

        var response = await _playground.ExecuteActionAsync(WelcomeCard.ShowCommandsVerb, replyToId: welcome[0].MessageId);
        Assert.True(response.IsSuccess, response.Body);
        Assert.Equal("application/vnd.microsoft.card.adaptive", response.Type);
        Assert.Contains("What I can do", response.Value!.Value.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TeamInstallIsRecordedAndWelcomedInTheChannel()
    {
        await _playground.InstallInTeamAsync();

        var welcome = await _playground.WaitForBotMessagesAsync(m => m.CardContains("is now part of"));
        Assert.Equal(_playground.TeamChannelId, welcome[0].ConversationId);
        var installation = await _host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Installations.AsNoTracking().SingleAsync());
        Assert.Equal("team", installation.Scope);
        Assert.Equal(_playground.TeamId, installation.TeamId);
    }
}
