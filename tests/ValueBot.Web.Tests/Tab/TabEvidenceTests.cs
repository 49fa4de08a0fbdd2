using System.Globalization;
using ValueBot.Web.Admin;
using ValueBot.Web.Tests.Digests;
using ValueBot.Web.Tests.Support;
using static ValueBot.Web.Tests.Tab.TabAccessTests;

namespace ValueBot.Web.Tests.Tab;

/// <summary>The tab shows the risk-adjusted net beside the reported one, labelled, on its pages and in its CSV downloads.</summary>
public sealed class TabEvidenceTests
{
    // DigestWorld's answers do not say where their minutes come from (estimated, medium: 0.8 × 0.85 = 0.68):
    // each week's gross 1,200 is believed as 816, so its net 720 (absorption 480) is 336 risk-adjusted.

    [Fact]
    public async Task The_portfolio_shows_the_risk_adjusted_net_beside_the_reported_one()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await TabWorld.StartAsync(database);
        await TabWorld.SeedAsync(host);
        using var client = await TabWorld.SignedInAsync(host, DigestWorld.Mia);

        var page = await client.GetStringAsync("/tab/portfolio");

        // Mia's reports: Invoice triage W10 and W11, Claims intake W11, Contract review W09 — four weeks of 720 / 336.
        Assert.Equal("2,880.00 EUR", FigureOf(page, "net"));
        Assert.Equal("1,344.00 EUR", FigureOf(page, "net-adjusted"));
        Assert.Equal("1,440.00 EUR", FigureOf(page, "net-week"));
        Assert.Equal("672.00 EUR", FigureOf(page, "net-adjusted-week"));
        Assert.Contains("Net value (reported), 90 days", page, StringComparison.Ordinal);
        Assert.Contains("Net value (risk-adjusted), 90 days", page, StringComparison.Ordinal);
        Assert.Contains("id=\"chart-adjusted-net-over-time\"", page, StringComparison.Ordinal);

        var rows = Table(await client.GetStringAsync("/tab/portfolio.csv"));
        var invoices = rows.Single(r => r["useCaseName"] == "Invoice triage");
        Assert.Equal(("720.00", "336.00"), (invoices["weekNet"], invoices["weekNetRiskAdjusted"]));
        Assert.Equal(("1440.00", "672.00"), (invoices["ninetyDayNet"], invoices["ninetyDayNetRiskAdjusted"]));
        Assert.Equal("0", invoices["ninetyDayMeasuredShare"]);
        Assert.Equal(1344.00m, rows.Sum(r => decimal.Parse(r["ninetyDayNetRiskAdjusted"], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_use_case_page_and_its_csv_show_each_weeks_risk_adjusted_net_and_its_evidence()
    {
        await using var database = TestDatabase.CreateSqlite();
        await using var host = await TabWorld.StartAsync(database);
        await TabWorld.SeedAsync(host);
        using var client = await TabWorld.SignedInAsync(host, DigestWorld.Mia);

        var page = await client.GetStringAsync($"/tab/use-cases/{DigestWorld.Invoices:D}");
        Assert.Equal("672.00 EUR", FigureOf(page, "net-adjusted"));
        Assert.Contains("estimated, medium confidence", page, StringComparison.Ordinal);

        var rows = Table(await client.GetStringAsync($"/tab/use-cases/{DigestWorld.Invoices:D}.csv"));
        var week = rows.Single(r => r["week"] == DigestWorld.Week.ToString());
        Assert.Equal(("720.00", "816.00", "336.00", "0.68"), (week["netValue"], week["adjustedGrossValue"], week["netValueRiskAdjusted"], week["evidenceFactor"]));
        Assert.Equal(("estimated", "medium", "", "false"), (week["minutesSavedSource"], week["minutesSavedConfidence"], week["adoptionReview"], week["unconfirmedOutlier"]));
    }

    /// <summary>CSV rows by column name.</summary>
    internal static List<Dictionary<string, string>> Table(string csv)
    {
        var rows = CsvText.Read(csv).ToList();
        var header = rows[0].Fields;
        return rows.Skip(1).Select(r => header.Zip(r.Fields).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal)).ToList();
    }
}
