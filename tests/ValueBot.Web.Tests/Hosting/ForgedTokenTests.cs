using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ValueBot.Teams.Schema;
using ValueBot.Testing;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.Hosting;

/// <summary>
/// An attacker's tokens against the whole app: an install activity that would store an installation and send a
/// welcome if it got in. Each forged variant is refused (401, or 403 for another tenant) with nothing stored and
/// nothing sent, on both engines.
/// </summary>
public sealed class ForgedTokenTests
{
    private const string OtherTenant = "99999999-9999-9999-9999-999999999999";

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        var engines = TestDatabase.PostgresServer is null ? new[] { "sqlite" } : new[] { "sqlite", "postgres" };
        foreach (var engine in engines)
        {
            foreach (var @case in new[]
            {
                "wrong issuer", "wrong audience", "wrong signature", "alg none", "alg HS256", "expired beyond skew", "not yet valid beyond skew",
                "unknown key", "webchat key, channelId absent", "webchat key, channelId empty", "webchat key, channelId webchat",
                "msteams key, channelId skype", "missing serviceurl", "wrong serviceurl", "entra caller not on the list",
                "entra delegated user token", "entra wrong tid", "activity from another tenant",
            })
            {
                data.Add(engine, @case);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task IsRefusedWithNothingStoredAndNothingSent(string engine, string @case)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var issuer = host.Issuer;
        var activity = PersonalInstall(Ada, host.ServiceUrl);
        var appId = ValueBotTestHost.AppId;
        var tenant = ValueBotTestHost.TenantId;
        var now = host.Time.GetUtcNow();
        var webchatKey = issuer.CreateKey("webchat-" + Guid.NewGuid().ToString("N"), publish: true, "webchat");
        var claims = new Dictionary<string, object> { ["serviceurl"] = host.ServiceUrl };

        var token = @case switch
        {
            "wrong issuer" => issuer.CreateToken(new FakeTokenSpec { Issuer = "https://api.botframework.com.evil.example", Audience = appId, Claims = claims }),
            "wrong audience" => issuer.CreateBotFrameworkToken("22222222-2222-2222-2222-222222222222", host.ServiceUrl),
            "wrong signature" => FakeTokenIssuer.Tamper(issuer.CreateBotFrameworkToken(appId, "https://smba.trafficmanager.net/emea/"), "serviceurl", host.ServiceUrl),
            "alg none" => FakeTokenIssuer.CreateUnsignedToken(new Dictionary<string, object>
            {
                ["iss"] = FakeTokenIssuer.BotFrameworkIssuer, ["aud"] = appId, ["serviceurl"] = host.ServiceUrl,
                ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(), ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
            }),
            "alg HS256" => new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
            {
                Claims = new Dictionary<string, object>
                {
                    ["iss"] = FakeTokenIssuer.BotFrameworkIssuer, ["aud"] = appId, ["serviceurl"] = host.ServiceUrl,
                    ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(), ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
                },
                SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(new byte[64]) { KeyId = "default" }, SecurityAlgorithms.HmacSha256),
            }),
            "expired beyond skew" => issuer.CreateBotFrameworkToken(appId, host.ServiceUrl, notBefore: now.AddHours(-2), expires: now.AddMinutes(-6)),
            "not yet valid beyond skew" => issuer.CreateBotFrameworkToken(appId, host.ServiceUrl, notBefore: now.AddMinutes(6), expires: now.AddHours(1)),
            "unknown key" => issuer.CreateBotFrameworkToken(appId, host.ServiceUrl, key: issuer.CreateKey("rogue", publish: false, "msteams")),
            "webchat key, channelId absent" or "webchat key, channelId empty" or "webchat key, channelId webchat"
                => issuer.CreateBotFrameworkToken(appId, host.ServiceUrl, key: webchatKey),
            "msteams key, channelId skype" => issuer.CreateBotFrameworkToken(appId, host.ServiceUrl),
            "missing serviceurl" => issuer.CreateBotFrameworkToken(appId, serviceUrl: null),
            "wrong serviceurl" => issuer.CreateBotFrameworkToken(appId, "https://smba.trafficmanager.net/emea/"),
            "entra caller not on the list" => issuer.CreateEntraToken(tenant, appId, host.ServiceUrl, caller: "44444444-4444-4444-4444-444444444444"),
            "entra delegated user token" => issuer.CreateEntraToken(tenant, appId, host.ServiceUrl,
                extraClaims: new Dictionary<string, object> { ["scp"] = "access_as_user", ["idtyp"] = "user" }),
            "entra wrong tid" => issuer.CreateEntraToken(OtherTenant, appId, host.ServiceUrl),
            "activity from another tenant" => issuer.CreateBotFrameworkToken(appId, host.ServiceUrl),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };
        activity.ChannelId = @case switch
        {
            "webchat key, channelId absent" => null,
            "webchat key, channelId empty" => "",
            "webchat key, channelId webchat" => "webchat",
            "msteams key, channelId skype" => "skype",
            _ => activity.ChannelId,
        };
        if (@case == "activity from another tenant")
        {
            activity.Conversation!.TenantId = OtherTenant;
            activity.ChannelData!.Tenant!.Id = OtherTenant;
        }

        var response = await host.PostAsync(activity, token);

        Assert.Equal(@case == "activity from another tenant" ? HttpStatusCode.Forbidden : HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Installations.CountAsync()));
        Assert.Empty(host.Connector.Requests);
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task TheSameInstallWithAGenuineTokenIsStoredAndWelcomed(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);

        var response = await host.SendFromTeamsAsync(PersonalInstall(Ada, host.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Installations.CountAsync()));
        await host.Connector.WaitForRequestAsync(r => r.Method == "POST");
    }
}
