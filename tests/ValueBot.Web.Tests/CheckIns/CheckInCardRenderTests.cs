using System.Text.Json.Nodes;
using Xunit.Abstractions;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.UseCases;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.CheckIns;

/// <summary>
/// The check-in card as a person sees it in a Teams chat: the cards the bot sends (through /api/messages and the fake
/// connector) drawn by the official Adaptive Cards JS renderer in headless Chromium at 420 px. Screenshots land in
/// tests/artifacts/checkin-*.png; the heights are printed.
/// </summary>
public sealed class CheckInCardRenderTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TheFirstViewIsShortTheUpdateViewFitsAndWhatTheRendererSendsIsStored()
    {
        await using var world = await CheckInWorld.StartAsync("sqlite", new ManualClock(CheckInWorld.Now));
        var useCase = await world.SeedUseCaseAsync();
        await world.SeedAnswerAsync(useCase.Id, CheckInWorld.LastWeek, CheckInWorld.LastWeeksAnswer(tasks: 180));
        await using var renderer = await CardRenderer.StartAsync();

        await world.Host.SendFromTeamsAsync(Message(Ada, "checkin"));
        var sent = CardReader.FromActivity(Assert.Single(world.Posts).Body);
        await using var card = await renderer.RenderAsync(sent.Card);

        var first = await card.MeasureAsync();
        await card.ScreenshotAsync("checkin-first-view.png");
        output.WriteLine($"first view: {first.Height} px; buttons {string.Join(" | ", first.Buttons)}");
        Assert.Empty(card.ParseProblems);
        Assert.Empty(card.ScriptErrors);
        Assert.Empty(first.ClippedButtons);
        Assert.True(first.Height <= 600, $"the first view is {first.Height} px tall");
        Assert.Equal([CheckInCard.SameAsLastWeekTitle, "Hand to delegate", CheckInCard.UpdateNumbersTitle, CheckInCard.SkipTitle], first.Buttons);

        // "Update numbers" runs in the renderer (a toggle, no round trip): the numbers, two to a row.
        await card.ClickAsync(CheckInCard.UpdateNumbersTitle);
        var update = await card.MeasureAsync();
        await card.ScreenshotAsync("checkin-update-view.png");
        output.WriteLine($"update view: {update.Height} px; buttons {string.Join(" | ", update.Buttons)}");
        Assert.Empty(update.ClippedButtons);
        Assert.True(update.Height <= 1000, $"the update view is {update.Height} px tall");
        Assert.Contains("Send check-in", update.Buttons);
        Assert.DoesNotContain(CheckInCard.SameAsLastWeekTitle, update.Buttons);

        await card.ClickAsync(CheckInCard.MoreTitle);
        var more = await card.MeasureAsync();
        await card.ScreenshotAsync("checkin-update-view-more.png");
        output.WriteLine($"update view with More open: {more.Height} px");
        Assert.Empty(more.ClippedButtons);
        Assert.True(more.Height > update.Height, "More opened nothing");

        // Sending from the renderer sends what the bot reads: the prefilled numbers, with the card's hidden data.
        await card.FillAsync(AnswerFields.Tasks, "190");
        Assert.Empty(await card.InvalidInputsAsync());
        await card.ClickAsync("Send check-in");
        var sentAction = Assert.Single(await card.ExecutedAsync());
        Assert.Equal("Action.Execute", sentAction.Type);
        Assert.Equal(CheckInCard.AnswerVerb, sentAction.Verb);
        var (type, receiptJson) = await ReadInvokeResponseAsync(await world.Host.SendFromTeamsAsync(CardAction(Ada, sentAction.Verb!, sentAction.Data!)));
        Assert.Equal("application/vnd.microsoft.card.adaptive", type);
        await using var receipt = await renderer.RenderAsync(receiptJson);
        var receiptView = await receipt.MeasureAsync();
        await receipt.ScreenshotAsync("checkin-receipt.png");
        output.WriteLine($"receipt: {receiptView.Height} px; buttons {string.Join(" | ", receiptView.Buttons)}");
        Assert.Empty(receiptView.ClippedButtons);
        Assert.Equal(["Edit this week"], receiptView.Buttons);
        var stored = await world.Host.WithScopeAsync(sp => sp.GetRequiredService<CheckInStore>().StoredAnswerAsync(useCase.Id, CheckInWorld.ThisWeek, CancellationToken.None));
        Assert.Equal(190, stored!.Answer.Tasks);
        Assert.Equal(70, stored.Answer.ActiveUsers);
    }

    [Fact]
    public async Task AFirstCheckInOpensOnItsNumbersAndTheConfirmationOfUnusualNumbersFits()
    {
        await using var world = await CheckInWorld.StartAsync("sqlite", new ManualClock(CheckInWorld.Now));
        await world.SeedUseCaseAsync(); // a first check-in: no week answered yet
        await using var renderer = await CardRenderer.StartAsync();

        await world.Host.SendFromTeamsAsync(Message(Ada, "checkin"));
        var sent = CardReader.FromActivity(Assert.Single(world.Posts).Body);
        await using var card = await renderer.RenderAsync(sent.Card);
        var update = await card.MeasureAsync();
        await card.ScreenshotAsync("checkin-first-week.png");
        output.WriteLine($"first week (update view): {update.Height} px; buttons {string.Join(" | ", update.Buttons)}");
        Assert.Empty(update.ClippedButtons);
        Assert.True(update.Height <= 1000, $"the update view is {update.Height} px tall");

        // Required numbers are checked by the client before anything is sent.
        await card.ClickAsync("Send check-in");
        Assert.Empty(await card.ExecutedAsync());

        foreach (var (field, value) in new[] { (AnswerFields.ActiveUsers, "150"), (AnswerFields.Tasks, "200"), (AnswerFields.MinutesSavedPerTask, "6"), (AnswerFields.ReworkPercent, "10"), (AnswerFields.Exceptions, "4"), (AnswerFields.MinutesPerCorrection, "5") })
        {
            await card.FillAsync(field, value);
        }

        Assert.Empty(await card.InvalidInputsAsync());
        await card.ClickAsync("Send check-in");
        var action = Assert.Single(await card.ExecutedAsync());
        var (_, confirm) = await ReadInvokeResponseAsync(await world.Host.SendFromTeamsAsync(CardAction(Ada, action.Verb!, action.Data!)));
        await using var confirmCard = await renderer.RenderAsync(confirm);
        var confirmView = await confirmCard.MeasureAsync();
        await confirmCard.ScreenshotAsync("checkin-confirm-outlier.png");
        output.WriteLine($"confirm unusual numbers: {confirmView.Height} px; buttons {string.Join(" | ", confirmView.Buttons)}");
        Assert.Empty(confirmView.ClippedButtons);
        Assert.True(confirmView.Height <= 1000, $"the confirmation is {confirmView.Height} px tall");
        Assert.Contains(CheckInCard.ConfirmTitle, confirmView.Buttons);
    }
}
