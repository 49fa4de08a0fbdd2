using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.UseCases;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Digests;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Digests;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;

namespace ValueBot.Web.Tests.EndToEnd;

/// <summary>
/// In Microsoft's Agents Playground, as the admin Alex Wilber: the previews of the digest and the reviews come back as
/// cards, a stop recorded from the quarterly review's card stops the use case, and the check-in cycle run now sends
/// the check-in of the use case still measured but none for the stopped one.
/// </summary>
public sealed class PlaygroundDecisionTests() : LocalModePlaygroundTests(new Dictionary<string, string?> { ["Admin:TeamsAdmins"] = AlexObjectId })
{
    private const string AlexObjectId = "00000000-0000-0000-0000-0000000000020";

    [Fact]
    public async Task PreviewsReturnCardsAndAStopFromTheQuarterlyReviewChangesTheStageAndEndsTheCheckIns()
    {
        var (stopped, kept) = await SeedAsync();
        await InstallPersonalAsync();

        await Playground.SendTextAsync("preview digest");
        await Playground.WaitForBotMessagesAsync(m => m.CardContains("AI portfolio"));
        await Playground.SendTextAsync("preview monthly");
        await Playground.WaitForBotMessagesAsync(m => m.CardContains("Monthly financial review"));
        await Playground.SendTextAsync("preview quarterly");
        var review = (await Playground.WaitForBotMessagesAsync(m => m.CardContains("Quarterly stage-gate review")))[0];
        var week = await Host.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<UseCaseRegistry>().CurrentWeek));

        var decided = await Playground.ExecuteActionAsync(DigestCards.DecideVerb, new JsonObject
        {
            [DigestCards.UseCaseIdKey] = stopped.ToString("D"),
            [DigestCards.WeekKey] = week.ToString(),
            [DigestCards.DecisionInput(stopped)] = "stop",
            [DigestCards.ReasonInput(stopped)] = "Rework never came down; the team goes back to the manual process",
        }, replyToId: review.MessageId);

        Assert.Contains(CardOf(decided).Texts(), t => t.Contains("Decided: Stop, by Alex Wilber", StringComparison.Ordinal));
        var useCase = await Host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().GetAsync(stopped, CancellationToken.None));
        Assert.Equal(Stage.Stopped, useCase!.UseCase.Stage);

        await Playground.SendTextAsync("run check-ins now");
        await Playground.WaitForBotMessagesAsync(m => m.Text?.Contains("Check-in cycle run: 1 scheduled", StringComparison.Ordinal) == true);
        var rows = await Host.WithScopeAsync(sp => sp.GetRequiredService<ValueBotDbContext>().Set<CheckIn>().AsNoTracking().Where(c => c.Week == week).ToListAsync());
        var row = Assert.Single(rows);
        Assert.Equal(kept, row.UseCaseId);
        await Playground.WaitForBotMessagesAsync(m => m.CardContains("Weekly check-in: Claims intake"));
        Assert.DoesNotContain(Playground.BotMessages, m => m.CardContains("Weekly check-in: Invoice triage"));
    }

    private Task<(Guid Stopped, Guid Kept)> SeedAsync() => Host.WithScopeAsync(async sp =>
    {
        var registry = sp.GetRequiredService<UseCaseRegistry>();
        var checkIns = sp.GetRequiredService<CheckInStore>();
        var week = registry.CurrentWeek;
        var invoices = UseCase("Invoice triage");
        var claims = UseCase("Claims intake");
        await registry.CreateAsync(invoices, "test", CancellationToken.None);
        await registry.CreateAsync(claims, "test", CancellationToken.None);
        for (var back = 1; back <= 4; back++)
        {
            await checkIns.RecordAnswerAsync(invoices.Id, week.AddWeeks(-back), DigestWorld.Answer(40), AlexObjectId, CancellationToken.None);
            await checkIns.RecordAnswerAsync(claims.Id, week.AddWeeks(-back), DigestWorld.Answer(80), AlexObjectId, CancellationToken.None);
        }

        return (invoices.Id, claims.Id);
    });

    private static UseCase UseCase(string name) => new()
    {
        Id = Guid.NewGuid(),
        Name = name,
        ValueModel = ValueModel.ProcessReengineering,
        Stage = Stage.Production,
        Owner = new PersonRef(AlexObjectId, "Alex Wilber"),
        TargetUsers = 100,
        Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0.1m, 20m),
        PlannedRunCostPerMonth = new Money(1300m, "EUR"),
    };
}
