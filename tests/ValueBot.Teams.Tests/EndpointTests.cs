using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ValueBot.Teams.Schema;
using ValueBot.Teams.Tests.Support;
using ValueBot.Testing;

namespace ValueBot.Teams.Tests;

/// <summary>A bot host whose activities point at a FakeConnector that is on the trusted list.</summary>
public sealed class EndpointFixture : IAsyncLifetime
{
    public FakeTokenIssuer Issuer { get; private set; } = null!;

    public FakeConnector Connector { get; private set; } = null!;

    public BotHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Issuer = await FakeTokenIssuer.StartAsync();
        Connector = await FakeConnector.StartAsync();
        Host = await BotHost.StartAsync(Issuer, new Dictionary<string, string?>
        {
            ["Bot:TrustedServiceUrls:0"] = Connector.ServiceUrl,
            ["Bot:MaxRequestBodyBytes"] = "16384",
        });
    }

    public string Token() => Issuer.CreateBotFrameworkToken(BotHost.AppId, Connector.ServiceUrl);

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Connector.DisposeAsync();
        await Issuer.DisposeAsync();
    }
}

public sealed class EndpointTests(EndpointFixture fixture) : IClassFixture<EndpointFixture>
{
    private BotHost Host => fixture.Host;

    [Fact]
    public async Task Returns400ForMalformedJson()
    {
        var response = await Host.PostRawAsync("{ not json", fixture.Token());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Returns400ForActivityWithoutType()
    {
        var response = await Host.PostRawAsync("""{"id":"x","serviceUrl":"https://smba.trafficmanager.net/teams/"}""", fixture.Token());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Returns413OverTheBodyLimit()
    {
        var activity = Message("x");
        activity.Text = new string('a', 20_000);

        var response = await Host.PostAsync(activity, fixture.Token());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Returns405ForGet()
    {
        var response = await Host.Http.GetAsync("/api/messages");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Returns200WithEmptyBodyForUnhandledActivityType()
    {
        var activity = Message("");
        activity.Type = "messageReaction";
        activity.Properties = new Dictionary<string, JsonElement> { ["reactionsAdded"] = JsonSerializer.SerializeToElement(new[] { new { type = "like" } }) };

        var response = await Host.PostAsync(activity, fixture.Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Returns501ForUnhandledInvoke()
    {
        var activity = Message("");
        activity.Type = ActivityTypes.Invoke;
        activity.Name = "composeExtension/query";

        var response = await Host.PostAsync(activity, fixture.Token());

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
    }

    [Fact]
    public async Task InvokeReturnsReplacementCard()
    {
        var body = await InvokeAsync("approve", new JsonObject { ["comment"] = "looks good" }, HttpStatusCode.OK);

        Assert.Equal(200, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        Assert.Equal("AdaptiveCard", body["value"]!["type"]!.GetValue<string>());
        Assert.Equal("Approved: looks good", body["value"]!["body"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task InvokeReturnsMessage()
    {
        var body = await InvokeAsync("say", new JsonObject { ["what"] = "it" }, HttpStatusCode.OK);

        Assert.Equal(200, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.activity.message", body["type"]!.GetValue<string>());
        Assert.Equal("Saved it", body["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task InvokeReturnsErrorInUniversalActionsShape()
    {
        var body = await InvokeAsync("fail", [], HttpStatusCode.OK);

        Assert.Equal(400, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.error", body["type"]!.GetValue<string>());
        Assert.Equal("InvalidInput", body["value"]!["code"]!.GetValue<string>());
        Assert.Equal("Amount must be positive", body["value"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task MalformedCardInvokeGets400WithErrorBody()
    {
        var activity = Activities.Invoke(fixture.Connector.ServiceUrl, JsonSerializer.SerializeToElement(new { trigger = "manual" }));

        var response = await Host.PostAsync(activity, fixture.Token());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.error", body["type"]!.GetValue<string>());
        Assert.Equal("BadRequest", body["value"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task InvokeWithUnknownVerbGets501()
    {
        await InvokeAsync("nobody-handles-this", [], HttpStatusCode.NotImplemented);
    }

    [Fact]
    public async Task SubmitFallbackUpdatesTheCardThroughTheConnector()
    {
        var activity = Message("");
        activity.Id = "submit-card";
        activity.ReplyToId = "1:card@x;y";
        activity.Value = JsonSerializer.SerializeToElement(new { verb = "approve", comment = "via submit" });

        var response = await Host.PostAsync(activity, fixture.Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var put = await fixture.Connector.WaitForRequestAsync(r => r.Method == "PUT" && r.Body.Contains("via submit"));
        Assert.Equal("/teams/v3/conversations/a%3A1%40x%3By/activities/1%3Acard%40x%3By", put.RawTarget);
        Assert.Equal(["conversations", "a:1@x;y", "activities", "1:card@x;y"], put.Route);
        Assert.Equal("Bearer outbound-test-token", put.Authorization);
        var attachment = put.Json!["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        Assert.Equal("Approved: via submit", attachment["content"]!["body"]![0]!["text"]!.GetValue<string>());
        Assert.Contains(Host.Probe.Calls, c => c == "approve:via submit");
    }

    [Fact]
    public async Task SubmitFallbackMessageIsSentAsText()
    {
        var activity = Message("");
        activity.Id = "submit-message";
        activity.Value = JsonSerializer.SerializeToElement(new { verb = "say", what = "submitted thing" });

        var response = await Host.PostAsync(activity, fixture.Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var post = await fixture.Connector.WaitForRequestAsync(r => r.Method == "POST" && r.Body.Contains("Saved submitted thing"));
        Assert.Equal("/teams/v3/conversations/a%3A1%40x%3By/activities", post.RawTarget);
        Assert.Equal("message", post.Json!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task MentionOfTheBotIsStrippedBeforeCommandMatching()
    {
        var activity = Message("<at>ValueBot</at> HELP please");
        activity.Id = "mention-help";
        activity.Entities = [Entity.CreateMention("28:" + BotHost.AppId, "ValueBot")];

        var response = await Host.PostAsync(activity, fixture.Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var turn = Assert.Single(Host.Probe.Turns, t => t.Activity.Id == "mention-help");
        Assert.Equal("help", turn.Command);
        Assert.Equal("please", turn.CommandArguments);
    }

    [Fact]
    public async Task UnknownFieldsOfTheActivityAreKept()
    {
        var json = JsonSerializer.Serialize(Message("help"), TeamsJsonContext.Default.Activity);
        var node = JsonNode.Parse(json)!.AsObject();
        node["id"] = "unknown-fields";
        node["futureField"] = new JsonObject { ["a"] = 1 };
        node["channelData"]!["meeting"] = new JsonObject { ["id"] = "m1" };

        var response = await Host.PostRawAsync(node.ToJsonString(), fixture.Token());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var turn = Assert.Single(Host.Probe.Turns, t => t.Activity.Id == "unknown-fields");
        Assert.True(turn.Activity.Properties!.ContainsKey("futureField"));
        Assert.True(turn.Activity.ChannelData!.Properties!.ContainsKey("meeting"));
        var roundTrip = JsonNode.Parse(JsonSerializer.Serialize(turn.Activity, TeamsJsonContext.Default.Activity))!;
        Assert.Equal(1, roundTrip["futureField"]!["a"]!.GetValue<int>());
    }

    private Activity Message(string text) => Activities.Message(text, fixture.Connector.ServiceUrl);

    private async Task<JsonNode> InvokeAsync(string verb, JsonObject data, HttpStatusCode expected)
    {
        var value = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data },
            ["trigger"] = "manual",
        };
        var activity = Activities.Invoke(fixture.Connector.ServiceUrl, JsonSerializer.SerializeToElement(value));

        var response = await Host.PostAsync(activity, fixture.Token());

        Assert.Equal(expected, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        if (expected == HttpStatusCode.OK)
        {
            Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        }

        return string.IsNullOrEmpty(text) ? new JsonObject() : JsonNode.Parse(text)!;
    }
}
