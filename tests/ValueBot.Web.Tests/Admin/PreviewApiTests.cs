using System.Net;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Admin.AdminClient;

namespace ValueBot.Web.Tests.Admin;

/// <summary>The previews on the admin API: the cards the schedule would post, for any period, with nothing posted.</summary>
public sealed class PreviewApiTests
{
    [Fact]
    public async Task ReturnsTheCardOfEachPreviewAndA400ForAnUnknownKindOrPeriod()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var id = (await JsonAsync(await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", Serialize(ValidUseCase()))))["id"]!.GetValue<string>();
        await SeedAnswerAsync(host, id, "2026-W06", activeUsers: 70);

        var monthly = await SendAsync(host, HttpMethod.Get, "/api/admin/previews/monthly?period=2026-02");
        var weekly = await SendAsync(host, HttpMethod.Get, "/api/admin/previews/weekly?period=2026-W06");
        var quarterly = await SendAsync(host, HttpMethod.Get, "/api/admin/previews/quarterly?period=2026-w06");

        Assert.Equal(HttpStatusCode.OK, monthly.StatusCode);
        var month = await JsonAsync(monthly);
        Assert.Equal("AdaptiveCard", month["type"]!.GetValue<string>());
        Assert.Contains("Monthly financial review — February 2026", Digests.DigestWorld.Texts(month.ToJsonString()), StringComparison.Ordinal);
        Assert.Contains("AI portfolio — week 2026-W06", Digests.DigestWorld.Texts((await JsonAsync(weekly)).ToJsonString()), StringComparison.Ordinal);
        Assert.Contains("as of week 2026-W06", Digests.DigestWorld.Texts((await JsonAsync(quarterly)).ToJsonString()), StringComparison.Ordinal);

        var badKind = await SendAsync(host, HttpMethod.Get, "/api/admin/previews/yearly");
        var badPeriod = await SendAsync(host, HttpMethod.Get, "/api/admin/previews/weekly?period=last-friday");
        Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
        Assert.True((await JsonAsync(badKind))["errors"]!.AsObject().ContainsKey("kind"));
        Assert.Equal(HttpStatusCode.BadRequest, badPeriod.StatusCode);
        Assert.True((await JsonAsync(badPeriod))["errors"]!.AsObject().ContainsKey("period"));
        var unauthenticated = await SendAsync(host, HttpMethod.Get, "/api/admin/previews/weekly", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);

        var run = await SendAsync(host, HttpMethod.Post, "/api/admin/check-in-cycle/run");
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.NotNull((await JsonAsync(run))["scheduled"]);
    }
}
