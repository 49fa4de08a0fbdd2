using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ValueBot.Teams.Cards;
using ValueBot.Teams.Connector;
using ValueBot.Teams.Hosting;
using ValueBot.Teams.Routing;
using ValueBot.Teams.Schema;
using ValueBot.Testing;

namespace ValueBot.Teams.Tests.Support;

/// <summary>Records which handlers ran.</summary>
public sealed class Probe
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentQueue<TurnContext> Turns { get; } = new();

    public void Record(string what, TurnContext turn)
    {
        Calls.Enqueue(what);
        Turns.Enqueue(turn);
    }
}

/// <summary>The routes every test host has: handlers of a scoped class that gets the probe through its constructor.</summary>
public sealed class TestRoutes(Probe probe) : IBotRoutes
{
    public static void Map(BotRouter router)
    {
        router.OnCommand<TestRoutes>("help", "Lists commands", r => (turn, _) => r.Record(turn, "help"));
        router.OnUnknownText<TestRoutes>(r => (turn, _) => r.Record(turn, "unknown"));
        router.OnConversationUpdate<TestRoutes>(r => (turn, _) => r.Record(turn, "conversationUpdate"));
        router.OnVerb<TestRoutes>("approve", r => (turn, action, _) =>
        {
            r.Record(turn, "approve:" + action.GetString("comment"));
            return Task.FromResult(CardActionResult.Card(new AdaptiveCard().Add(new TextBlock("Approved: " + action.GetString("comment")))));
        });
        router.OnVerb<TestRoutes>("say", r => (turn, action, _) =>
        {
            r.Record(turn, "say");
            return Task.FromResult(CardActionResult.Message("Saved " + action.GetString("what")));
        });
        router.OnVerb<TestRoutes>("fail", r => (turn, action, _) =>
        {
            r.Record(turn, "fail");
            return Task.FromResult(CardActionResult.Error(400, "InvalidInput", "Amount must be positive"));
        });
    }

    private Task Record(TurnContext turn, string what)
    {
        probe.Record(what, turn);
        return Task.CompletedTask;
    }
}

/// <summary>A test TokenCredential returning a fixed token and counting requests.</summary>
public sealed class StaticTokenCredential(string token) : TokenCredential
{
    public int Requests;

    public IReadOnlyList<string>? LastScopes { get; private set; }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Requests);
        LastScopes = requestContext.Scopes;
        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

/// <summary>The real /api/messages endpoint in a Kestrel app on 127.0.0.1:0.</summary>
public sealed class BotHost : IAsyncDisposable
{
    public const string AppId = "00000000-0000-0000-0000-0000000000b0";
    public const string TenantId = "11111111-1111-1111-1111-111111111111";

    private readonly WebApplication _app;

    private BotHost(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl) };
    }

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    public Probe Probe => _app.Services.GetRequiredService<Probe>();

    public IServiceProvider Services => _app.Services;

    public static async Task<BotHost> StartAsync(
        FakeTokenIssuer issuer,
        IDictionary<string, string?>? settings = null,
        TokenCredential? credential = null,
        string environment = "Development")
    {
        var builder = LoopbackApp.CreateBuilder(environment);
        var config = new Dictionary<string, string?>
        {
            ["Bot:AppId"] = AppId,
            ["Bot:TenantId"] = TenantId,
            ["Bot:Credential:Type"] = "ClientSecret",
            ["Bot:Credential:ClientSecret"] = "not-used",
            ["Bot:Authentication:BotFrameworkMetadataAddress"] = issuer.BotFrameworkMetadataAddress,
            ["Bot:Authentication:EntraMetadataAddressTemplate"] = issuer.EntraMetadataAddressTemplate,
            ["Bot:Authentication:AllowedCallers:0"] = FakeTokenIssuer.EntraCaller,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.Services.AddSingleton<Probe>();
        builder.Services.AddSingleton(new BotConnectorCredential(credential ?? new StaticTokenCredential("outbound-test-token")));
        builder.Services.AddTeamsBot(builder.Configuration);
        builder.Services.AddBotRoutes<TestRoutes>();
        var app = builder.Build();
        app.MapBotMessages("/api/messages");
        var baseUrl = await LoopbackApp.StartAsync(app);
        return new BotHost(app, baseUrl);
    }

    public Task<HttpResponseMessage> PostAsync(Activity activity, string? bearer) =>
        PostRawAsync(JsonSerializer.Serialize(activity, TeamsJsonContext.Default.Activity), bearer);

    public Task<HttpResponseMessage> PostRawAsync(string body, string? bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Teams-shaped activities.</summary>
public static class Activities
{
    public const string ServiceUrl = "https://smba.trafficmanager.net/teams/";

    public static Activity Message(string text, string serviceUrl = ServiceUrl, string channelId = "msteams") => new()
    {
        Type = ActivityTypes.Message,
        Id = "1700000000000",
        Timestamp = DateTimeOffset.Parse("2026-11-22T10:00:00.123Z", System.Globalization.CultureInfo.InvariantCulture),
        ServiceUrl = serviceUrl,
        ChannelId = channelId,
        From = new ChannelAccount { Id = "29:user", Name = "Ada", AadObjectId = "aad-user" },
        Recipient = new ChannelAccount { Id = "28:" + BotHost.AppId, Name = "ValueBot" },
        Conversation = new ConversationAccount { Id = "a:1@x;y", ConversationType = ConversationTypes.Personal, TenantId = BotHost.TenantId },
        ChannelData = new TeamsChannelData { Tenant = new TenantInfo { Id = BotHost.TenantId } },
        Text = text,
    };

    public static Activity Invoke(string serviceUrl, JsonElement value) => new()
    {
        Type = ActivityTypes.Invoke,
        Name = InvokeNames.AdaptiveCardAction,
        Id = "invoke-1",
        ServiceUrl = serviceUrl,
        ChannelId = "msteams",
        From = new ChannelAccount { Id = "29:user", Name = "Ada" },
        Recipient = new ChannelAccount { Id = "28:" + BotHost.AppId },
        Conversation = new ConversationAccount { Id = "a:1@x;y", ConversationType = ConversationTypes.Personal },
        Value = value,
    };
}
