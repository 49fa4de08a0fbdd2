using System.Net;
using Microsoft.Extensions.Options;
using ValueBot.Teams.Auth;
using ValueBot.Teams.Hosting;
using ValueBot.Teams.Tests.Support;
using ValueBot.Testing;

namespace ValueBot.Teams.Tests;

/// <summary>One issuer and one bot host shared by the token tests; keys the cases need are published before start.</summary>
public sealed class AuthFixture : IAsyncLifetime
{
    public FakeTokenIssuer Issuer { get; private set; } = null!;

    public BotHost Host { get; private set; } = null!;

    public FakeSigningKey WebChatOnlyKey { get; private set; } = null!;

    public FakeSigningKey UnendorsedKey { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Issuer = await FakeTokenIssuer.StartAsync();
        WebChatOnlyKey = Issuer.CreateKey("webchat-only", publish: true, "webchat");
        UnendorsedKey = Issuer.CreateKey("no-endorsements", publish: false);
        UnendorsedKey.Endorsements = null;
        Issuer.Publish(UnendorsedKey);
        Host = await BotHost.StartAsync(Issuer);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}

public sealed class AuthenticationTests(AuthFixture fixture) : IClassFixture<AuthFixture>
{
    private const string ServiceUrl = Activities.ServiceUrl;
    private FakeTokenIssuer Issuer => fixture.Issuer;

    [Fact]
    public async Task AcceptsValidBotFrameworkToken()
    {
        var activity = Activities.Message("help");
        activity.Id = "bf-valid";

        var response = await fixture.Host.PostAsync(activity, Issuer.CreateBotFrameworkToken(BotHost.AppId, ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var turn = Assert.Single(fixture.Host.Probe.Turns, t => t.Activity.Id == "bf-valid");
        Assert.Equal(CallerKind.BotFramework, turn.Caller.Kind);
        Assert.Equal(ServiceUrl, turn.Caller.Identity.FindFirst("serviceurl")?.Value);
    }

    [Fact]
    public async Task AcceptsTokenExpiredWithinFiveMinuteSkew()
    {
        var activity = Activities.Message("help");
        activity.Id = "bf-skew";
        var token = Issuer.CreateBotFrameworkToken(BotHost.AppId, ServiceUrl,
            notBefore: DateTimeOffset.UtcNow.AddHours(-1), expires: DateTimeOffset.UtcNow.AddMinutes(-2));

        var response = await fixture.Host.PostAsync(activity, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(fixture.Host.Probe.Turns, t => t.Activity.Id == "bf-skew");
    }

    [Fact]
    public async Task ServiceUrlClaimComparisonIgnoresCase()
    {
        var activity = Activities.Message("help");
        activity.Id = "bf-case";

        var response = await fixture.Host.PostAsync(activity, Issuer.CreateBotFrameworkToken(BotHost.AppId, ServiceUrl.ToUpperInvariant()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("v2", BotHost.AppId)]
    [InlineData("v1", "api://" + BotHost.AppId)]
    [InlineData("v2", "api://botid-" + BotHost.AppId)]
    public async Task AcceptsValidEntraSingleTenantToken(string version, string audience)
    {
        var activity = Activities.Message("help");
        activity.Id = $"entra-{version}-{audience}";
        var token = Issuer.CreateEntraToken(BotHost.TenantId, audience, serviceUrl: ServiceUrl, v1Issuer: version == "v1");

        var response = await fixture.Host.PostAsync(activity, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var turn = Assert.Single(fixture.Host.Probe.Turns, t => t.Activity.Id == activity.Id);
        Assert.Equal(CallerKind.Entra, turn.Caller.Kind);
    }

    public static TheoryData<string> RejectedCases =>
    [
        "no header", "basic scheme", "not a jwt", "expired", "not yet valid", "wrong audience", "outbound connector audience",
        "wrong issuer", "alg none", "unknown key", "key without msteams endorsement", "key without endorsements",
        "missing serviceurl", "mismatching serviceurl", "tampered payload", "no expiry",
        "entra other tenant", "entra wrong audience", "entra mismatching serviceurl", "entra untrusted serviceurl without claim",
        "alg HS256", "expired beyond skew", "not yet valid beyond skew",
        "msteams key, channelId absent", "msteams key, channelId empty", "msteams key, channelId webchat", "msteams key, channelId skype",
        "webchat key, channelId absent", "webchat key, channelId empty",
        "entra without serviceurl claim", "entra caller not allowed", "entra without caller", "entra v1 caller not allowed",
        "entra delegated user token (scp)", "entra delegated user token (idtyp)", "entra tid missing",
    ];

    public static TheoryData<string> ForbiddenCases => ["activity from another tenant (conversation)", "activity from another tenant (channelData)"];

    [Theory]
    [MemberData(nameof(ForbiddenCases))]
    public async Task RefusesActivityFromAnotherTenantWith403(string @case)
    {
        var activity = Activities.Message("help");
        activity.Id = "forbidden-" + @case;
        const string otherTenant = "99999999-9999-9999-9999-999999999999";
        if (@case.Contains("conversation", StringComparison.Ordinal))
        {
            activity.Conversation!.TenantId = otherTenant;
        }
        else
        {
            activity.ChannelData!.Tenant!.Id = otherTenant;
        }

        var response = await fixture.Host.PostAsync(activity, Issuer.CreateBotFrameworkToken(BotHost.AppId, ServiceUrl));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(fixture.Host.Probe.Turns, t => t.Activity.Id == activity.Id);
    }

    [Theory]
    [MemberData(nameof(RejectedCases))]
    public async Task RejectsWith401AndDoesNotRunHandler(string @case)
    {
        var id = "rejected-" + @case;
        var activity = Activities.Message("help");
        activity.Id = id;
        var now = DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object> { ["serviceurl"] = ServiceUrl };
        string? header = @case switch
        {
            "no header" => null,
            "basic scheme" => "Basic " + Issuer.CreateBotFrameworkToken(BotHost.AppId, ServiceUrl),
            "not a jwt" => "Bearer abc.def",
            "expired" => Bearer(Issuer.CreateBotFrameworkToken(BotHost.AppId, ServiceUrl, notBefore: now.AddHours(-2), expires: now.AddMinutes(-10))),
            "not yet valid" => Bearer(Issuer.CreateBotFrameworkToken(BotHost.AppId, ServiceUrl, notBefore: now.AddMinutes(10), expires: now.AddHours(1))),
            "wrong audience" => Bearer(Issuer.CreateBotFrameworkToken("22222222-2222-2222-2222-222222222222", ServiceUrl)),
            "outbound connector audience" => Bearer(Issuer.CreateBotFrameworkToken("https://api.botframework.com", ServiceUrl)),
            "wrong issuer" => Bearer(Issuer.CreateToken(new FakeTokenSpec { Issuer = "https://api.botframework.com.evil.example", Audience = BotHost.AppId, Claims = claims })),
            "alg none" => Bearer(FakeTokenIssuer.CreateUnsignedToken(new Dictionary<string, object>
            {
                ["iss"] = FakeTokenIssuer.BotFrameworkIssuer, ["aud"] = BotHost.AppId, ["serviceurl"] = ServiceUrl,
                ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(), ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
            })),
            "unknown key" => Bearer(Issuer.CreateBotFrameworkToken(BotHost.AppId, ServiceUrl, key: Issuer.CreateKey("rogue", publish: false, "msteams"))),
            "key without msteams endorsement" => Bearer(Issuer.CreateBotFrameworkToken(BotHost.AppId, ServiceUrl, key: fixture.WebChatOnlyKey)),
            "key without endorsements" => Bearer(Issuer.CreateBotFrameworkToken(BotHost.AppId, ServiceUrl, key: fixture.UnendorsedKey)),
            "missing serviceurl" => Bearer(Issuer.CreateBotFrameworkToken(BotHost.AppId, serviceUrl: null)),
            "mismatching serviceurl" => Bearer(Issuer.CreateBotFrameworkToken(BotHost.AppId, "https://smba.trafficmanager.net/emea/")),
            "tampered payload" => Bearer(FakeTokenIssuer.Tamper(Issuer.CreateBotFrameworkToken(BotHost.AppId, "https://smba.trafficmanager.net/emea/"), "serviceurl", ServiceUrl)),
            "no expiry" => Bearer(Issuer.CreateToken(new FakeTokenSpec { Issuer = FakeTokenIssuer.BotFrameworkIssuer, Audience = BotHost.AppId, Claims = claims, OmitExpiry = true })),
            "entra other tenant" => Bearer(Issuer.CreateEntraToken("33333333-3333-3333-3333-333333333333", BotHost.AppId, ServiceUrl)),
            "entra wrong audience" => Bearer(Issuer.CreateEntraToken(BotHost.TenantId, "https://api.botframework.com", ServiceUrl)),
            "entra mismatching serviceurl" => Bearer(Issuer.CreateEntraToken(BotHost.TenantId, BotHost.AppId, "https://smba.trafficmanager.net/emea/")),
            "entra untrusted serviceurl without claim" => Bearer(Issuer.CreateEntraToken(BotHost.TenantId, BotHost.AppId, serviceUrl: null)),
            "alg HS256" => Bearer(SymmetricToken(now)),
            "expired beyond skew" => Bearer(Issuer.CreateBotFrameworkToken(BotHost.AppId, ServiceUrl, notBefore: now.AddHours(-2), expires: now.AddMinutes(-6))),
            "not yet valid beyond skew" => Bearer(Issuer.CreateBotFrameworkToken(BotHost.AppId, ServiceUrl, notBefore: now.AddMinutes(6), expires: now.AddHours(1))),
            "msteams key, channelId absent" or "msteams key, channelId empty" or "msteams key, channelId webchat" or "msteams key, channelId skype"
                => Bearer(Issuer.CreateBotFrameworkToken(BotHost.AppId, ServiceUrl)),
            "webchat key, channelId absent" or "webchat key, channelId empty"
                => Bearer(Issuer.CreateBotFrameworkToken(BotHost.AppId, ServiceUrl, key: fixture.WebChatOnlyKey)),
            "entra without serviceurl claim" => Bearer(Issuer.CreateEntraToken(BotHost.TenantId, BotHost.AppId, serviceUrl: null)),
            "entra caller not allowed" => Bearer(Issuer.CreateEntraToken(BotHost.TenantId, BotHost.AppId, ServiceUrl, caller: "44444444-4444-4444-4444-444444444444")),
            "entra without caller" => Bearer(Issuer.CreateEntraToken(BotHost.TenantId, BotHost.AppId, ServiceUrl, caller: null)),
            "entra v1 caller not allowed" => Bearer(Issuer.CreateEntraToken(BotHost.TenantId, BotHost.AppId, ServiceUrl, v1Issuer: true, caller: BotHost.AppId)),
            "entra delegated user token (scp)" => Bearer(Issuer.CreateEntraToken(BotHost.TenantId, BotHost.AppId, ServiceUrl,
                extraClaims: new Dictionary<string, object> { ["scp"] = "access_as_user" })),
            "entra delegated user token (idtyp)" => Bearer(Issuer.CreateEntraToken(BotHost.TenantId, BotHost.AppId, ServiceUrl,
                extraClaims: new Dictionary<string, object> { ["idtyp"] = "user" })),
            "entra tid missing" => Bearer(TokenWithoutTid()),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };
        if (@case == "entra untrusted serviceurl without claim")
        {
            activity.ServiceUrl = "https://attacker.example/teams/";
        }

        activity.ChannelId = @case switch
        {
            _ when @case.EndsWith("channelId absent", StringComparison.Ordinal) => null,
            _ when @case.EndsWith("channelId empty", StringComparison.Ordinal) => "",
            _ when @case.EndsWith("channelId webchat", StringComparison.Ordinal) => "webchat",
            _ when @case.EndsWith("channelId skype", StringComparison.Ordinal) => "skype",
            _ => activity.ChannelId,
        };

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(activity, Schema.TeamsJsonContext.Default.Activity), System.Text.Encoding.UTF8, "application/json"),
        };
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", header);
        }

        var response = await fixture.Host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(fixture.Host.Probe.Turns, t => t.Activity.Id == id);
    }

    private static string Bearer(string token) => "Bearer " + token;

    // A token signed with a shared secret (HS256): the algorithm allow-list must refuse it whatever the key.
    private static string SymmetricToken(DateTimeOffset now) =>
        new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                ["iss"] = FakeTokenIssuer.BotFrameworkIssuer, ["aud"] = BotHost.AppId, ["serviceurl"] = ServiceUrl,
                ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(), ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
            },
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes("a-shared-secret-that-is-long-enough-for-hs256!")) { KeyId = "default" },
                Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });

    private string TokenWithoutTid() => Issuer.CreateToken(new FakeTokenSpec
    {
        Issuer = $"https://login.microsoftonline.com/{BotHost.TenantId}/v2.0",
        Audience = BotHost.AppId,
        Claims = new Dictionary<string, object> { ["ver"] = "2.0", ["azp"] = FakeTokenIssuer.EntraCaller, ["serviceurl"] = ServiceUrl },
    });
}

public sealed class KeyRotationTests
{
    [Fact]
    public async Task AcceptsTokenSignedWithKeyRotatedInAfterStartUp()
    {
        await using var issuer = await FakeTokenIssuer.StartAsync();
        await using var host = await BotHost.StartAsync(issuer);
        var first = Activities.Message("help");
        first.Id = "before-rotation";
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync(first, issuer.CreateBotFrameworkToken(BotHost.AppId, Activities.ServiceUrl))).StatusCode);
        var keyFetchesBefore = issuer.KeyRequests;

        var rotated = issuer.CreateKey("rotated-in", publish: true, "msteams");
        var second = Activities.Message("help");
        second.Id = "after-rotation";
        var response = await host.PostAsync(second, issuer.CreateBotFrameworkToken(BotHost.AppId, Activities.ServiceUrl, key: rotated));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(host.Probe.Turns, t => t.Activity.Id == "after-rotation");
        Assert.True(issuer.KeyRequests > keyFetchesBefore, "the unknown kid should have caused a key refresh");
    }
}

public sealed class LocalModeTests
{
    [Fact]
    public async Task AcceptsNoTokenRequestFromLoopbackInLocalMode()
    {
        await using var issuer = await FakeTokenIssuer.StartAsync();
        await using var host = await BotHost.StartAsync(issuer, new Dictionary<string, string?> { ["Bot:LocalMode"] = "true" });
        var activity = Activities.Message("help");
        activity.Id = "local";

        var response = await host.PostAsync(activity, bearer: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var turn = Assert.Single(host.Probe.Turns);
        Assert.Equal(CallerKind.LocalAnonymous, turn.Caller.Kind);
        Assert.True(turn.IsLocalMode);
    }

    [Fact]
    public async Task LocalModeRepliesToALoopbackConnectorWithoutAToken()
    {
        await using var issuer = await FakeTokenIssuer.StartAsync();
        await using var connector = await FakeConnector.StartAsync();
        await using var host = await BotHost.StartAsync(issuer, new Dictionary<string, string?> { ["Bot:LocalMode"] = "true" });
        var activity = Activities.Message("", connector.ServiceUrl);
        activity.ReplyToId = "card-7";
        activity.Value = System.Text.Json.JsonSerializer.SerializeToElement(new { verb = "approve", comment = "local" });

        var response = await host.PostAsync(activity, bearer: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var put = await connector.WaitForRequestAsync(r => r.Method == "PUT");
        Assert.Equal("/teams/v3/conversations/a%3A1%40x%3By/activities/card-7", put.RawTarget);
        Assert.Null(put.Authorization);
    }

    [Fact]
    public async Task StillValidatesAPresentTokenInLocalMode()
    {
        await using var issuer = await FakeTokenIssuer.StartAsync();
        await using var host = await BotHost.StartAsync(issuer, new Dictionary<string, string?> { ["Bot:LocalMode"] = "true" });

        var response = await host.PostAsync(Activities.Message("help"), bearer: "not-a-token");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(host.Probe.Turns);
    }

    [Fact]
    public async Task RejectsNoTokenRequestWhenLocalModeIsOff()
    {
        await using var issuer = await FakeTokenIssuer.StartAsync();
        await using var host = await BotHost.StartAsync(issuer);

        var response = await host.PostAsync(Activities.Message("help"), bearer: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(host.Probe.Turns);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Prod")]
    [InlineData("Staging")]
    [InlineData("development")]
    [InlineData("Development2")]
    public async Task StartUpFailsWhenLocalModeIsOnOutsideDevelopment(string environment)
    {
        await using var issuer = await FakeTokenIssuer.StartAsync();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            BotHost.StartAsync(issuer, new Dictionary<string, string?> { ["Bot:LocalMode"] = "true" }, environment: environment));

        Assert.Contains("Bot:LocalMode", error.Message);
        Assert.Contains(environment, error.Message);
    }

    [Fact]
    public void OnlyTheExactDevelopmentNameCountsAsDevelopment()
    {
        Assert.True(BotOptions.IsDevelopment("Development"));
        Assert.True(BotOptions.IsDevelopment(" Development "));
        Assert.False(BotOptions.IsDevelopment("Production "));
        Assert.False(BotOptions.IsDevelopment("DEVELOPMENT"));
        Assert.False(BotOptions.IsDevelopment(null));
    }

    [Fact]
    public async Task StartUpFailsWithoutAppIdOutsideLocalMode()
    {
        await using var issuer = await FakeTokenIssuer.StartAsync();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            BotHost.StartAsync(issuer, new Dictionary<string, string?> { ["Bot:AppId"] = "" }));

        Assert.Contains("Bot:AppId", error.Message);
    }

    [Fact]
    public void NoneCredentialIsRefusedOutsideLocalMode()
    {
        var options = new BotOptions { AppId = BotHost.AppId, Credential = { Type = BotCredentialType.None } };

        Assert.Throws<InvalidOperationException>(() => TeamsBotServiceCollectionExtensions.CreateCredential(options));
        Assert.Null(TeamsBotServiceCollectionExtensions.CreateCredential(new BotOptions { LocalMode = true }).Credential);
    }
}
