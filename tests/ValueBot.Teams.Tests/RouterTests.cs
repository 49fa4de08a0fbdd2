using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ValueBot.Teams.Auth;
using ValueBot.Teams.Cards;
using ValueBot.Teams.Connector;
using ValueBot.Teams.Routing;
using ValueBot.Teams.Schema;
using ValueBot.Teams.Tests.Support;

namespace ValueBot.Teams.Tests;

public sealed class RouterTests
{
    private static readonly BotHandler Nothing = (_, _) => Task.CompletedTask;

    [Fact]
    public void DuplicateCommandIsRefusedAtRegistration()
    {
        var router = new BotRouter().OnCommand("New Use Case", "a", Nothing);

        Assert.Throws<InvalidOperationException>(() => router.OnCommand("new  use case", "b", Nothing));
    }

    [Fact]
    public void DuplicateVerbAndSingleSlotHandlersAreRefused()
    {
        var router = new BotRouter()
            .OnVerb("approve", (_, _, _) => Task.FromResult(CardActionResult.Message("ok")))
            .OnConversationUpdate(Nothing)
            .OnInstallationUpdate(Nothing)
            .OnUnknownText(Nothing);

        Assert.Throws<InvalidOperationException>(() => router.OnVerb("approve", (_, _, _) => Task.FromResult(CardActionResult.Message("again"))));
        Assert.Throws<InvalidOperationException>(() => router.OnConversationUpdate(Nothing));
        Assert.Throws<InvalidOperationException>(() => router.OnInstallationUpdate(Nothing));
        Assert.Throws<InvalidOperationException>(() => router.OnUnknownText(Nothing));
    }

    [Fact]
    public async Task LongestMultiWordCommandWins()
    {
        var ran = new List<string>();
        var router = new BotRouter()
            .OnCommand("new", "new thing", (t, _) => Record(ran, "new", t))
            .OnCommand("new use case", "new use case", (t, _) => Record(ran, "new use case", t))
            .OnCommand("post digests here", "post digests", (t, _) => Record(ran, "post digests here", t))
            .OnCommand("post", "post", (t, _) => Record(ran, "post", t));

        await router.RouteAsync(Turn(Message("<at>ValueBot</at> New Use Case  Invoice matching")), NoServices, default);
        await router.RouteAsync(Turn(Message("post digests here")), NoServices, default);
        await router.RouteAsync(Turn(Message("new usecase")), NoServices, default);
        await router.RouteAsync(Turn(Message("post digests")), NoServices, default);

        Assert.Equal(["new use case|Invoice matching", "post digests here|", "new|usecase", "post|digests"], ran);
        Assert.Equal(["new", "new use case", "post digests here", "post"], router.Commands.Select(c => c.Name));
    }

    [Fact]
    public async Task TextMatchingNoCommandGoesToUnknownText()
    {
        var ran = new List<string>();
        var router = new BotRouter()
            .OnCommand("help", "help", (t, _) => Record(ran, "help", t))
            .OnUnknownText((t, _) => Record(ran, "unknown", t));

        await router.RouteAsync(Turn(Message("helpme")), NoServices, default);

        Assert.Equal(["unknown|"], ran);
    }

    [Fact]
    public void MentionsAreStrippedFromText()
    {
        var activity = Message("<at>Value Bot</at>   hello <at id=\"1\">Grace Hopper</at> &amp; team");

        Assert.Equal("hello & team", activity.GetTextWithoutMentions());
    }

    [Fact]
    public async Task EveryActivityHandlersRunBeforeRoutingForAllTypes()
    {
        var ran = new List<string>();
        var router = new BotRouter()
            .OnEveryActivity((t, _) => { ran.Add("every:" + t.Activity.Type); return Task.CompletedTask; })
            .OnInstallationUpdate((t, _) => { ran.Add("install:" + t.Activity.Action); return Task.CompletedTask; });
        var install = Message("");
        install.Type = ActivityTypes.InstallationUpdate;
        install.Action = InstallationActions.AddUpgrade;
        var typing = Message("");
        typing.Type = ActivityTypes.Typing;

        var first = await router.RouteAsync(Turn(install), NoServices, default);
        var second = await router.RouteAsync(Turn(typing), NoServices, default);

        Assert.Equal(["every:installationUpdate", "install:add-upgrade", "every:typing"], ran);
        Assert.Equal(200, first.StatusCode);
        Assert.Equal(200, second.StatusCode);
    }

    [Fact]
    public async Task ExecuteInvokeAndSubmitReachTheSameVerbHandlerWithTypedData()
    {
        var seen = new List<(bool Invoke, decimal? Amount, bool? Done, DateOnly? Due)>();
        var router = new BotRouter().OnVerb("save", (_, action, _) =>
        {
            seen.Add((action.IsInvoke, action.GetDecimal("amount"), action.GetBoolean("done"), action.GetDate("due")));
            return Task.FromResult(CardActionResult.Message("ok"));
        });
        var card = new ExecuteAction("Save", "save", new() { ["useCaseId"] = "u1" }).WithSubmitFallback();
        var invoke = Message("");
        invoke.Type = ActivityTypes.Invoke;
        invoke.Name = InvokeNames.AdaptiveCardAction;
        invoke.Value = JsonSerializer.SerializeToElement(new
        {
            action = new { type = "Action.Execute", verb = "save", data = new { useCaseId = "u1", amount = "1250.50", done = "true", due = "2026-12-01" } },
            trigger = "manual",
        });
        // What the Submit fallback sends: its data (which carries the verb) merged with the inputs.
        var submitValue = ((SubmitAction)card.Fallback!).Data!.DeepClone().AsObject();
        submitValue["amount"] = "3";
        var submit = Message("");
        submit.Value = JsonSerializer.SerializeToElement(submitValue);

        var invokeResponse = await router.RouteAsync(Turn(invoke), NoServices, default);
        await router.RouteAsync(Turn(submit, new RecordingConnector()), NoServices, default);

        Assert.Equal(200, invokeResponse.StatusCode);
        Assert.Equal(AdaptiveCardInvokeResponse.MessageType, invokeResponse.Body!.Type);
        Assert.Equal([(true, 1250.50m, true, new DateOnly(2026, 12, 1)), (false, 3m, null, null)], seen);
    }

    [Fact]
    public async Task ExecuteWithAnotherActionTypeIsNotSupported()
    {
        var router = new BotRouter();
        var invoke = Message("");
        invoke.Type = ActivityTypes.Invoke;
        invoke.Name = InvokeNames.AdaptiveCardAction;
        invoke.Value = JsonSerializer.SerializeToElement(new { action = new { type = "Action.Submit", verb = "x" } });

        var response = await router.RouteAsync(Turn(invoke), NoServices, default);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(AdaptiveCardInvokeResponse.ErrorType, response.Body!.Type);
        Assert.Equal("NotSupported", response.Body.Value!.Value.GetProperty("code").GetString());
    }

    [Fact]
    public async Task HandlerClassesAreResolvedFromTheServicesOfEachTurn()
    {
        var router = new BotRouter()
            .OnCommand<Greeter>("hello", "greets", g => g.HelloAsync)
            .OnVerb<Greeter>("wave", g => g.WaveAsync);
        using var provider = new ServiceCollection().AddScoped<Greeter>().BuildServiceProvider();
        var invoke = Message("");
        invoke.Type = ActivityTypes.Invoke;
        invoke.Name = InvokeNames.AdaptiveCardAction;
        invoke.Value = JsonSerializer.SerializeToElement(new { action = new { type = "Action.Execute", verb = "wave" } });

        using var first = provider.CreateScope();
        using var second = provider.CreateScope();
        await router.RouteAsync(Turn(Message("hello")), first.ServiceProvider, default);
        await router.RouteAsync(Turn(Message("hello there")), first.ServiceProvider, default);
        var waved = await router.RouteAsync(Turn(invoke), second.ServiceProvider, default);

        Assert.Equal(["hello|", "hello|there"], first.ServiceProvider.GetRequiredService<Greeter>().Handled);
        Assert.Equal(["wave"], second.ServiceProvider.GetRequiredService<Greeter>().Handled);
        Assert.Equal(200, waved.StatusCode);
    }

    [Fact]
    public async Task AHandlerClassMissingFromTheServicesFailsTheTurnLoudly()
    {
        var router = new BotRouter().OnCommand<Greeter>("hello", "greets", g => g.HelloAsync);

        await Assert.ThrowsAsync<InvalidOperationException>(() => router.RouteAsync(Turn(Message("hello")), NoServices, default));
    }

    /// <summary>A handler class as features write them: scoped, its handlers instance methods.</summary>
    private sealed class Greeter
    {
        public List<string> Handled { get; } = [];

        public Task HelloAsync(TurnContext turn, CancellationToken ct)
        {
            Handled.Add("hello|" + turn.CommandArguments);
            return Task.CompletedTask;
        }

        public Task<CardActionResult> WaveAsync(TurnContext turn, CardActionData action, CancellationToken ct)
        {
            Handled.Add(action.Verb);
            return Task.FromResult(CardActionResult.Message("waved"));
        }
    }

    private static readonly IServiceProvider NoServices = new ServiceCollection().BuildServiceProvider();

    private static Task Record(List<string> ran, string name, TurnContext turn)
    {
        ran.Add(name + "|" + turn.CommandArguments);
        return Task.CompletedTask;
    }

    private static Activity Message(string text) => Activities.Message(text);

    private static TurnContext Turn(Activity activity, IConnectorClient? connector = null) =>
        new(activity, BotCaller.LocalAnonymous,
            connector ?? new ConnectorClient(new HttpClient(), new ServiceUrlPolicy(null, false), TimeProvider.System, NullLogger<ConnectorClient>.Instance),
            isLocalMode: false);

    /// <summary>Accepts every call without sending anything.</summary>
    private sealed class RecordingConnector : IConnectorClient
    {
        public List<Activity> Sent { get; } = [];

        public Task<ConnectorResult<ResourceResponse>> SendAsync(string serviceUrl, string conversationId, Activity activity, CancellationToken cancellationToken = default) => Ok(activity);

        public Task<ConnectorResult<ResourceResponse>> ReplyAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default) => Ok(activity);

        public Task<ConnectorResult<ResourceResponse>> UpdateAsync(string serviceUrl, string conversationId, string activityId, Activity activity, CancellationToken cancellationToken = default) => Ok(activity);

        public Task<ConnectorResult<ConversationResourceResponse>> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ConnectorResult<ConversationResourceResponse>> CreatePersonalConversationAsync(string serviceUrl, string tenantId, string botId, string userId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ConnectorResult<ConversationResourceResponse>> StartChannelThreadAsync(string serviceUrl, string tenantId, string channelId, Activity activity, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ConnectorResult<PagedMembersResult>> GetPagedMembersAsync(string serviceUrl, string conversationId, int? pageSize = null, string? continuationToken = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        private Task<ConnectorResult<ResourceResponse>> Ok(Activity activity)
        {
            Sent.Add(activity);
            return Task.FromResult(new ConnectorResult<ResourceResponse> { Status = ConnectorStatus.Success, Value = new ResourceResponse { Id = "1" } });
        }
    }
}
