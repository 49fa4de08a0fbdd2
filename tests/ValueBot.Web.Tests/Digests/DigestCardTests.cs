using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Digests;
using ValueBot.Domain.Periods;
using ValueBot.Domain.Policies;
using ValueBot.Domain.UseCases;
using ValueBot.Teams.Cards;
using ValueBot.Testing;
using ValueBot.Web.Digests;
using static ValueBot.Web.Tests.Digests.DigestWorld;

namespace ValueBot.Web.Tests.Digests;

/// <summary>
/// Every digest card, at 10,000 use cases, validates against the Adaptive Card 1.5 schema and stays under 80 KB.
/// Chart.* elements are Teams' extension and not in the 1.5 schema, so the schema judges the card a client without
/// charts renders (each chart replaced by its fallback), and the charts are checked on their own.
/// </summary>
public sealed class DigestCardTests
{
    private const int MaxCardBytes = 80 * 1024;
    private static readonly DigestOptions Options = new() { FullListUrl = "https://bi.example.com/valuebot" };
    private static readonly Lazy<IReadOnlyList<AdaptiveCard>> LargeCards = new(() => Cards(10_000));

    [Fact]
    public void EveryDigestCardAtTenThousandUseCasesStaysUnder80KilobytesAndSummarisesTheRest()
    {
        var cards = LargeCards.Value;
        Assert.All(cards, card => Assert.True(card.SizeInBytes() < MaxCardBytes, $"{card.FallbackText}: {card.SizeInBytes()} bytes"));
        var leadership = Texts(cards[1].ToJson());
        Assert.Matches(@"…and \d+ more at risk\.", leadership);
        Assert.Contains("https://bi.example.com/valuebot", cards[1].ToJson(), StringComparison.Ordinal);
        Assert.Matches(@"…and \d+ more use cases\.", Texts(cards[0].ToJson()));
    }

    [Fact]
    public void EveryDigestCardValidatesAgainstTheAdaptiveCard15SchemaWithChartsReplacedByTheirFallbacks()
    {
        var cards = LargeCards.Value.Concat(Cards(6)).ToList();
        var results = SchemaValidator.Validate(RepositoryPaths.AdaptiveCardSchema, cards.Select(c => WithChartFallbacks(c.ToJson())).ToArray());
        Assert.All(results, r => Assert.True(r.Valid, string.Join("\n", r.Errors)));
    }

    [Fact]
    public void EveryChartHasATitleDataAndAFallbackThatReadsTheSameNumbers()
    {
        var charts = LargeCards.Value.SelectMany(c => Charts(c.ToJson())).ToList();
        Assert.Contains(charts, c => (string)c["type"]! == "Chart.Line");
        Assert.Contains(charts, c => (string)c["type"]! == "Chart.VerticalBar");
        Assert.Contains(charts, c => (string)c["type"]! == "Chart.Donut");
        Assert.All(charts, chart =>
        {
            Assert.Contains((string)chart["type"]!, new[] { "Chart.Line", "Chart.VerticalBar", "Chart.Donut" });
            Assert.False(string.IsNullOrWhiteSpace((string?)chart["title"]));
            Assert.NotEmpty(chart["data"]!.AsArray());
            // The fallback carries the chart's title as its heading, over the same facts.
            var fallback = chart["fallback"]!;
            Assert.Equal("Container", (string)fallback["type"]!);
            var items = fallback["items"]!.AsArray();
            Assert.Equal("TextBlock", (string)items[0]!["type"]!);
            Assert.Equal((string)chart["title"]!, (string)items[0]!["text"]!);
            Assert.Equal("FactSet", (string)items[1]!["type"]!);
            Assert.NotEmpty(items[1]!["facts"]!.AsArray());
        });

        // The stage chart's bars and its fallback facts agree.
        var stages = charts.Single(c => (string)c["title"]! == "Use cases by stage");
        var bars = stages["data"]!.AsArray().Select(p => ((string)p!["x"]!, p["y"]!.GetValue<decimal>().ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var facts = stages["fallback"]!["items"]![1]!["facts"]!.AsArray().Select(f => ((string)f!["title"]!, (string)f["value"]!)).ToList();
        Assert.Equal(facts, bars);
        Assert.Equal(10_000, bars.Sum(b => int.Parse(b.Item2, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void OwnersAreMentionedWithATeamsEntityForEveryAtText()
    {
        var leadership = LargeCards.Value[1];
        var json = Texts(leadership.ToJson());
        var entities = leadership.MsTeams!.Entities!;
        Assert.NotEmpty(entities);
        Assert.All(entities, e => Assert.Contains(e.Text!, json, StringComparison.Ordinal));
        Assert.Equal(entities.Count, entities.Select(e => e.Mentioned!.Id).Distinct().Count());
    }

    /// <summary>Manager (all use cases under one manager), leadership, monthly, quarterly, win, details and wins cards.</summary>
    private static List<AdaptiveCard> Cards(int count)
    {
        var portfolio = Portfolio(count);
        var lines = DigestComposer.Lines(portfolio, Week, EvaluationPolicy.OrganisationDefault);
        var leadership = DigestComposer.ForLeadership(lines, Week, new HashSet<Guid> { portfolio[0].UseCase.Id });
        var manager = DigestComposer.ForManager(new PersonRef("aad-mia", "Mia Manager"), lines, Week);
        var win = lines.Select(l => l.Win).OfType<DigestWin>().First();
        return
        [
            DigestCards.Manager(manager, Options),
            DigestCards.Leadership(leadership, Options),
            DigestCards.Monthly(DigestComposer.Monthly(portfolio, new DateOnly(2026, 2, 1)), Options),
            DigestCards.Quarterly(DigestComposer.Quarterly(lines, Week), Options),
            DigestCards.Win(win, lines[0].Evaluation),
            DigestCards.Details(lines[0].UseCase, lines[0].Evaluation),
            DigestCards.Wins(DigestComposer.RecentWins(portfolio, Week.AddWeeks(-3), Week), "Wins", Options),
            DigestCards.Manager(manager, Options, AdoptionAsks(lines)),
        ];
    }

    /// <summary>The manager confirmation in each of its states, in turn over the lines with an answered week.</summary>
    private static Dictionary<Guid, AdoptionAsk> AdoptionAsks(IReadOnlyList<DigestLine> lines)
    {
        var states = Enum.GetValues<ValueBot.Domain.Evidence.ConfirmationState>();
        var asks = new Dictionary<Guid, AdoptionAsk>();
        foreach (var (line, i) in lines.Where(l => l.Evaluation.Latest is not null).Select((l, i) => (l, i)))
        {
            var latest = line.Evaluation.Latest!;
            var figure = new ValueBot.Domain.Evidence.AdoptionFigure(latest.Week, latest.Answer.ActiveUsers, line.UseCase.TargetUsers);
            var state = states[i % states.Length];
            var verdict = state == ValueBot.Domain.Evidence.ConfirmationState.Open ? null : new ValueBot.Domain.Evidence.GivenVerdict(
                latest.Week, state == ValueBot.Domain.Evidence.ConfirmationState.Disputed ? ValueBot.Domain.Evidence.AdoptionVerdict.Disputed : ValueBot.Domain.Evidence.AdoptionVerdict.Confirmed,
                "aad-mia", "Mia Manager", new DateTimeOffset(2026, 3, 13, 15, 0, 0, TimeSpan.Zero), true);
            asks[line.Id] = new AdoptionAsk(new ValueBot.Domain.Evidence.ConfirmationAsk(figure, state, verdict), $"f{i:x8}");
        }

        return asks;
    }

    /// <summary>
    /// A deterministic portfolio: 14 weeks per use case; every 7th breaches (rework 20 %), every 5th has not reported
    /// this week, every 11th is stale, every 3rd has a win for leadership; owners shared by ten use cases each.
    /// </summary>
    private static List<PortfolioUseCase> Portfolio(int count)
    {
        var stages = Enum.GetValues<Stage>();
        var list = new List<PortfolioUseCase>(count);
        for (var i = 0; i < count; i++)
        {
            var owner = new PersonRef($"aad-owner-{i / 10}", $"Owner {i / 10}");
            var useCase = new UseCase
            {
                Id = new Guid(i + 1, 0, 0, new byte[8]),
                Name = $"Use case {i:D5} with a realistic, fairly long name",
                ValueModel = ValueModel.ProcessReengineering,
                Stage = stages[i % (stages.Length - 1)],
                Owner = owner,
                TargetUsers = 100,
                Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0.1m, 20m),
                PlannedRunCostPerMonth = new Money(1300m, "EUR"),
            };
            var history = new List<WeekRecord>();
            for (var w = 13; w >= 0; w--)
            {
                var week = Week.AddWeeks(-w);
                if ((i % 5 == 0 && w == 0) || (i % 11 == 0 && w < 3))
                {
                    history.Add(new WeekRecord(week, CheckInStatus.Missed, null));
                    continue;
                }

                var answer = Answer(70 + (i % 20)) with
                {
                    ReworkShare = i % 7 == 0 ? 0.2m : 0.1m,
                    Tasks = 100 + (i * 37 + w * 11) % 300,
                    Win = i % 3 == 0 ? $"Story {i}: saved the team a full day of manual rework this week, with numbers to show for it" : null,
                    ShareWinWithLeadership = i % 3 == 0,
                };
                history.Add(WeekRecord.Answered(week, answer));
            }

            list.Add(new PortfolioUseCase(useCase, history));
        }

        return list;
    }
}
