using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Testing;
using ValueBot.Teams.Schema;
using ValueBot.Web.Installations;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Observability;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Installations;

/// <summary>Installation tracking through the real /api/messages endpoint, with authenticated Teams activities.</summary>
public sealed class InstallationTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task PersonalInstallStoresTheConversationReferenceAndWelcomesOnce(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);

        var first = await host.SendFromTeamsAsync(PersonalInstall(Ada));
        var second = await host.SendFromTeamsAsync(PersonalInstallationUpdate(Ada, InstallationActions.Add));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var stored = await Installations(host);
        var installation = Assert.Single(stored);
        Assert.Equal(Ada.ConversationId, installation.ConversationId);
        Assert.Equal("personal", installation.Scope);
        Assert.Equal(host.ServiceUrl, installation.ServiceUrl);
        Assert.Equal(ValueBotTestHost.TenantId, installation.TenantId);
        Assert.Equal(Ada.Id, installation.UserId);
        Assert.Equal(Ada.AadObjectId, installation.AadObjectId);
        Assert.Equal(Ada.Name, installation.UserName);
        Assert.Null(installation.RemovedAt);

        await host.Connector.WaitForRequestAsync(r => r.Method == "POST"); // the welcome goes through the outbox
        await Task.Delay(300);
        var welcome = Assert.Single(host.Connector.Requests, r => r.Method == "POST");
        Assert.Equal($"/teams/v3/conversations/{Uri.EscapeDataString(Ada.ConversationId)}/activities", welcome.RawTarget);
        Assert.Equal("Bearer outbound-test-token", welcome.Authorization);
        Assert.StartsWith("Welcome to ValueBot, Ada Lovelace", CardReader.FromActivity(welcome.Body).Heading, StringComparison.Ordinal);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task SimultaneousInstallEventsStoreOneRowWelcomeOnceAndLogNoError(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        using var logs = new FakeLoggerProvider();
        await using var host = await ValueBotTestHost.StartAsync(
            database.ConnectionString, configure: b => b.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Information));

        for (var round = 0; round < 5; round++)
        {
            var user = Ada with { ConversationId = $"a:simultaneous-{round}" };
            var responses = await Task.WhenAll(
                host.SendFromTeamsAsync(PersonalInstall(user)),
                host.SendFromTeamsAsync(PersonalInstallationUpdate(user, InstallationActions.Add)));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        }

        var stored = await Installations(host);
        Assert.Equal(5, stored.Count);
        await host.Connector.WaitForRequestAsync(_ => host.Connector.Requests.Count(r => r.Method == "POST") >= 5);
        await Task.Delay(300);
        var welcomes = host.Connector.Requests.Where(r => r.Method == "POST").GroupBy(r => r.RawTarget).ToList();
        Assert.Equal(5, welcomes.Count);
        Assert.All(welcomes, w => Assert.Single(w));
        Assert.DoesNotContain(logs.Collector.GetSnapshot(), e => e.Level >= LogLevel.Error);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task TeamInstallStoresTeamAndSelectedChannel(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);

        var response = await host.SendFromTeamsAsync(TeamInstall("AI Leadership"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var installation = Assert.Single(await Installations(host));
        Assert.Equal("team", installation.Scope);
        Assert.Equal(TeamId, installation.ConversationId);
        Assert.Equal(TeamId, installation.TeamId);
        Assert.Equal("AI Leadership", installation.TeamName);
        Assert.Equal(ChannelId, installation.ChannelId);
        var welcome = await host.Connector.WaitForRequestAsync(r => r.Method == "POST");
        Assert.True(CardReader.Shows(welcome.Body, "ValueBot is now part of AI Leadership"), string.Join("\n", CardReader.Shown(welcome.Body)));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task UninstallMarksRemovedAndReinstallWelcomesAgain(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        await host.SendFromTeamsAsync(PersonalInstall(Ada));

        await host.SendFromTeamsAsync(PersonalInstallationUpdate(Ada, InstallationActions.Remove));
        var removed = Assert.Single(await Installations(host));
        Assert.NotNull(removed.RemovedAt);

        await host.SendFromTeamsAsync(PersonalInstallationUpdate(Ada, InstallationActions.Add));
        var reinstalled = Assert.Single(await Installations(host));
        Assert.Null(reinstalled.RemovedAt);
        await host.Connector.WaitForRequestAsync(_ => host.Connector.Requests.Count(r => r.Method == "POST" && r.Body.Contains("Welcome to ValueBot")) >= 2);
        Assert.Equal(2, host.Connector.Requests.Count(r => r.Method == "POST" && r.Body.Contains("Welcome to ValueBot")));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task EveryAuthenticatedActivityRefreshesTheServiceUrl(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var movedTo = "https://smba.trafficmanager.net/emea/";
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Bot:TrustedServiceUrls:1"] = movedTo,
        });
        await host.SendFromTeamsAsync(PersonalInstall(Ada));

        // The reply to this message goes to an unreachable host; the reference must still move.
        await host.SendFromTeamsAsync(Message(Ada, "hello", serviceUrl: movedTo));

        Assert.Equal(movedTo, Assert.Single(await Installations(host)).ServiceUrl);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task UnauthenticatedInstallIsRefusedAndStoresNothing(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var activity = PersonalInstall(Ada, host.ServiceUrl);

        var noToken = await host.PostAsync(activity, bearer: null);
        var wrongAudience = await host.PostAsync(activity, host.Issuer.CreateBotFrameworkToken("another-app", host.ServiceUrl));

        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAudience.StatusCode);
        Assert.Empty(await Installations(host));
        Assert.Empty(host.Connector.Requests);
    }

    [Fact]
    public async Task HelpListsEveryRegisteredCommand()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var commands = host.Services.GetRequiredService<ValueBot.Teams.Routing.BotRouter>().Commands;

        var response = await host.SendFromTeamsAsync(Message(Ada, "<at>ValueBot</at> help"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = Assert.Single(host.Connector.Requests, r => r.Method == "POST");
        Assert.NotEmpty(CardReader.FromActivity(reply.Body).Texts()); // the help is a card
        Assert.NotEmpty(commands);
        // Compared with the card's texts, not the raw JSON, where an apostrophe ("this week's") is written \u0027.
        var texts = ValueBot.Web.Tests.Digests.DigestWorld.Texts(reply.Body);
        Assert.All(commands, c => Assert.Contains(c.Description, texts));
    }

    [Fact]
    public async Task UnknownTextPointsToHelp()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);

        await host.SendFromTeamsAsync(Message(Ada, "make me a sandwich"));

        var reply = Assert.Single(host.Connector.Requests, r => r.Method == "POST");
        Assert.True(CardReader.Shows(reply.Body, "Type **help**"), string.Join("\n", CardReader.Shown(reply.Body)));
    }

    [Fact]
    public async Task WelcomeCardValidatesAgainstTheAdaptiveCardSchema()
    {
        var commands = new[] { new ValueBot.Teams.Routing.BotCommand("help", "List what ValueBot can do") };
        var cards = new[]
        {
            WelcomeCard.ForPersonalChat("Ada", commands).ToJson(),
            WelcomeCard.ForTeam("AI Leadership", commands).ToJson(),
            WelcomeCard.Help(commands).ToJson(),
        };

        var results = ValueBot.Testing.SchemaValidator.Validate(ValueBot.Testing.RepositoryPaths.AdaptiveCardSchema, cards);

        Assert.All(results, r => Assert.True(r.Valid, string.Join("\n", r.Errors)));
    }

    private static Task<List<Installation>> Installations(ValueBotTestHost host) =>
        host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Installations.AsNoTracking().ToListAsync());
}
