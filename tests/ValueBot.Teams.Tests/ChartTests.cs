using System.Text.Json.Nodes;
using ValueBot.Teams.Cards;

namespace ValueBot.Teams.Tests;

/// <summary>Teams' chart elements serialize in the shape the Teams docs give (docs/protocol.md §6), each with its fallback.</summary>
public sealed class ChartTests
{
    [Fact]
    public void ChartsSerializeWithTheirTeamsTypeDataAndFallbackElement()
    {
        var fallback = new FactSet { Facts = [new Fact("2026-W10", "120.00 EUR")] };
        var line = new LineChart { Title = "Net value", Fallback = fallback, Data = [new LineChartSeries { Legend = "Net", Values = [new ChartPoint("W10", 120m)] }] };
        var bars = new VerticalBarChart { Title = "By stage", Fallback = fallback, Data = [new ChartPoint("pilot", 3m, "good")] };
        var donut = new DonutChart { Title = "Leakage", Fallback = fallback, Data = [new ChartSlice("Execution", 40.5m, "categoricalRed")] };
        var card = new AdaptiveCard().Add(line).Add(bars).Add(donut);

        var body = JsonNode.Parse(card.ToJson())!["body"]!.AsArray();

        Assert.Equal("Chart.Line", (string)body[0]!["type"]!);
        Assert.Equal("W10", (string)body[0]!["data"]![0]!["values"]![0]!["x"]!);
        Assert.Equal(120m, body[0]!["data"]![0]!["values"]![0]!["y"]!.GetValue<decimal>());
        Assert.Equal("FactSet", (string)body[0]!["fallback"]!["type"]!);
        Assert.Equal("Chart.VerticalBar", (string)body[1]!["type"]!);
        Assert.Equal("good", (string)body[1]!["data"]![0]!["color"]!);
        Assert.Equal("Chart.Donut", (string)body[2]!["type"]!);
        Assert.Equal("Execution", (string)body[2]!["data"]![0]!["legend"]!);
        Assert.Equal(40.5m, body[2]!["data"]![0]!["value"]!.GetValue<decimal>());
    }
}
