using System.Net;
using System.Text.Json.Nodes;
using ValueBot.Testing;
using ValueBot.Web.Hosting;
using ValueBot.Web.Tests.Support;

namespace ValueBot.Web.Tests.Hosting;

/// <summary>The privacy and terms pages the Teams manifest links to are served by the app.</summary>
public sealed class LegalPagesTests
{
    [Theory]
    [InlineData("privacyUrl", "ValueBot - privacy", "What it stores")]
    [InlineData("termsOfUseUrl", "ValueBot - terms of use", "provided as is")]
    public async Task TheManifestsDeveloperLinkIsServedAsPlainText(string manifestField, string title, string fragment)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "manifest", "manifest.json")))!;
        var link = manifest["developer"]![manifestField]!.GetValue<string>();
        Assert.StartsWith("https://{{BOT_DOMAIN}}/", link, StringComparison.Ordinal);
        var path = link["https://{{BOT_DOMAIN}}".Length..];

        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        using var response = await host.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith(title, text, StringComparison.Ordinal);
        Assert.Contains(fragment, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePagesAnswerOnlyGetAndNeedNoAuthentication()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);

        using var head = await host.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, LegalPages.PrivacyPath));
        using var post = await host.Http.PostAsync(LegalPages.TermsPath, new StringContent(""));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode); // HEAD is answered like GET
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }
}
