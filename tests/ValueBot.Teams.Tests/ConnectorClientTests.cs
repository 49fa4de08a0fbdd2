using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ValueBot.Teams.Cards;
using ValueBot.Teams.Connector;
using ValueBot.Teams.Schema;
using ValueBot.Teams.Tests.Support;
using ValueBot.Testing;

namespace ValueBot.Teams.Tests;

public sealed class ConnectorFixture : IAsyncLifetime
{
    public FakeConnector Connector { get; private set; } = null!;

    public async Task InitializeAsync() => Connector = await FakeConnector.StartAsync();

    public async Task DisposeAsync() => await Connector.DisposeAsync();
}

public sealed class ConnectorClientTests : IClassFixture<ConnectorFixture>, IDisposable
{
    private const string ConversationId = "a:1@x;y";
    private readonly FakeConnector _fake;
    private readonly StaticTokenCredential _credential = new("connector-token");
    private readonly ConnectorClient _client;
    private readonly HttpClient _http;

    // The client reads the clock only to turn a Retry-After date into a wait; nothing here waits on a timer.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 9, 10, 0, 0, TimeSpan.Zero));

    public ConnectorClientTests(ConnectorFixture fixture)
    {
        _fake = fixture.Connector;
        _fake.Reset();
        var policy = new ServiceUrlPolicy([_fake.ServiceUrl], allowLoopback: false);
        _http = new HttpClient(new ConnectorAuthenticationHandler(TokenOf(_credential, policy), policy) { InnerHandler = new HttpClientHandler() });
        _client = new ConnectorClient(_http, policy, _time, NullLogger<ConnectorClient>.Instance);
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task SendPostsToEscapedActivitiesPathWithBearerToken()
    {
        var result = await _client.SendAsync(_fake.ServiceUrl, ConversationId, Activity.CreateMessage("hello 👋"));

        Assert.Equal(ConnectorStatus.Success, result.Status);
        Assert.StartsWith("activity-", result.Value?.Id);
        Assert.StartsWith("op-", result.CorrelationId);
        var request = Assert.Single(_fake.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/teams/v3/conversations/a%3A1%40x%3By/activities", request.RawTarget);
        Assert.Equal("Bearer connector-token", request.Authorization);
        Assert.Equal(["https://api.botframework.com/.default"], _credential.LastScopes);
        Assert.Contains("application/json", request.Headers["Content-Type"]);
        Assert.Contains("charset=utf-8", request.Headers["Content-Type"], StringComparison.OrdinalIgnoreCase);
        Assert.Equal("hello 👋", request.Json!["text"]!.GetValue<string>());
        Assert.Equal("message", request.Json!["type"]!.GetValue<string>());
        Assert.Null(request.Json!["attachments"]);
    }

    [Fact]
    public async Task ServiceUrlWithoutTrailingSlashIsJoinedWithExactlyOneSlash()
    {
        await _client.SendAsync(_fake.ServiceUrl.TrimEnd('/'), ConversationId, Activity.CreateMessage("x"));

        Assert.Equal("/teams/v3/conversations/a%3A1%40x%3By/activities", Assert.Single(_fake.Requests).RawTarget);
    }

    [Fact]
    public async Task ReplyPostsToActivityPathAndSetsReplyToId()
    {
        var result = await _client.ReplyAsync(_fake.ServiceUrl, ConversationId, "1:root@x", Activity.CreateMessage("reply"));

        Assert.True(result.IsSuccess);
        var request = Assert.Single(_fake.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/teams/v3/conversations/a%3A1%40x%3By/activities/1%3Aroot%40x", request.RawTarget);
        Assert.Equal("1:root@x", request.Json!["replyToId"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdatePutsTheReplacementCard()
    {
        var card = new AdaptiveCard().Add(new TextBlock("updated"));

        var result = await _client.UpdateAsync(_fake.ServiceUrl, ConversationId, "card-1", Activity.CreateCardMessage(card));

        Assert.True(result.IsSuccess);
        Assert.Equal("card-1", result.Value?.Id);
        var request = Assert.Single(_fake.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/teams/v3/conversations/a%3A1%40x%3By/activities/card-1", request.RawTarget);
        Assert.Equal("updated", request.Json!["attachments"]![0]!["content"]!["body"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreatePersonalConversationSendsTenantTwiceAndOneMember()
    {
        var result = await _client.CreatePersonalConversationAsync(_fake.ServiceUrl, "tenant-1", "28:bot", "29:user");

        Assert.True(result.IsSuccess);
        Assert.StartsWith("a:conversation-", result.Value?.Id);
        var request = Assert.Single(_fake.Requests);
        Assert.Equal("/teams/v3/conversations", request.RawTarget);
        var body = request.Json!;
        Assert.False(body["isGroup"]!.GetValue<bool>());
        Assert.Equal("tenant-1", body["tenantId"]!.GetValue<string>());
        Assert.Equal("tenant-1", body["channelData"]!["tenant"]!["id"]!.GetValue<string>());
        Assert.Equal("28:bot", body["bot"]!["id"]!.GetValue<string>());
        Assert.Equal("29:user", Assert.Single(body["members"]!.AsArray())!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task StartChannelThreadSendsChannelAndMentions()
    {
        var mention = new Mention("29:owner", "Grace");
        var activity = Activity.CreateMessage($"New digest for {mention.Text}");
        activity.Entities = [mention.ToEntity()];

        var result = await _client.StartChannelThreadAsync(_fake.ServiceUrl, "tenant-1", "19:chan@thread.tacv2", activity);

        Assert.True(result.IsSuccess);
        Assert.StartsWith("19:chan@thread.tacv2;messageid=", result.Value?.Id);
        var body = Assert.Single(_fake.Requests).Json!;
        Assert.True(body["isGroup"]!.GetValue<bool>());
        Assert.Equal("19:chan@thread.tacv2", body["channelData"]!["channel"]!["id"]!.GetValue<string>());
        var entity = body["activity"]!["entities"]![0]!;
        Assert.Equal("mention", entity["type"]!.GetValue<string>());
        Assert.Equal("<at>Grace</at>", entity["text"]!.GetValue<string>());
        Assert.Equal("29:owner", entity["mentioned"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task PagedMembersFollowsContinuationTokens()
    {
        _fake.SetMembers("19:team@thread.tacv2", Enumerable.Range(1, 3).Select(i => new JsonObject
        {
            ["id"] = $"29:u{i}",
            ["name"] = $"User {i}",
            [i == 2 ? "objectId" : "aadObjectId"] = $"aad-{i}",
        }));

        var first = await _client.GetPagedMembersAsync(_fake.ServiceUrl, "19:team@thread.tacv2", pageSize: 2);
        var second = await _client.GetPagedMembersAsync(_fake.ServiceUrl, "19:team@thread.tacv2", pageSize: 2, first.Value!.ContinuationToken);

        Assert.Equal(["aad-1", "aad-2"], first.Value.Members!.Select(m => m.AadObjectId));
        Assert.Equal("aad-3", Assert.Single(second.Value!.Members!).AadObjectId);
        Assert.Null(second.Value.ContinuationToken);
        Assert.Equal("/teams/v3/conversations/19%3Ateam%40thread.tacv2/pagedmembers?pageSize=2", _fake.Requests[0].RawTarget);
        Assert.Equal("GET", _fake.Requests[1].Method);
        Assert.Contains("continuationToken=2", _fake.Requests[1].RawTarget);
    }

    [Fact]
    public async Task ThrottledWithRetryAfterSeconds()
    {
        _fake.Enqueue(ScriptedResponse.TooManyRequests(7));

        var result = await _client.SendAsync(_fake.ServiceUrl, ConversationId, Activity.CreateMessage("x"));

        Assert.Equal(ConnectorStatus.Throttled, result.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, result.HttpStatus);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
        Assert.Equal("TooManyRequests", result.ErrorCode);
    }

    [Fact]
    public async Task ThrottledWithRetryAfterDate()
    {
        _fake.Enqueue(ScriptedResponse.TooManyRequests(_time.GetUtcNow().AddSeconds(90)));

        var result = await _client.SendAsync(_fake.ServiceUrl, ConversationId, Activity.CreateMessage("x"));

        Assert.Equal(ConnectorStatus.Throttled, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(90), result.RetryAfter);
    }

    [Fact]
    public async Task ThrottledWithARetryAfterDateAlreadyPastWaitsNothing()
    {
        _fake.Enqueue(ScriptedResponse.TooManyRequests(_time.GetUtcNow().AddSeconds(30)));
        _time.Advance(TimeSpan.FromMinutes(1));

        var result = await _client.SendAsync(_fake.ServiceUrl, ConversationId, Activity.CreateMessage("x"));

        Assert.Equal(ConnectorStatus.Throttled, result.Status);
        Assert.Equal(TimeSpan.Zero, result.RetryAfter);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(412)]
    public async Task ServerErrorsAreTransient(int status)
    {
        _fake.Enqueue(ScriptedResponse.ServerError(status));

        var result = await _client.SendAsync(_fake.ServiceUrl, ConversationId, Activity.CreateMessage("x"));

        Assert.Equal(ConnectorStatus.Transient, result.Status);
        Assert.Equal(status, (int)result.HttpStatus!);
        Assert.Equal("ServiceError", result.ErrorCode);
        Assert.Equal($"Upstream failure {status}", result.ErrorMessage);
    }

    [Fact]
    public async Task ForbiddenInTeamsShapeIsRecipientGone()
    {
        _fake.Enqueue(ScriptedResponse.Forbidden());

        var result = await _client.SendAsync(_fake.ServiceUrl, ConversationId, Activity.CreateMessage("x"));

        Assert.Equal(ConnectorStatus.RecipientGone, result.Status);
        Assert.Equal("209", result.ErrorCode);
        Assert.Contains("MessageWritesBlocked", result.ErrorMessage);
        Assert.NotNull(result.CorrelationId);
    }

    [Fact]
    public async Task NotFoundIsRecipientGone()
    {
        _fake.Enqueue(ScriptedResponse.NotFound());

        var result = await _client.UpdateAsync(_fake.ServiceUrl, ConversationId, "gone", Activity.CreateMessage("x"));

        Assert.Equal(ConnectorStatus.RecipientGone, result.Status);
        Assert.Equal("ConversationNotFound", result.ErrorCode);
    }

    [Fact]
    public async Task TooLargeIsMapped()
    {
        _fake.Enqueue(ScriptedResponse.TooLarge());

        var result = await _client.SendAsync(_fake.ServiceUrl, ConversationId, Activity.CreateMessage("x"));

        Assert.Equal(ConnectorStatus.TooLarge, result.Status);
        Assert.Equal("MessageSizeTooBig", result.ErrorCode);
    }

    [Fact]
    public async Task OtherClientErrorsFailWithNonJsonBodyKept()
    {
        _fake.Enqueue(new ScriptedResponse(400, "plain text problem"));

        var result = await _client.SendAsync(_fake.ServiceUrl, ConversationId, Activity.CreateMessage("x"));

        Assert.Equal(ConnectorStatus.Failed, result.Status);
        Assert.Equal("plain text problem", result.ErrorMessage);
    }

    [Fact]
    public async Task NetworkFailureIsTransient()
    {
        var policy = new ServiceUrlPolicy(["http://127.0.0.1:1/"], allowLoopback: false);
        using var http = new HttpClient(new ConnectorAuthenticationHandler(TokenOf(_credential, policy), policy) { InnerHandler = new HttpClientHandler() });
        var client = new ConnectorClient(http, policy, TimeProvider.System, NullLogger<ConnectorClient>.Instance);

        var result = await client.SendAsync("http://127.0.0.1:1/", ConversationId, Activity.CreateMessage("x"));

        Assert.Equal(ConnectorStatus.Transient, result.Status);
        Assert.Null(result.HttpStatus);
    }

    [Theory]
    [InlineData("https://evil.example.com/teams/")]
    [InlineData("https://smba.trafficmanager.net.evil.example/teams/")]
    [InlineData("http://smba.trafficmanager.net/teams/")]
    [InlineData("https://user@smba.trafficmanager.net/teams/")]
    [InlineData("not a url")]
    public async Task UntrustedServiceUrlSendsNothingAndGetsNoToken(string serviceUrl)
    {
        var policy = new ServiceUrlPolicy(null, allowLoopback: false);
        var credential = new StaticTokenCredential("secret");
        using var http = new HttpClient(new ConnectorAuthenticationHandler(TokenOf(credential, policy), policy) { InnerHandler = new HttpClientHandler() });
        var client = new ConnectorClient(http, policy, TimeProvider.System, NullLogger<ConnectorClient>.Instance);

        var result = await client.SendAsync(serviceUrl, ConversationId, Activity.CreateMessage("x"));

        Assert.Equal(ConnectorStatus.Failed, result.Status);
        Assert.Equal("UntrustedServiceUrl", result.ErrorCode);
        Assert.Equal(0, credential.Requests);
    }

    [Fact]
    public async Task LoopbackServiceUrlIsRefusedOutsideLocalModeAndAllowedInLocalMode()
    {
        var strict = new ServiceUrlPolicy(null, allowLoopback: false);
        var local = new ServiceUrlPolicy(null, allowLoopback: true);
        var credential = new StaticTokenCredential("must-not-leak");
        using var http = new HttpClient(new ConnectorAuthenticationHandler(TokenOf(credential, local), local) { InnerHandler = new HttpClientHandler() });

        var refused = await new ConnectorClient(http, strict, TimeProvider.System, NullLogger<ConnectorClient>.Instance)
            .SendAsync(_fake.ServiceUrl, ConversationId, Activity.CreateMessage("x"));
        var allowed = await new ConnectorClient(http, local, TimeProvider.System, NullLogger<ConnectorClient>.Instance)
            .SendAsync(_fake.ServiceUrl, ConversationId, Activity.CreateMessage("x"));

        Assert.Equal(ConnectorStatus.Failed, refused.Status);
        Assert.True(allowed.IsSuccess);
        var request = Assert.Single(_fake.Requests);
        Assert.Null(request.Authorization);
        Assert.Equal(0, credential.Requests);
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/teams/", true)]
    [InlineData("https://smba.trafficmanager.net/emea/", true)]
    [InlineData("https://SMBA.trafficmanager.net/amer/", true)]
    [InlineData("https://smba.infra.gcc.teams.microsoft.com/teams", true)]
    [InlineData("https://smba.infra.gov.teams.microsoft.us/teams", true)]
    [InlineData("https://smba.infra.dod.teams.microsoft.us/teams", true)]
    [InlineData("https://smba.trafficmanager.net:444/teams/", false)]
    [InlineData("https://api.botframework.com/", false)]
    public void DefaultPolicyTrustsTheTeamsHostsOnly(string serviceUrl, bool trusted)
    {
        Assert.Equal(trusted, new ServiceUrlPolicy(null, allowLoopback: false).IsTrusted(serviceUrl));
    }

    /// <summary>The outbound token as the host builds it, over <paramref name="credential"/>.</summary>
    internal static ConnectorToken TokenOf(Azure.Core.TokenCredential credential, ServiceUrlPolicy policy) =>
        new(new BotConnectorCredential(credential), policy, Microsoft.Extensions.Options.Options.Create(new ValueBot.Teams.Hosting.BotOptions()), TimeProvider.System, NullLogger<ConnectorToken>.Instance);
}
