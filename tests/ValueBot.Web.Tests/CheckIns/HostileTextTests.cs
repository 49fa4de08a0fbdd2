using System.Text.Json;
using System.Text.Json.Nodes;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Schema;
using ValueBot.Web.CheckIns;
using ValueBot.Web.Digests;
using ValueBot.Web.Tests.Digests;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Support.TeamsActivities;

namespace ValueBot.Web.Tests.CheckIns;

/// <summary>
/// A use case whose name, owner, win and blocker carry a Markdown link, emphasis, an <c>&lt;at&gt;</c> tag and a
/// right-to-left override: every card ValueBot sends — to the owner, and to the manager and the leadership channel —
/// shows them as text, and a text reply that echoes what someone typed escapes it too.
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
        var week = await host.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<UseCaseRegistry>().CurrentWeek));
        var data = new JsonObject { [CheckInCard.UseCaseIdKey] = useCase.Id.ToString("D"), [CheckInCard.WeekKey] = week.ToString() };
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

        // The welcome (and any reply that could not go out in its turn) travels through the outbox: wait for all five.
        await host.Connector.WaitForRequestAsync(_ => host.Connector.Requests.Count(r => r.Method == "POST") >= 5);
        var cards = host.Connector.Requests.Where(r => r.Method == "POST")
            .SelectMany(r => r.Json?["attachments"]?.AsArray() ?? [])
            .Select(a => a!["content"]!)
            .Append(receipt)
            .ToList();
        Assert.True(cards.Count >= 6, $"expected welcome, check-in, receipt, status, digest and wins cards; got {cards.Count}");
        var shown = cards.SelectMany(ShownTexts).ToList();
        Assert.DoesNotContain(cards.SelectMany(PlainTexts), t => t.Contains('\u202E', StringComparison.Ordinal));
        foreach (var forbidden in Forbidden)
        {
            Assert.False(shown.Any(t => t.Contains(forbidden, StringComparison.Ordinal)), $"'{forbidden}' shown in: {shown.FirstOrDefault(t => t.Contains(forbidden, StringComparison.Ordinal))}");
        }

        // Not vacuous: the hostile text did reach the cards, escaped, in names, the owner's mention and the win.
        Assert.Contains(shown, t => t.Contains("Triage \\[click\\]\\(https://evil\\) \\*\\*x\\*\\* \u2039at>Boss\u2039/at> exe", StringComparison.Ordinal));
        Assert.Contains(shown, t => t.Contains("Win \\[click\\]", StringComparison.Ordinal));
        Assert.Contains(shown, t => t.Contains("Welcome to ValueBot, Ada \\[click\\]", StringComparison.Ordinal));
        Assert.Contains(shown, t => t.Contains("<at>Ada \\[click\\]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CardsSentToTheManagerAndTheLeadershipChannelShowHostileTextAsText()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await DigestWorld.StartAsync(database);
        await DigestWorld.SeedAsync(host);
        await host.WithScopeAsync(async sp =>
        {
            var registry = sp.GetRequiredService<UseCaseRegistry>();
            var stored = (await registry.GetAsync(DigestWorld.Contracts, CancellationToken.None))!;
            await registry.UpdateAsync(DigestWorld.Contracts, stored.UseCase with
            {
                Name = "Contracts " + Hostile,
                Owner = new PersonRef(DigestWorld.Bob.AadObjectId, "Bob " + Hostile),
            }, null, "test", CancellationToken.None);
            var answer = DigestWorld.Answer(90) with { Win = "Win " + Hostile, Blocker = "Blocker " + Hostile, ShareWinWithLeadership = true };
            return await sp.GetRequiredService<CheckInStore>().RecordAnswerAsync(DigestWorld.Contracts, DigestWorld.Week, answer, DigestWorld.Bob.AadObjectId, CancellationToken.None);
        });
        await DigestWorld.SendAsync(host, DigestWorld.ChannelMessage(Ada, "post digests here"));
        var before = host.Connector.Requests.Count;

        await host.WithScopeAsync(sp => sp.GetRequiredService<DigestPublisher>().PublishWeeklyAsync(DigestWorld.Week, CancellationToken.None));
        // The outbox sender delivers the manager digest, the leadership digest and the shared win.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (host.Connector.Requests.Count(r => r.Method == "POST") - before < 3)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the digests did not arrive");
            await Task.Delay(100);
        }

        var toOthers = host.Connector.Requests.Skip(before)
            .Where(r => r.Method == "POST" && !r.RawTarget.Contains(Uri.EscapeDataString(DigestWorld.Bob.ConversationId), StringComparison.Ordinal))
            .ToList();
        Assert.Contains(toOthers, r => r.RawTarget.Contains(Uri.EscapeDataString(DigestWorld.Mia.ConversationId), StringComparison.Ordinal));
        Assert.Contains(toOthers, r => r.RawTarget.Contains(Uri.EscapeDataString(ChannelId), StringComparison.Ordinal) || r.Body.Contains(ChannelId, StringComparison.Ordinal));
        var sentCards = toOthers.SelectMany(r => r.Json?["attachments"]?.AsArray() ?? []).Select(a => a!["content"]).ToList();
        var shown = sentCards.SelectMany(ShownTexts).ToList();
        Assert.NotEmpty(sentCards.SelectMany(PlainTexts));
        Assert.DoesNotContain(sentCards.SelectMany(PlainTexts), t => t.Contains('\u202E', StringComparison.Ordinal));
        foreach (var forbidden in Forbidden)
        {
            Assert.False(shown.Any(t => t.Contains(forbidden, StringComparison.Ordinal)), $"'{forbidden}' shown in: {shown.FirstOrDefault(t => t.Contains(forbidden, StringComparison.Ordinal))}");
        }

        Assert.Contains(shown, t => t.Contains("Contracts \\[click\\]\\(https://evil\\) \\*\\*x\\*\\* \u2039at>Boss\u2039/at> exe", StringComparison.Ordinal));
        Assert.Contains(shown, t => t.Contains("Win \\[click\\]", StringComparison.Ordinal));
        // The blocker is the owner's note to ValueBot: no card sent to others shows it, escaped or not.
        Assert.DoesNotContain(shown, t => t.Contains("Blocker", StringComparison.Ordinal) && t.Contains("click", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ATextReplyEchoingWhatSomeoneTypedInAChannelEscapesIt()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await DigestWorld.StartAsync(database);

        await DigestWorld.SendAsync(host, DigestWorld.ChannelMessage(DigestWorld.Eve, Hostile));

        var reply = Assert.Single(host.Connector.Requests, r => r.Method == "POST").Json!["text"]!.GetValue<string>();
        Assert.StartsWith("Sorry, I don't know \"\\[click\\]", reply, StringComparison.Ordinal);
        foreach (var forbidden in Forbidden)
        {
            Assert.DoesNotContain(forbidden, reply, StringComparison.Ordinal);
        }
    }

    /// <summary>A card's plain-text fallback (what a client without cards, or a notification, shows).</summary>
    private static IEnumerable<string> PlainTexts(JsonNode? node) =>
        node?["fallbackText"]?.GetValue<string>() is { } text ? [text] : [];

    /// <summary>
    /// Every text a card shows as Markdown (not input values, which are sent back as typed, nor action data, nor the
    /// plain-text <c>fallbackText</c>, which <see cref="PlainTexts"/> covers).
    /// </summary>
    private static IEnumerable<string> ShownTexts(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var isInput = obj["type"]?.GetValueKind() == JsonValueKind.String && obj["type"]!.GetValue<string>().StartsWith("Input.", StringComparison.Ordinal);
                foreach (var (key, value) in obj)
                {
                    if (key is "data" or "mentioned" or "fallbackText" || (isInput && key == "value"))
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
