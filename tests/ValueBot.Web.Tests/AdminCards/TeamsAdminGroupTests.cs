using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using ValueBot.Teams.Hosting;
using ValueBot.Testing;
using ValueBot.Web.Admin;
using ValueBot.Web.AdminCards;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.AdminCards;

/// <summary>Admins defined by an Entra group (<c>Admin:TeamsAdminGroups</c>), resolved through Graph's checkMemberGroups.</summary>
public sealed class TeamsAdminGroupTests
{
    private const string AdminGroup = "6a1c0e52-0000-4000-8000-0000000000a1";

    [Fact]
    public async Task AMemberOfAnAdminGroupGetsTheCardAndSomeoneElseIsRefused()
    {
        await using var graph = await FakeGraph.StartAsync();
        graph.AddUser(new GraphUser(Grace.AadObjectId, "grace@contoso.com", Grace.Name));
        graph.AddUser(new GraphUser(Ada.AadObjectId, "ada@contoso.com", Ada.Name));
        graph.AddGroupMember("6a1c0e52-0000-4000-8000-0000000000b2", Grace.AadObjectId);
        graph.AddGroupMember(AdminGroup, "6a1c0e52-0000-4000-8000-0000000000b2"); // Grace through a nested group
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, WithGraph(graph));

        await host.SendFromTeamsAsync(Message(Grace, "new use case"));
        await host.SendFromTeamsAsync(Message(Grace, "new use case"));
        await host.SendFromTeamsAsync(Message(Ada, "new use case"));

        var sent = host.Connector.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(3, sent.Count);
        Assert.True(AdminCardWorld.IsNewUseCaseForm(sent[0]));
        Assert.True(AdminCardWorld.IsNewUseCaseForm(sent[1]));
        Assert.StartsWith("Only ValueBot admins", AdminCardWorld.TextOf(sent[2]), StringComparison.Ordinal);
        Assert.False(AdminCardWorld.IsNewUseCaseForm(sent[2]));
        // Grace's second command is answered from the cache.
        var checks = graph.Requests.Where(r => r.Method == "POST" && r.Route is [_, _, "checkMemberGroups"]).ToList();
        Assert.Equal([Grace.AadObjectId, Ada.AadObjectId], checks.Select(r => r.Route[1]));
        Assert.All(checks, r => Assert.Equal(AdminGroup, (string?)r.Json!["groupIds"]![0]));
    }

    [Fact]
    public async Task WhenGraphFailsAGroupMemberIsNotTreatedAsAnAdmin()
    {
        await using var graph = await FakeGraph.StartAsync();
        graph.AddUser(new GraphUser(Grace.AadObjectId, "grace@contoso.com", Grace.Name));
        graph.AddGroupMember(AdminGroup, Grace.AadObjectId);
        graph.Enqueue(FakeGraph.ServiceUnavailable(), r => r.Route is [_, _, "checkMemberGroups"]);
        await using var database = TestDatabase.CreateSqlite();
        var settings = WithGraph(graph);
        settings["Graph:MaxRetries"] = "0";
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, settings);

        await host.SendFromTeamsAsync(Message(Grace, "new use case"));

        var sent = Assert.Single(host.Connector.Requests, r => r.Method == "POST");
        Assert.StartsWith("Only ValueBot admins", AdminCardWorld.TextOf(sent), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutGraphAGroupMemberIsNotAnAdminButAListedOneIs()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Admin:TeamsAdminGroups"] = AdminGroup,
            ["Admin:TeamsAdmins"] = Ada.AadObjectId,
        });

        await host.SendFromTeamsAsync(Message(Grace, "new use case"));
        await host.SendFromTeamsAsync(Message(Ada, "new use case"));

        var sent = host.Connector.Requests.Where(r => r.Method == "POST").ToList();
        Assert.StartsWith("Only ValueBot admins", AdminCardWorld.TextOf(sent[0]), StringComparison.Ordinal);
        Assert.True(AdminCardWorld.IsNewUseCaseForm(sent[1]));
    }

    [Theory]
    [InlineData(true, "", "6a1c0e52-0000-4000-8000-0000000000a1", false, new[] { 3003, 3004 })]
    [InlineData(true, "a-local-key", "", false, new int[0])]
    [InlineData(false, "", "6a1c0e52-0000-4000-8000-0000000000a1", true, new int[0])]
    [InlineData(false, "", "6a1c0e52-0000-4000-8000-0000000000a1", false, new[] { 3004 })]
    public async Task WarnsAtStartUpAboutWhatTheAdminSettingsWillNotDo(bool localMode, string localKey, string groups, bool graphEnabled, int[] expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Admin:TeamsAdminGroups"] = groups,
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton(Options.Create(new ValueBot.Web.People.GraphOptions { Enabled = graphEnabled }))
            .BuildServiceProvider();
        var logger = new FakeLogger<AdminStartupChecks>();
        var checks = new AdminStartupChecks(
            Options.Create(new AdminOptions { LocalKey = localKey }), Options.Create(new BotOptions { LocalMode = localMode }),
            configuration, services, logger);

        await checks.StartAsync(CancellationToken.None);

        var entries = logger.Collector.GetSnapshot();
        Assert.Equal(expected, entries.Select(e => e.Id.Id));
        Assert.All(entries, e => Assert.Equal(LogLevel.Warning, e.Level));
        if (expected.Contains(3003))
        {
            Assert.Contains("accepts only Entra ID tokens", entries.First(e => e.Id.Id == 3003).Message);
        }

        if (expected.Contains(3004))
        {
            Assert.Contains("not treated as admins", entries.First(e => e.Id.Id == 3004).Message);
        }
    }

    private static Dictionary<string, string?> WithGraph(FakeGraph graph) => new()
    {
        ["Admin:TeamsAdminGroups:0"] = AdminGroup,
        ["Graph:Enabled"] = "true",
        ["Graph:BaseUrl"] = graph.BaseUrl,
        ["Graph:Credential:Type"] = "None",
        ["Graph:TeamsAppExternalId"] = "5f0c6e2a-8d4b-4a57-9d1e-7c3b2a1f0e9d",
    };
}
