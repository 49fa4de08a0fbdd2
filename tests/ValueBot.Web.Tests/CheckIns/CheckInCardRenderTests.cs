using System.Text.Json.Nodes;
using Xunit.Abstractions;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Periods;
using ValueBot.Domain.UseCases;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.CheckIns;

/// <summary>
/// The check-in card as a person sees it in a Teams chat: the cards the bot sends (through /api/messages and the fake
/// connector) drawn by the official Adaptive Cards JS renderer in headless Chromium at 420 px. Screenshots land in
/// tests/artifacts/checkin-*.png; the heights are printed.
/// </summary>
public sealed class CheckInCardRenderTests(ITestOutputHelper output)
{
    // Monday 9 March 2026, 10:00 UTC: week 2026-W11 is open.
    private static readonly DateTimeOffset Now = new(2026, 3, 9, 10, 0, 0, TimeSpan.Zero);
    private static readonly IsoWeek LastWeek = IsoWeek.Parse("2026-W10");

    [Fact]
    public async Task TheFirstViewIsShortAndTheUpdateViewFitsAtChatWidthWithNoButtonCut()
    {
        await using var world = await StartAsync();
        await using var renderer = await CardRenderer.StartAsync();

        await world.Host.SendFromTeamsAsync(Message(Ada, "checkin"));
        var sent = CheckInCardReader.FromActivity(Assert.Single(world.Host.Connector.Requests, r => r.Method == "POST").Body);
        await using var card = await renderer.RenderAsync(sent.Card);

        var first = await card.MeasureAsync();
        await card.ScreenshotAsync("checkin-first-view.png");
        output.WriteLine($"first view: {first.Height} px; buttons {string.Join(" | ", first.Buttons)}");
        Assert.Empty(card.ParseProblems);
        Assert.Empty(card.ScriptErrors);
        Assert.Empty(first.ClippedButtons);
        Assert.True(first.Height <= 600, $"the first view is {first.Height} px tall");
    }

    private sealed record World(TestDatabase Database, ValueBotTestHost Host, UseCase UseCase) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    private static async Task<World> StartAsync()
    {
        var database = TestDatabase.CreateSqlite();
        var host = await ValueBotTestHost.StartAsync(database.ConnectionString, time: new ManualClock(Now));
        var useCase = new UseCase
        {
            Id = Guid.NewGuid(),
            Name = "Invoice triage",
            ValueModel = ValueModel.ProcessReengineering,
            Owner = new PersonRef(Ada.AadObjectId, Ada.Name),
            Delegate = new PersonRef(Grace.AadObjectId, Grace.Name),
            TargetUsers = 100,
            Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0.1m, 20m),
            PlannedRunCostPerMonth = new Money(1300m, "EUR"),
        };
        await host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().CreateAsync(useCase, "test", CancellationToken.None));
        await host.WithScopeAsync(sp => sp.GetRequiredService<CheckInStore>().RecordAnswerAsync(useCase.Id, LastWeek, new Answer
        {
            ActiveUsers = 70,
            Tasks = 180,
            MinutesSavedPerTask = 6m,
            ReworkShare = 0.1m,
            MinutesPerCorrection = 5m,
            Exceptions = 4,
            RunCost = RunCost.Zero("EUR") with { LicencesAndTokens = new Money(300m, "EUR") },
        }, Ada.AadObjectId, CancellationToken.None));
        return new World(database, host, useCase);
    }
}
