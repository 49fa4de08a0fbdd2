using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ValueBot.Domain.CheckIns;
using ValueBot.Domain.Common;
using ValueBot.Web.Persistence;
using ValueBot.Web.Tests.Support;
using ValueBot.Web.UseCases;
using static ValueBot.Web.Tests.Admin.AdminClient;

namespace ValueBot.Web.Tests.UseCases;

/// <summary>
/// DOMAIN.md "Rounding: figures that add up": a finance spreadsheet that recomputes the exported weekly rows from the
/// exported answers, and adds them up, gets exactly the figures ValueBot shows.
/// </summary>
public sealed class FiguresAddUpTests
{
    private const decimal HourlyCost = 47.37m;
    private const decimal MinutesPerException = 7m;

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task ThirteenExportedWeeksRecomputeAndAddUpToTheTotalsToTheCent(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString);
        var useCase = ValidUseCase("Claims intake");
        useCase["baseline"]!["hourlyCost"] = HourlyCost;
        useCase["baseline"]!["minutesPerException"] = MinutesPerException;
        useCase["plannedRunCostPerMonth"] = 1234.56m;
        var id = (await JsonAsync(await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", Serialize(useCase))))["id"]!.GetValue<string>();
        for (var i = 1; i <= 13; i++)
        {
            // Awkward numbers, so that every component has fractions of a cent before rounding.
            await SeedAsync(host, id, $"2026-W{i:D2}", new Answer
            {
                ActiveUsers = 40 + i,
                Tasks = 100 + 37 * i,
                MinutesSavedPerTask = 3.1m + 0.7m * i,
                ReworkShare = 0.013m * i,
                MinutesPerCorrection = 4.3m,
                Exceptions = i % 4,
                RunCost = new RunCost(new Money(73.333m + i, "EUR"), new Money(12.005m, "EUR"), new Money(0.3333m * i, "EUR")),
            });
        }

        var answers = Rows(await (await SendAsync(host, HttpMethod.Get, "/api/admin/answers/export")).Content.ReadAsStringAsync(), id);
        var metrics = Rows(await (await SendAsync(host, HttpMethod.Get, "/api/admin/metrics/export")).Content.ReadAsStringAsync(), id);
        Assert.Equal(13, metrics.Count);

        decimal gross = 0, absorption = 0, net = 0, execution = 0;
        foreach (var row in metrics)
        {
            var answer = answers.Single(a => a["week"] == row["week"]);
            decimal tasks = D(answer["tasks"]);
            var expectedGross = Cents(HourlyCost * tasks * D(answer["minutesSavedPerTask"]) / 60m);
            var expectedRework = Cents(HourlyCost * tasks * D(answer["reworkShare"]) * D(answer["minutesPerCorrection"]) / 60m);
            var expectedException = Cents(HourlyCost * D(answer["exceptions"]) * MinutesPerException / 60m);
            var expectedRun = Cents(D(answer["runCostLicencesAndTokens"]) + D(answer["runCostSupport"]) + D(answer["runCostIntegrationAndMaintenance"]));

            Assert.Equal(expectedGross, D(row["grossValue"]));
            Assert.Equal(expectedRework, D(row["reworkCost"]));
            Assert.Equal(expectedException, D(row["exceptionCost"]));
            Assert.Equal(expectedRun, D(row["runCost"]));
            Assert.Equal(D(row["reworkCost"]) + D(row["exceptionCost"]) + D(row["runCost"]), D(row["absorptionCost"]));
            Assert.Equal(D(row["grossValue"]) - D(row["absorptionCost"]), D(row["netValue"]));
            Assert.Equal(D(row["reworkCost"]) + D(row["exceptionCost"]), D(row["executionLeakage"]));
            gross += D(row["grossValue"]);
            absorption += D(row["absorptionCost"]);
            net += D(row["netValue"]);
            execution += D(row["executionLeakage"]);
        }

        var evaluation = await JsonAsync(await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{id}/evaluation?week=2026-W13"));
        var rolling = evaluation["rolling"]!;
        Assert.Equal(13, rolling["answeredWeeks"]!.GetValue<int>());
        Assert.Equal(gross, Amount(rolling["grossValue"]));
        Assert.Equal(absorption, Amount(rolling["absorptionCost"]));
        Assert.Equal(net, Amount(rolling["netValue"]));
        Assert.Equal(gross - absorption, net);
        Assert.Equal(execution, Amount(evaluation["leakage"]!["execution"]));
    }

    [Theory]
    [ClassData(typeof(Engines))]
    public async Task RiskAdjustedWeeksUseTheOrganisationsFactorsAndAddUpToTheEvaluationsTotal(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        // Organisation policy: estimated 0.7 (default 0.8), medium 0.9 (default 0.85); the rest DOMAIN.md's.
        await using var host = await ValueBotTestHost.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Policy:SourceFactorEstimated"] = "0.7",
            ["Policy:ConfidenceFactorMedium"] = "0.9",
        });
        var useCase = ValidUseCase("Claims intake");
        useCase["baseline"]!["hourlyCost"] = HourlyCost;
        var id = (await JsonAsync(await SendAsync(host, HttpMethod.Post, "/api/admin/use-cases", Serialize(useCase))))["id"]!.GetValue<string>();
        var grades = new[]
        {
            new ValueBot.Domain.Evidence.EvidenceGrade(ValueBot.Domain.Evidence.EvidenceSource.Measured, ValueBot.Domain.Evidence.EvidenceConfidence.High),
            new ValueBot.Domain.Evidence.EvidenceGrade(ValueBot.Domain.Evidence.EvidenceSource.Guessed, ValueBot.Domain.Evidence.EvidenceConfidence.Low),
            ValueBot.Domain.Evidence.EvidenceGrade.Unstated,
        };
        for (var i = 1; i <= 6; i++)
        {
            await SeedAsync(host, id, $"2026-W{i:D2}", new Answer
            {
                ActiveUsers = 40,
                Tasks = 100 + 37 * i,
                MinutesSavedPerTask = 3.1m + 0.7m * i,
                ReworkShare = 0.013m * i,
                MinutesPerCorrection = 4.3m,
                RunCost = new RunCost(new Money(73.333m + i, "EUR"), new Money(12.005m, "EUR"), new Money(0.3333m * i, "EUR")),
                MinutesSavedEvidence = grades[i % 3],
            });
        }

        var metrics = Rows(await (await SendAsync(host, HttpMethod.Get, "/api/admin/metrics/export")).Content.ReadAsStringAsync(), id);
        Assert.Equal(6, metrics.Count);
        var factors = new Dictionary<(string, string), decimal>
        {
            [("measured", "high")] = 1.0m,
            [("guessed", "low")] = 0.5m * 0.6m,
            [("estimated", "medium")] = 0.7m * 0.9m,
        };
        decimal adjusted = 0;
        foreach (var row in metrics)
        {
            var factor = factors[(row["minutesSavedSource"], row["minutesSavedConfidence"])];
            Assert.Equal(factor, D(row["evidenceFactor"]));
            Assert.Equal(Cents(D(row["grossValue"]) * factor), D(row["adjustedGrossValue"]));
            // Costs are never discounted.
            Assert.Equal(D(row["adjustedGrossValue"]) - D(row["absorptionCost"]), D(row["netValueRiskAdjusted"]));
            Assert.Equal("false", row["unconfirmedOutlier"]);
            Assert.Equal("", row["adoptionReview"]);
            adjusted += D(row["netValueRiskAdjusted"]);
        }

        Assert.Equal(["estimated", "guessed", "measured"], metrics.Select(r => r["minutesSavedSource"]).Distinct().Order(StringComparer.Ordinal));
        var evaluation = await JsonAsync(await SendAsync(host, HttpMethod.Get, $"/api/admin/use-cases/{id}/evaluation?week=2026-W06"));
        Assert.Equal(adjusted, Amount(evaluation["rolling"]!["adjustedNetValue"]));
        Assert.Equal(adjusted, Amount(evaluation["riskAdjusted"]!["rollingAdjustedNetValue"]));
        var latest = metrics.Single(r => r["week"] == "2026-W06");
        Assert.Equal(D(latest["netValueRiskAdjusted"]), Amount(evaluation["latest"]!["adjustedNetValue"]));
        Assert.Equal(D(latest["netValue"]), Amount(evaluation["latest"]!["netValue"]));
        Assert.Equal(D(latest["evidenceFactor"]), evaluation["latest"]!["evidenceFactor"]!.GetValue<decimal>());
    }

    private static decimal Cents(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    private static decimal D(string? text) => decimal.Parse(text!, NumberStyles.Number, CultureInfo.InvariantCulture);

    private static decimal Amount(JsonNode? money) => money!["amount"]!.GetValue<decimal>();

    /// <summary>The CSV rows of one use case, by column name (the exports' free text here has no commas or quotes).</summary>
    private static List<Dictionary<string, string>> Rows(string csv, string useCaseId)
    {
        var lines = csv.Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => l.Split(','))
            .Where(cells => cells[0] == useCaseId)
            .Select(cells => header.Zip(cells).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal))
            .ToList();
    }

    private static Task SeedAsync(ValueBotTestHost host, string useCaseId, string week, Answer answer) =>
        host.WithScopeAsync(async services =>
        {
            var json = AnswerJson.Serialize(answer);
            var now = host.Time.GetUtcNow().UtcDateTime;
            var db = services.GetRequiredService<ValueBotDbContext>();
            return await db.Database.ExecuteSqlAsync($"""
                INSERT INTO check_ins (use_case_id, week, status, answer_json, answered_at, created_at, updated_at)
                VALUES ({useCaseId}, {week}, 'answered', {json}, {now}, {now}, {now})
                """);
        });
}
