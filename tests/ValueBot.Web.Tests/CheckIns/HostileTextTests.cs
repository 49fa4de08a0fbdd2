using System.Text.Json;
using System.Text.Json.Nodes;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Schema;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.CheckIns;

/// <summary>
/// A use case whose name, owner and win carry a Markdown link, emphasis, an <c>&lt;at&gt;</c> tag and a right-to-left
/// override: every card ValueBot sends or answers with shows them as text.
/// </summary>
public sealed class HostileTextTests
{
    private const string Hostile = "[click](https://evil) **x** <at>Boss</at> \u202Eexe";
    private static readonly string[] Forbidden = ["[click](", "](https://evil)", "**x**", "<at>Boss", "\u202E"];

    [Fact]
    public async Task MarkdownTagsAndBidiTricksArriveNeutralisedInEveryCard()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString,
            new Dictionary<string, string?> { ["Admin:TeamsAdmins:0"] = Ada.AadObjectId });
        var useCase = new UseCase
        {
            Id = Guid.NewGuid(),
            Name = "Triage " + Hostile,
            ValueModel = ValueModel.ProcessReengineering,
            Owner = new PersonRef(Ada.AadObjectId, "Ada " + Hostile),
            TargetUsers = 100,
            Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0.1m, 20m),
            PlannedRunCostPerMonth = new Money(1300m, "EUR"),
        };
        await host.WithScopeAsync(sp => sp.GetRequiredService<UseCaseRegistry>().CreateAsync(useCase, "test", CancellationToken.None));

        var install = PersonalInstall(Ada);
        install.From!.Name = "Ada " + Hostile;
        install.MembersAdded = [new ChannelAccount { Id = Ada.Id, AadObjectId = Ada.AadObjectId, Name = "Ada " + Hostile }, new ChannelAccount { Id = BotId }];
        await host.SendFromTeamsAsync(install);
        await host.SendFromTeamsAsync(Message(Ada, "checkin"));
        var data = new JsonObject { [CheckInCard.UseCaseIdKey] = useCase.Id.ToString("D"), [CheckInCard.WeekKey] = host.Services.GetRequiredService<UseCaseRegistry>().CurrentWeek.ToString() };
        foreach (var (key, value) in CheckInInputs.Valid())
        {
            data[key] = value;
        }

        data[AnswerFields.Win] = "Win " + Hostile;
        data[AnswerFields.ShareWin] = "true";
        var (_, receipt) = await ReadInvokeResponseAsync(await host.SendFromTeamsAsync(CardAction(Ada, CheckInCard.AnswerVerb, data)));
        await host.SendFromTeamsAsync(Message(Ada, "status"));
        await host.SendFromTeamsAsync(Message(Ada, "digest"));
        await host.SendFromTeamsAsync(Message(Ada, "wins"));

        var cards = host.Connector.Requests.Where(r => r.Method == "POST")
            .SelectMany(r => r.Json?["attachments"]?.AsArray() ?? [])
            .Select(a => a!["content"]!)
            .Append(receipt)
            .ToList();
        Assert.True(cards.Count >= 6, $"expected welcome, check-in, receipt, status, digest and wins cards; got {cards.Count}");
        var shown = cards.SelectMany(ShownTexts).ToList();
        foreach (var forbidden in Forbidden)
        {
            Assert.DoesNotContain(shown, t => t.Contains(forbidden, StringComparison.Ordinal));
        }

        // Not vacuous: the hostile text did reach the cards, escaped, in names, the owner's mention and the win.
        Assert.Contains(shown, t => t.Contains("Triage \\[click\\]\\(https://evil\\) \\*\\*x\\*\\* \u2039at>Boss\u2039/at> exe", StringComparison.Ordinal));
        Assert.Contains(shown, t => t.Contains("Win \\[click\\]", StringComparison.Ordinal));
        Assert.Contains(shown, t => t.Contains("Welcome to ValueBot, Ada \\[click\\]", StringComparison.Ordinal));
        Assert.Contains(shown, t => t.Contains("<at>Ada \\[click\\]", StringComparison.Ordinal));
    }

    /// <summary>Every text a card shows (not input values, which are sent back as typed, nor action data).</summary>
    private static IEnumerable<string> ShownTexts(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var isInput = obj["type"]?.GetValueKind() == JsonValueKind.String && obj["type"]!.GetValue<string>().StartsWith("Input.", StringComparison.Ordinal);
                foreach (var (key, value) in obj)
                {
                    if (key is "data" or "mentioned" || (isInput && key == "value"))
                    {
                        continue;
                    }

                    foreach (var text in ShownTexts(value))
                    {
                        yield return text;
                    }
                }

                break;
            case JsonArray array:
                foreach (var text in array.SelectMany(ShownTexts))
                {
                    yield return text;
                }

                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                yield return text;
                break;
        }
    }
}
