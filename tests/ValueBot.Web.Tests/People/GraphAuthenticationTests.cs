using ValueBot.Testing;
using ValueBot.Web.People;

namespace ValueBot.Web.Tests.People;

public sealed class GraphAuthenticationTests
{
    [Fact]
    public async Task AttachesTheCredentialsBearerTokenToEveryGraphRequest()
    {
        await using var f = await GraphFixture.StartAsync();
        f.Graph.AddUser(new GraphUser("11111111-1111-1111-1111-111111111111", "ada@contoso.com", "Ada"));
        f.Graph.AddCatalogApp(new GraphCatalogApp("catalog-app-1", GraphFixture.ExternalId, "ValueBot"));

        await f.Directory.FindAsync("ada@contoso.com", CancellationToken.None);
        await f.Installer.InstallForUserAsync("ada@contoso.com", CancellationToken.None);

        Assert.NotEmpty(f.Graph.Requests);
        Assert.All(f.Graph.Requests, r => Assert.Equal("Bearer " + f.Credential.Token, r.Authorization));
        Assert.Equal([GraphCredential.Scope], f.Credential.LastScopes);
    }

    [Fact]
    public async Task ReusesTheTokenUntilShortlyBeforeItExpires()
    {
        await using var f = await GraphFixture.StartAsync();
        f.Graph.AddUser(new GraphUser("11111111-1111-1111-1111-111111111111", "ada@contoso.com", "Ada"));

        await f.Directory.FindAsync("ada@contoso.com", CancellationToken.None);
        await f.Directory.FindAsync("nobody@contoso.com", CancellationToken.None);

        Assert.True(f.Graph.Requests.Count >= 4);
        Assert.Equal(1, f.Credential.Calls);
    }

    [Fact]
    public async Task FetchesAFreshTokenWhenTheCachedOneIsAboutToExpire()
    {
        await using var f = await GraphFixture.StartAsync(tokenLifetime: TimeSpan.FromMinutes(2));
        f.Graph.AddUser(new GraphUser("11111111-1111-1111-1111-111111111111", "ada@contoso.com", "Ada"));

        await f.Directory.FindAsync("ada@contoso.com", CancellationToken.None);

        Assert.Equal(f.Graph.Requests.Count, f.Credential.Calls);
    }
}
