using System.Net;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Admin.AdminClient;

namespace ValueBot.Web.Tests.Admin;

/// <summary>Who may call /api/admin: Entra tokens from the loopback issuer, and the local key only in local mode.</summary>
public sealed class AdminAuthenticationTests
{
    [Theory]
    [ClassData(typeof(Engines))]
    public async Task OnlyAValidTokenWithTheAdminRoleGetsIn(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        const string path = "/api/admin/use-cases";

        var none = await SendAsync(host, HttpMethod.Get, path, token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(host, HttpMethod.Get, path,
            token: Token(host, expires: host.Time.GetUtcNow().AddMinutes(-10), notBefore: host.Time.GetUtcNow().AddHours(-1)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(host, HttpMethod.Get, path, token: Token(host, audience: "api://someone-else"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(host, HttpMethod.Get, path, token: "not-a-jwt")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(host, HttpMethod.Get, path, token: Token(host, role: null))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(host, HttpMethod.Get, path, token: Token(host, role: "ValueBot.Reader"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(host, HttpMethod.Get, path)).StatusCode);
        // Authentication comes before reading the body: no token and malformed JSON is still 401.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(host, HttpMethod.Post, path, "{", token: null)).StatusCode);
    }

    [Fact]
    public async Task TheLocalKeyIsAcceptedOnlyInLocalMode()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using (var local = await ValueBotTestHost.StartAsync(database.ConnectionString,
            new Dictionary<string, string?> { ["Bot:LocalMode"] = "true", ["Admin:LocalKey"] = "local-secret" }))
        {
            Assert.Equal(HttpStatusCode.OK, (await KeyAsync(local, "local-secret")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await KeyAsync(local, "wrong")).StatusCode);
        }

        await using var production = await ValueBotTestHost.StartAsync(database.ConnectionString,
            new Dictionary<string, string?> { ["Admin:LocalKey"] = "local-secret" });
        Assert.Equal(HttpStatusCode.Unauthorized, (await KeyAsync(production, "local-secret")).StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("10.0.0.5", false)]
    [InlineData("203.0.113.9", false)]
    public async Task TheLocalKeyCountsOnlyFromALoopbackAddress(string remoteAddress, bool accepted)
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString,
            new Dictionary<string, string?> { ["Bot:LocalMode"] = "true", ["Admin:LocalKey"] = "local-secret" });
        await using var scope = host.Services.CreateAsyncScope();
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(remoteAddress);
        http.Request.Headers["X-ValueBot-Admin-Key"] = "local-secret";

        var result = await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.AuthenticateAsync(http, ValueBot.Web.Admin.AdminAuthentication.LocalKeyScheme);

        Assert.Equal(accepted, result.Succeeded);
    }

    private static Task<HttpResponseMessage> KeyAsync(ValueBotTestHost host, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/use-cases");
        request.Headers.Add("X-ValueBot-Admin-Key", key);
        return host.Http.SendAsync(request);
    }
}
