using System.Net;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Admin.AdminClient;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Hosting;

/// <summary>The HTTP edge: security headers, no Server header, 429 with Retry-After on the bot and admin endpoints.</summary>
public sealed class WebSecurityTests
{
    [Fact]
    public async Task EveryResponseCarriesTheSecurityHeadersAndNoServerHeader()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);

        foreach (var response in new[]
        {
            await host.Http.GetAsync("/"),
            await host.PostAsync(PersonalInstall(Ada, host.ServiceUrl), bearer: null),
            await SendAsync(host, HttpMethod.Get, "/api/admin/use-cases"),
        })
        {
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'self' https://teams.microsoft.com", csp);
            Assert.False(response.Headers.Contains("Server"), "no Server header");
        }
    }

    [Fact]
    public async Task TheAdminApiAnswers429WithRetryAfterPastItsLimit()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString,
            new Dictionary<string, string?> { ["RateLimits:AdminPerCallerPerMinute"] = "3" });

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 5; i++)
        {
            last = await SendAsync(host, HttpMethod.Get, "/api/admin/use-cases");
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(int.Parse(Assert.Single(last!.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    [Fact]
    public async Task OneConversationFloodingTheBotGets429WithRetryAfterWhileOthersPass()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString,
            new Dictionary<string, string?> { ["Bot:RateLimits:ConversationBurst"] = "3", ["Bot:RateLimits:ConversationPerMinute"] = "6" });

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 5; i++)
        {
            last = await host.SendFromTeamsAsync(Message(Ada, "help"));
            statuses.Add(last.StatusCode);
        }

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.True(int.Parse(Assert.Single(last!.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(HttpStatusCode.OK, (await host.SendFromTeamsAsync(Message(Grace, "help"))).StatusCode);
    }
}
