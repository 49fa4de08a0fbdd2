using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ValueBot.Teams.Cards;
using ValueBot.Teams.Hosting;
using ValueBot.Teams.Routing;
using ValueBot.Testing;

namespace ValueBot.Teams.Tests;

/// <summary>A tiny bot on the real Teams layer, in local mode, for the playground to talk to.</summary>
public sealed class PlaygroundRoutes : IBotRoutes
{
    public static void Map(BotRouter router)
    {
        router.OnConversationUpdate(async (turn, ct) =>
        {
            if (turn.Activity.MembersAdded?.Any(m => m.Id == turn.Activity.Recipient?.Id) == true)
            {
                await turn.SendTextAsync("Welcome to the playground bot", ct);
            }
        });
        router.OnCommand("card", "Sends a card", async (turn, ct) =>
        {
            var card = new AdaptiveCard()
                .Add(new TextBlock("Approve this?"))
                .AddAction(new ExecuteAction("Approve", "approve", new JsonObject { ["item"] = "42" }));
            await turn.SendCardAsync(card, ct);
        });
        router.OnUnknownText((turn, ct) => turn.SendTextAsync("You said: " + turn.Activity.Text, ct));
        router.OnVerb("approve", (turn, action, _) => Task.FromResult(CardActionResult.Card(
            new AdaptiveCard().Add(new TextBlock($"Approved {action.GetString("item")} with {action.GetString("comment")}")))));
        router.OnVerb("fail", (turn, action, _) => Task.FromResult(CardActionResult.Error(400, "InvalidInput", "Amount must be positive")));
        router.OnVerb("note", (turn, action, ct) => Task.FromResult(CardActionResult.Message("Noted " + action.GetString("what"))));
    }
}

public sealed class AgentsPlaygroundTests : IAsyncLifetime
{
    private WebApplication _bot = null!;
    private AgentsPlayground _playground = null!;

    public async Task InitializeAsync()
    {
        var builder = LoopbackApp.CreateBuilder("Development");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bot:LocalMode"] = "true",
        });
        builder.Services.AddTeamsBot(builder.Configuration);
        builder.Services.AddBotRoutes<PlaygroundRoutes>();
        _bot = builder.Build();
        _bot.MapBotMessages("/api/messages");
        var baseUrl = await LoopbackApp.StartAsync(_bot);
        _playground = await AgentsPlayground.StartAsync(baseUrl + "/api/messages");
    }

    public async Task DisposeAsync()
    {
        if (_playground is not null)
        {
            await _playground.DisposeAsync();
        }

        if (_bot is not null)
        {
            await _bot.StopAsync();
            await _bot.DisposeAsync();
        }
    }

    [Fact]
    public async Task InstallTextAndActionExecuteRoundTripThroughThePlayground()
    {
        var watch = Stopwatch.StartNew();

        await _playground.InstallPersonalAsync();
        await _playground.WaitForBotMessagesAsync(m => m.Text == "Welcome to the playground bot");

        await _playground.SendTextAsync("hello there");
        await _playground.WaitForBotMessagesAsync(m => m.Text == "You said: hello there");

        await _playground.SendTextAsync("card");
        var cards = await _playground.WaitForBotMessagesAsync(m => m.CardContains("Approve this?"));
        Assert.Equal(_playground.PersonalConversationId, cards[0].ConversationId);
        Assert.Equal(_playground.BotId, cards[0].FromId);

        var response = await _playground.ExecuteActionAsync("approve", new JsonObject { ["item"] = "42", ["comment"] = "ok" }, cards[0].MessageId);
        Assert.True(response.IsSuccess, response.Body);
        Assert.Equal("application/vnd.microsoft.card.adaptive", response.Type);
        Assert.Contains("Approved 42 with ok", response.Value!.Value.GetRawText(), StringComparison.Ordinal);

        var message = await _playground.ExecuteActionAsync("note", new JsonObject { ["what"] = "this" });
        Assert.Equal("application/vnd.microsoft.activity.message", message.Type);
        Assert.Equal("Noted this", message.Value!.Value.GetString());

        // Action.Submit fallback: a message activity with the data as value; the bot updates the card in place.
        var submit = await _playground.SubmitAsync(new JsonObject { ["verb"] = "approve", ["item"] = "7", ["comment"] = "submit" }, cards[0].MessageId);
        Assert.True(submit.IsSuccess, submit.Body);
        var updated = await _playground.WaitForBotMessagesAsync(m => m.Action == "updateMessage" && m.CardContains("Approved 7 with submit"));
        Assert.Equal(cards[0].MessageId, updated[0].MessageId);

        // A handler error: the playground drops the body's statusCode and shows {type: error, value: {code, message}}.
        var failed = await _playground.ExecuteActionAsync("fail", replyToId: cards[0].MessageId);
        Assert.True(failed.IsSuccess, failed.Body);
        Assert.Equal("application/vnd.microsoft.error", failed.Type);
        Assert.Equal("InvalidInput", failed.Value!.Value.GetProperty("code").GetString());

        // An unknown verb: the bot answers HTTP 501, which the playground reports as a failed request.
        var unknown = await _playground.ExecuteActionAsync("nope", replyToId: cards[0].MessageId);
        Assert.False(unknown.IsSuccess, unknown.Body);
        Assert.Equal(System.Net.HttpStatusCode.BadGateway, unknown.StatusCode);
        Assert.Contains("\"statusCode\":501", unknown.Body, StringComparison.Ordinal);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task TeamInstallAndChannelMentionAreDelivered()
    {
        await _playground.InstallInTeamAsync();
        var welcome = await _playground.WaitForBotMessagesAsync(m => m.Text == "Welcome to the playground bot");
        Assert.Equal(_playground.TeamChannelId, welcome[0].ConversationId);

        var thread = await _playground.SendChannelTextAsync("ping");
        var replies = await _playground.WaitForBotMessagesAsync(m => m.Text != null && m.Text.StartsWith("You said:", StringComparison.Ordinal));
        Assert.Equal(thread, replies[0].ConversationId);
    }
}
