using System.Text.Json.Nodes;
using ValueBot.Testing;

namespace ValueBot.Manifest.Tests;

/// <summary>The tabs in the manifest: a personal "Portfolio" tab, a configurable channel tab, and the SSO resource they sign in with.</summary>
public sealed class TabManifestTests
{
    private const string BotId = "6f1c2e0a-8d3b-4a57-9c1e-2b7d4f8a9e10";
    private const string Domain = "valuebot-web.azurewebsites.net";

    private static JsonNode Filled => JsonNode.Parse(ManifestFiles.Fill(BotId, Domain))!;

    [Fact]
    public void FilledManifestWithItsTabsValidatesAgainstTheTeams129Schema()
    {
        var manifest = Filled;
        Assert.NotEmpty(manifest["staticTabs"]!.AsArray());
        Assert.NotEmpty(manifest["configurableTabs"]!.AsArray());
        SchemaValidator.AssertValid(RepositoryPaths.TeamsManifestSchema, manifest.ToJsonString());
    }

    [Fact]
    public void PersonalPortfolioTabPointsAtTheTabPagesOnTheBotsHost()
    {
        var tab = Filled["staticTabs"]!.AsArray().Single(t => (string?)t!["entityId"] == "portfolio")!;
        Assert.Equal("Portfolio", (string?)tab["name"]);
        Assert.Equal(["personal"], tab["scopes"]!.AsArray().Select(s => (string?)s));
        var content = new Uri(((string)tab["contentUrl"]!).Replace("{theme}", "dark", StringComparison.Ordinal));
        Assert.Equal("https", content.Scheme);
        Assert.Equal(Domain, content.Host);
        Assert.Equal("/tab/portfolio", content.AbsolutePath);
        Assert.Contains("theme=dark", content.Query, StringComparison.Ordinal);
    }

    [Fact]
    public void PersonalAppKeepsTheChatWithTheBot()
    {
        var ids = Filled["staticTabs"]!.AsArray().Select(t => (string?)t!["entityId"]).ToList();
        Assert.Contains("conversations", ids);
    }

    [Fact]
    public void ChannelTabIsConfigurableInTeamsFromTheConfigurePage()
    {
        var tab = Filled["configurableTabs"]!.AsArray().Single()!;
        Assert.Equal(["team"], tab["scopes"]!.AsArray().Select(s => (string?)s));
        var configure = new Uri(((string)tab["configurationUrl"]!).Replace("{theme}", "default", StringComparison.Ordinal));
        Assert.Equal(Domain, configure.Host);
        Assert.Equal("/tab/configure", configure.AbsolutePath);
    }

    [Fact]
    public void SingleSignOnResourceIsTheAudienceTheTabTokensCarry()
    {
        var manifest = Filled;
        var info = manifest["webApplicationInfo"]!;
        Assert.Equal(BotId, (string?)info["id"]);
        // The server accepts exactly this audience (TabAuthentication: api://<host>/<bot app id>).
        Assert.Equal($"api://{Domain}/{BotId}", (string?)info["resource"]);
        Assert.Contains(Domain, manifest["validDomains"]!.AsArray().Select(d => (string?)d));
    }

    [Fact]
    public void EveryTabUrlIsOnAValidDomain()
    {
        var manifest = Filled;
        var domains = manifest["validDomains"]!.AsArray().Select(d => (string)d!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var urls = manifest["staticTabs"]!.AsArray().SelectMany(t => new[] { (string?)t!["contentUrl"], (string?)t["websiteUrl"] })
            .Concat(manifest["configurableTabs"]!.AsArray().Select(t => (string?)t!["configurationUrl"]))
            .OfType<string>();
        foreach (var url in urls)
        {
            Assert.Contains(new Uri(url.Replace("{theme}", "default", StringComparison.Ordinal)).Host, domains);
        }
    }
}
