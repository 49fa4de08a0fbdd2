using System.Text.Json.Nodes;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Domain.Digests;
using ValueBot.Domain.Policies;
using ValueBot.Domain.UseCases;
using ValueBot.Web.Digests;
using static ValueBot.Web.Tests.Digests.DigestWorld;

namespace ValueBot.Web.Tests.Digests;

/// <summary>
/// What a manager reads in 30 seconds: totals that say how many use cases they sum, a missed week told apart from a
/// check-in that could not be delivered, nudges only where they arrive, wins from loss-making weeks labelled, and the
/// domain's choices in words.
/// </summary>
public sealed class DigestReadabilityTests
{
    private static readonly DigestOptions Options = new();

    private static readonly UseCase Answered = UseCaseOf(1, "Invoice triage", "ann", Stage.Hold);
    private static readonly UseCase NotInstalled = UseCaseOf(2, "Claims intake", "ben", Stage.Production);
    private static readonly UseCase Missed = UseCaseOf(3, "Contract review", "cat", Stage.Production);
    private static readonly UseCase Open = UseCaseOf(4, "Supplier onboarding", "dan", Stage.Pilot);

    private static List<PortfolioUseCase> Portfolio() =>
    [
        // A win from a week that lost money: run cost 5,000 EUR against 1,200 EUR gross.
        new(Answered, [WeekRecord.Answered(Week.Previous(), Answer(80)), WeekRecord.Answered(Week, Answer(80) with
        {
            RunCost = RunCost.Zero("EUR") with { LicencesAndTokens = new Money(5000m, "EUR") },
            Win = "First invoices coded without a human",
            ShareWinWithLeadership = true,
        })]),
        new(NotInstalled, [new WeekRecord(Week, CheckInStatus.Undeliverable, null)], OwnerReachable: false),
        new(Missed, [WeekRecord.Answered(Week.Previous(), Answer(70)), new WeekRecord(Week, CheckInStatus.Missed, null)]),
        new(Open, [new WeekRecord(Week, CheckInStatus.Sent, null)]),
    ];

    [Fact]
    public void TheManagerDigestTellsMissedFromNotDeliveredAndOffersANudgeOnlyWhereItArrives()
    {
        var lines = DigestComposer.Lines(Portfolio(), Week, EvaluationPolicy.OrganisationDefault);
        var card = DigestCards.Manager(DigestComposer.ForManager(new PersonRef("aad-mia", "Mia Manager"), lines, Week), Options).ToJson();
        var text = Texts(card);

        Assert.Contains("4 use cases owned by your reports: 1 answered, 2 not reported, 1 could not be asked.", text, StringComparison.Ordinal);
        Assert.Contains("This week (1 of 4 reported)", text, StringComparison.Ordinal);
        Assert.Contains("Net value last week (2 of 4 reported)", text, StringComparison.Ordinal);
        Assert.Contains("Over 90 days (2 of 4 with data)", text, StringComparison.Ordinal);
        Assert.Contains("**Contract review** — <at>cat</at> — **missed**", text, StringComparison.Ordinal);
        Assert.Contains("**Supplier onboarding** — <at>dan</at> — **not answered yet**", text, StringComparison.Ordinal);
        Assert.Contains("**Claims intake** — <at>ben</at> — **could not be asked**", text, StringComparison.Ordinal);
        Assert.Equal([Missed.Id, Open.Id], Nudged(card).Order().ToList());
        Assert.Contains("Loss-making week: net value -3,980.00 EUR", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLeadershipDigestListsOwnersItCouldNotAskApartFromThoseWhoDidNotReport()
    {
        var lines = DigestComposer.Lines(Portfolio(), Week, EvaluationPolicy.OrganisationDefault);
        var text = Texts(DigestCards.Leadership(DigestComposer.ForLeadership(lines, Week, new HashSet<Guid>()), Options).ToJson());

        Assert.Contains("(1 of 4 reported)", text, StringComparison.Ordinal);
        Assert.Contains("Has not reported (2 use cases)", text, StringComparison.Ordinal);
        Assert.Contains("Could not be asked (1 use case)", text, StringComparison.Ordinal);
        Assert.Contains("<at>ben</at>: Claims intake", text, StringComparison.Ordinal);
        Assert.Contains("Loss-making week", text, StringComparison.Ordinal);
        Assert.Contains("On hold", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Hold\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WinsOfEarlierWeeksAreNotLabelledThisWeekAndChoicesReadAsWords()
    {
        var portfolio = Portfolio();
        var wins = DigestComposer.RecentWins(portfolio, Week.AddWeeks(-3), Week.AddWeeks(1));
        var text = Texts(DigestCards.Wins(wins, "Wins", Options).ToJson());
        Assert.Contains($"Week {Week}: gross", text, StringComparison.Ordinal);
        Assert.DoesNotContain("This week", text, StringComparison.Ordinal);

        var line = DigestComposer.Line(portfolio[0], Week, EvaluationPolicy.OrganisationDefault);
        var details = Texts(DigestCards.Details(Answered, line.Evaluation).ToJson());
        Assert.Contains("stage On hold · Process re-engineering", details, StringComparison.Ordinal);
        Assert.Contains("Over 90 days (2 answered weeks)", details, StringComparison.Ordinal);
        Assert.DoesNotContain("ProcessReengineering", details, StringComparison.Ordinal);
    }

    private static List<Guid> Nudged(string cardJson)
    {
        var ids = new List<Guid>();
        Walk(JsonNode.Parse(cardJson));
        return ids;

        void Walk(JsonNode? node)
        {
            if (node is JsonObject obj)
            {
                if ((string?)obj["type"] == "Action.Execute" && (string?)obj["verb"] == DigestCards.NudgeVerb)
                {
                    ids.Add(Guid.Parse((string)obj["data"]![DigestCards.UseCaseIdKey]!));
                }

                foreach (var (_, value) in obj)
                {
                    Walk(value);
                }
            }
            else if (node is JsonArray array)
            {
                foreach (var item in array)
                {
                    Walk(item);
                }
            }
        }
    }

    private static UseCase UseCaseOf(int n, string name, string owner, Stage stage) => new()
    {
        Id = new Guid(n, 0, 0, new byte[8]),
        Name = name,
        ValueModel = ValueModel.ProcessReengineering,
        Stage = stage,
        Owner = new PersonRef("aad-" + owner, owner),
        TargetUsers = 100,
        Baseline = new Baseline(10m, 500m, new Money(60m, "EUR"), 0.1m, 20m),
        PlannedRunCostPerMonth = new Money(1300m, "EUR"),
    };
}
