using ValueBot.Testing;
using ValueBot.Web.People;

namespace ValueBot.Web.Tests.People;

public sealed class GraphTeamsAppInstallerTests
{
    private const string AdaId = "11111111-1111-1111-1111-111111111111";
    private const string CatalogId = "e5a7d9b1-0c3f-4e2a-8b6d-1f4c7a9e2b30";
    private const string OtherCatalogId = "f0000000-0000-0000-0000-000000000001";

    [Fact]
    public async Task FindsTheCatalogIdByExternalIdAndCachesIt()
    {
        await using var f = await StartAsync();

        var first = await f.Installer.FindCatalogAppAsync(CancellationToken.None);
        var second = await f.Installer.FindCatalogAppAsync(CancellationToken.None);

        Assert.Equal(new CatalogAppResult.Found(CatalogId), first);
        Assert.Equal(first, second);
        var request = Assert.Single(f.Graph.Requests);
        Assert.Equal("/v1.0/appCatalogs/teamsApps", request.Path);
        Assert.Contains($"externalId eq '{GraphFixture.ExternalId}'", Uri.UnescapeDataString(request.Query), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallsTheAppForAUser()
    {
        await using var f = await StartAsync();

        var result = await f.Installer.InstallForUserAsync(AdaId, CancellationToken.None);

        Assert.Equal(new InstallResult.Installed(CatalogId, AlreadyInstalled: false), result);
        var post = Assert.Single(f.Graph.Requests, r => r.Method == "POST");
        Assert.Equal($"/v1.0/users/{AdaId}/teamwork/installedApps", post.Path);
        Assert.Equal($"{f.Graph.BaseUrl}/appCatalogs/teamsApps/{CatalogId}", (string?)post.Json?["teamsApp@odata.bind"]);
        Assert.Contains(CatalogId, f.Graph.InstalledAppIds(AdaId));
    }

    [Fact]
    public async Task InstallsTheAppForAUserNamedByUpn()
    {
        await using var f = await StartAsync();

        var result = await f.Installer.InstallForUserAsync("ada@contoso.com", CancellationToken.None);

        Assert.IsType<InstallResult.Installed>(result);
        Assert.Contains(f.Graph.Requests, r => r.Method == "POST" && r.Path == "/v1.0/users/ada@contoso.com/teamwork/installedApps");
    }

    [Fact]
    public async Task TreatsAlreadyInstalledAsSuccess()
    {
        await using var f = await StartAsync();
        f.Graph.AddInstallation(AdaId, CatalogId);

        var result = await f.Installer.InstallForUserAsync(AdaId, CancellationToken.None);

        Assert.Equal(new InstallResult.Installed(CatalogId, AlreadyInstalled: true), result);
        Assert.Contains(f.Graph.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task ReportsAnAppMissingFromTheCatalog()
    {
        await using var f = await GraphFixture.StartAsync();
        f.Graph.AddUser(new GraphUser(AdaId, "ada@contoso.com", "Ada"));
        f.Graph.AddCatalogApp(new GraphCatalogApp(OtherCatalogId, "some-other-manifest-id", "Other app"));

        var install = await f.Installer.InstallForUserAsync(AdaId, CancellationToken.None);
        var chat = await f.Installer.GetChatIdAsync(AdaId, CancellationToken.None);

        Assert.Equal(new InstallResult.NotInCatalog(GraphFixture.ExternalId), install);
        Assert.Equal(new ChatIdResult.NotInCatalog(GraphFixture.ExternalId), chat);
        Assert.DoesNotContain(f.Graph.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task ReportsAnUnknownUser()
    {
        await using var f = await StartAsync();

        var result = await f.Installer.InstallForUserAsync("nobody@contoso.com", CancellationToken.None);

        var notFound = Assert.IsType<InstallResult.NotFound>(result);
        Assert.Equal("nobody@contoso.com", notFound.User);
    }

    [Fact]
    public async Task ReportsAFailedInstallationWithoutThrowing()
    {
        await using var f = await StartAsync();
        f.Graph.Enqueue(FakeGraph.ServiceUnavailable(retryAfterSeconds: 10), r => r.Method == "POST");

        var result = await f.Installer.InstallForUserAsync(AdaId, CancellationToken.None);

        var failure = Assert.IsType<InstallResult.Failed>(result).Failure;
        Assert.Equal(503, failure.StatusCode);
        Assert.Equal("serviceNotAvailable", failure.ErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(10), failure.RetryAfter);
    }

    [Fact]
    public async Task GetsTheChatIdOfTheInstallation()
    {
        await using var f = await StartAsync();
        f.Graph.AddCatalogApp(new GraphCatalogApp(OtherCatalogId, "some-other-manifest-id", "Other app"));
        f.Graph.AddInstallation(AdaId, OtherCatalogId);
        await f.Installer.InstallForUserAsync(AdaId, CancellationToken.None);

        var result = await f.Installer.GetChatIdAsync(AdaId, CancellationToken.None);

        var found = Assert.IsType<ChatIdResult.Found>(result);
        Assert.Equal(f.Graph.ChatIdOf(AdaId, CatalogId), found.ChatId);
        Assert.EndsWith("@unq.gbl.spaces", found.ChatId, StringComparison.Ordinal);
        var list = Assert.Single(f.Graph.Requests, r => r.Method == "GET" && r.Route is ["users", _, "teamwork", "installedApps"]);
        var query = Uri.UnescapeDataString(list.Query);
        Assert.Contains($"teamsApp/id eq '{CatalogId}'", query, StringComparison.Ordinal);
        Assert.Contains("expand=teamsApp", query, StringComparison.Ordinal);
        Assert.Contains(f.Graph.Requests, r => r.Path == $"/v1.0/users/{AdaId}/teamwork/installedApps/{found.InstallationId}/chat");
    }

    [Fact]
    public async Task ReportsNotInstalledWhenTheUserHasNoInstallation()
    {
        await using var f = await StartAsync();

        var result = await f.Installer.GetChatIdAsync(AdaId, CancellationToken.None);

        Assert.Equal(new ChatIdResult.NotInstalled(AdaId), result);
    }

    [Fact]
    public async Task ReportsNotConfiguredWhenGraphIsDisabled()
    {
        await using var f = await StartAsync(new Dictionary<string, string?> { ["Graph:Enabled"] = "false" });

        Assert.IsType<CatalogAppResult.NotConfigured>(await f.Installer.FindCatalogAppAsync(CancellationToken.None));
        Assert.IsType<InstallResult.NotConfigured>(await f.Installer.InstallForUserAsync(AdaId, CancellationToken.None));
        Assert.IsType<ChatIdResult.NotConfigured>(await f.Installer.GetChatIdAsync(AdaId, CancellationToken.None));
        Assert.Empty(f.Graph.Requests);
    }

    private static async Task<GraphFixture> StartAsync(IDictionary<string, string?>? overrides = null)
    {
        var f = await GraphFixture.StartAsync(overrides);
        f.Graph.AddUser(new GraphUser(AdaId, "ada@contoso.com", "Ada Lovelace", "ada@contoso.com"));
        f.Graph.AddCatalogApp(new GraphCatalogApp(CatalogId, GraphFixture.ExternalId, "ValueBot"));
        return f;
    }
}
